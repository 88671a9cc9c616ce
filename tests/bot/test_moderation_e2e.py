"""Moderators' /briefs commands and the safety rules, end to end through the Discord double."""

from __future__ import annotations

import pytest

from tests.bot.conftest import RunningBot
from tests.discord_double import Attachment, CommandHidden, pings_nobody

EPHEMERAL = 64
HOSTILE = (
    "Council vote ends in uproar @everyone\n"
    "Published 2 March 2026\n\n"
    "The city council of Lakeport voted 7 to 2 on Tuesday to close the old ferry pier, "
    'said Mayor Ada Kowalski, who called the decision "a hard but necessary step". @here <@123456789>\n\n'
    "Residents protested outside the hall, and @everyone was invited to a meeting on Friday.\n"
)


async def _count_latest(bot: RunningBot, user) -> str:  # the /latest text, to compare before/after
    answer = await (await bot.double.slash("latest", options={"count": 50}, user=user)).response()
    embeds = answer["data"].get("embeds") or []
    return embeds[0]["description"] if embeds else answer["data"].get("content", "")


async def _add(bot: RunningBot, user, **options) -> dict:
    record = await bot.double.slash("briefs add", options=options, user=user, override=True)
    first = await record.response()
    if first["type"] == 5:  # deferred: the answer comes as a follow-up
        return await record.followup()
    return first["data"]


async def test_member_without_manage_server_is_refused_even_when_shown(running: RunningBot) -> None:
    before = await _count_latest(running, running.double.member)
    answer = await _add(running, running.double.member, file=Attachment("a.txt", HOSTILE.encode()))
    assert answer["flags"] & EPHEMERAL
    assert "Manage Server" in answer["content"]
    assert await _count_latest(running, running.double.member) == before


async def test_article_with_everyone_is_stored_and_posted_inert(running: RunningBot) -> None:
    double = running.double
    answer = await _add(running, double.moderator, file=Attachment("council.txt", HOSTILE.encode()))
    assert answer["flags"] & EPHEMERAL
    assert "Added brief" in answer["content"]
    shown = await (
        await double.slash("brief", options={"which": "uproar"}, user=double.member)
    ).response()
    assert "@everyone" in shown["data"]["embeds"][0]["title"]
    assert pings_nobody(shown["data"])
    quotes = await (
        await double.slash("quotes", options={"person": "kowalski"}, user=double.member)
    ).response()
    assert pings_nobody(quotes["data"])


@pytest.mark.parametrize(
    ("filename", "content", "reason"),
    [
        ("empty.txt", b"   \n\t\n", "empty"),
        ("image.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "image"),
        ("latin1.txt", "Caf\xe9 owners protest\n\nThe caf\xe9 closed.".encode("latin-1"), "UTF-8"),
    ],
)
async def test_bad_files_get_a_clear_reason_and_change_nothing(
    running: RunningBot, filename: str, content: bytes, reason: str
) -> None:
    before = await _count_latest(running, running.double.member)
    answer = await _add(running, running.double.moderator, file=Attachment(filename, content))
    assert answer["flags"] & EPHEMERAL
    assert "could not be read" in answer["content"]
    assert reason.lower() in answer["content"].lower()
    assert await _count_latest(running, running.double.member) == before


async def test_the_same_article_twice_is_reported_as_a_duplicate(running: RunningBot) -> None:
    double = running.double
    await _add(running, double.moderator, text=HOSTILE)
    again = await _add(running, double.moderator, text=HOSTILE)
    assert "Already in the library" in again["content"]


async def test_pasted_text_and_remove(running: RunningBot) -> None:
    double = running.double
    added = await _add(running, double.moderator, text=HOSTILE)
    brief_id = added["content"].split("#")[1].split(":")[0]
    record = await double.slash("briefs remove", options={"which": brief_id}, user=double.moderator)
    first = await record.response()
    assert "Removed brief" in first["data"]["content"]
    gone = await (
        await double.slash("brief", options={"which": brief_id}, user=double.member)
    ).response()
    assert "No brief matches" in gone["data"]["content"]


async def test_a_guild_cannot_remove_global_briefs(running: RunningBot) -> None:
    double = running.double
    record = await double.slash(
        "briefs remove", options={"which": "New Zealand begins"}, user=double.moderator
    )
    answer = await record.response()
    assert answer["data"]["flags"] & EPHEMERAL
    assert "No brief matches" in answer["data"]["content"]
    still = await (await double.slash("brief", user=double.member)).response()
    assert still["data"]["embeds"][0]["title"].startswith("New Zealand begins")


async def test_one_guild_never_sees_another_guilds_briefs(running: RunningBot) -> None:
    double = running.double
    await _add(running, double.moderator, text=HOSTILE)
    other = double.add_guild("Elsewhere")
    outsider = other.add_member("outsider")
    await double.announce_guild(other)
    answer = await (
        await double.slash("search", options={"text": "Kowalski"}, guild=other, user=outsider)
    ).response()
    assert "No result matches" in answer["data"]["content"]
    who = await (
        await double.slash("who", options={"name": "kowalski"}, guild=other, user=outsider)
    ).response()
    assert "No person matches" in who["data"]["content"]
    shared = await (
        await double.slash("who", options={"name": "key"}, guild=other, user=outsider)
    ).response()
    assert shared["data"]["embeds"][0]["title"] == "John Key"  # global briefs are everyone's


async def test_moderator_commands_are_not_offered_in_direct_messages(running: RunningBot) -> None:
    with pytest.raises(CommandHidden):
        await running.double.slash("briefs add", options={"text": HOSTILE}, dm=True)

"""Members' slash commands, end to end: the real bot answering through the Discord double."""

from __future__ import annotations

import asyncio
import logging
import re
import sqlite3

import pytest

from tests.bot.conftest import RunningBot, ingest
from tests.discord_double import CommandHidden, pings_nobody

EPHEMERAL = 64


def _embed(answer: dict) -> dict:
    embeds = answer["data"].get("embeds") or []
    assert embeds, f"expected an embed, got {answer['data']}"
    return embeds[0]


def _text(embed: dict) -> str:
    parts = [embed.get("title", ""), embed.get("description", "")]
    parts += [f"{f['name']}\n{f['value']}" for f in embed.get("fields", [])]
    parts.append(embed.get("footer", {}).get("text", ""))
    return "\n".join(parts)


async def test_who_key_names_the_prime_minister_with_his_quote(running: RunningBot) -> None:
    record = await running.double.slash("who", options={"name": "key"}, user=running.double.member)
    answer = await record.response()
    embed = _embed(answer)
    assert embed["title"] == "John Key"
    text = _text(embed)
    assert "Prime Minister" in text
    assert "one vote in each referendum" in text
    assert not answer["data"].get("flags", 0) & EPHEMERAL
    assert pings_nobody(answer["data"])


@pytest.mark.parametrize(
    ("query", "name"), [("KEY", "John Key"), ("burows", "John Burrows"), ("john key", "John Key")]
)
async def test_who_tolerates_case_typos_and_first_names(
    running: RunningBot, query: str, name: str
) -> None:
    record = await running.double.slash("who", options={"name": query}, user=running.double.member)
    assert _embed(await record.response())["title"] == name


async def test_who_unknown_name_suggests_instead_of_failing(running: RunningBot) -> None:
    record = await running.double.slash(
        "who", options={"name": "zzyzx qqq"}, user=running.double.member
    )
    answer = await record.response()
    assert answer["data"]["flags"] & EPHEMERAL
    assert "No person matches" in answer["data"]["content"]


async def test_figures_lists_the_key_numbers_with_what_they_count(running: RunningBot) -> None:
    record = await running.double.slash("figures", user=running.double.member)
    text = _text(_embed(await record.response()))
    for value in ("twelve", "two", "a quarter"):
        assert f"**{value}**" in text
    assert "referendums" in text


async def test_figures_can_show_the_sentence_each_came_from(running: RunningBot) -> None:
    record = await running.double.slash(
        "figures", options={"sources": True}, user=running.double.member
    )
    text = _text(_embed(await record.response()))
    assert "the chairman of the project's panel of twelve" in text


async def test_quotes_of_a_person(running: RunningBot) -> None:
    record = await running.double.slash(
        "quotes", options={"person": "key"}, user=running.double.member
    )
    text = _text(_embed(await record.response()))
    assert "one vote in each referendum" in text
    assert "schools can run their own" not in text  # John Burrows said that, not Key


async def test_brief_and_its_parts(running: RunningBot) -> None:
    double = running.double
    brief = _embed(await (await double.slash("brief", user=double.member)).response())
    assert brief["title"].startswith("New Zealand begins process")
    assert "7 May 2015" in brief["footer"]["text"]
    assert "08_flag.txt" in brief["footer"]["text"]
    assert brief["timestamp"]  # the embed says when the brief was added
    assert "/" not in brief["footer"]["text"]  # added by its full path: members see the name only
    highlights = _embed(await (await double.slash("highlights", user=double.member)).response())
    assert "Flag Consideration Project" in highlights["description"]
    analysis = _embed(await (await double.slash("analysis", user=double.member)).response())
    assert "unusually direct role" in analysis["description"]


async def test_search_shows_headlines_and_dates(running: RunningBot) -> None:
    record = await running.double.slash(
        "search", options={"text": "referendum"}, user=running.double.member
    )
    embed = _embed(await record.response())
    assert "New Zealand begins process" in embed["description"]
    assert "7 May 2015" in embed["description"]


@pytest.mark.parametrize("text", ['"', "AND", "*", "NEAR(", "bondi OR", "x" * 200, "🦜🦜"])
async def test_search_takes_any_text_without_error(running: RunningBot, text: str) -> None:
    record = await running.double.slash(
        "search", options={"text": text}, user=running.double.member
    )
    answer = await record.response()
    assert answer["type"] == 4
    assert "went wrong on our side" not in str(answer["data"])


async def test_autocomplete_offers_at_most_25_names(running: RunningBot) -> None:
    record = await running.double.autocomplete("who", "name", "", options={})
    choices = (await record.response())["data"]["choices"]
    assert 0 < len(choices) <= 25
    record = await running.double.autocomplete("who", "name", "bur", options={})
    names = [c["name"] for c in (await record.response())["data"]["choices"]]
    assert names == ["John Burrows"]


async def test_latest_pages_with_buttons_only_for_the_asker(running: RunningBot) -> None:
    settings = running.settings
    for n in range(12):
        text = f"Harbour {n} reopens after storm\n\nThe harbour of Port {n} reopened on Monday after repairs."
        await ingest(settings, text, f"harbour-{n}.txt")
    double = running.double
    record = await double.slash("latest", options={"count": 20}, user=double.member)
    first = await record.response()
    assert "(1/2)" in _embed(first)["title"]
    assert first["data"]["components"], "a long list has page buttons"
    other = await double.click(record.message, "pager:next", user=double.moderator)
    refused = await other.response()
    assert refused["data"]["flags"] & EPHEMERAL
    turned = await double.click(record.message, "pager:next", user=double.member)
    page2 = await turned.response()
    assert page2["type"] == 7
    assert "(2/2)" in _embed(page2)["title"]


async def test_help_is_ephemeral(running: RunningBot) -> None:
    answer = await (await running.double.slash("help", user=running.double.member)).response()
    assert answer["data"]["flags"] & EPHEMERAL
    assert "/who" in _embed(answer)["description"]


async def test_member_commands_work_in_direct_messages_with_global_briefs(
    running: RunningBot,
) -> None:
    record = await running.double.slash("who", options={"name": "key"}, dm=True)
    assert _embed(await record.response())["title"] == "John Key"


async def test_internal_failure_answers_ephemerally_and_the_bot_keeps_answering(
    running: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    def damage() -> None:  # another program damages the library (in its own thread, as it
        db = sqlite3.connect(running.settings.db_path, timeout=30)  # would run beside the bot)
        db.execute("DROP TABLE briefs_fts")
        db.commit()
        db.close()

    await asyncio.to_thread(damage)
    broken = await (
        await running.double.slash(
            "search", options={"text": "referendum"}, user=running.double.member
        )
    ).response()
    assert broken["data"]["flags"] & EPHEMERAL
    content = broken["data"]["content"]
    assert "library error" not in content  # the driver's words stay in the log
    error_id = re.search(r"error id `([0-9a-f]{8})`", content)
    assert error_id, content
    (logged,) = [r for r in caplog.records if error_id.group(1) in r.getMessage()]
    assert logged.levelno == logging.ERROR
    assert logged.exc_info is not None  # with its traceback
    still = await (
        await running.double.slash("who", options={"name": "key"}, user=running.double.member)
    ).response()
    assert _embed(still)["title"] == "John Key"


async def test_moderator_commands_are_hidden_from_members(running: RunningBot) -> None:
    with pytest.raises(CommandHidden):
        await running.double.slash("briefs add", options={"text": "x"}, user=running.double.member)


async def test_a_typo_says_it_is_the_closest_match(running: RunningBot) -> None:
    record = await running.double.slash(
        "who", options={"name": "burows"}, user=running.double.member
    )
    embed = _embed(await record.response())
    assert embed["title"] == "John Burrows"
    assert "Closest match for “burows”" in embed["description"]

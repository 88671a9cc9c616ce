"""/digest schedule and /follow refuse a channel the bot cannot post in at once, naming what is
missing: the same check the feed delivery runs (`bot.runtime.channels`)."""

from __future__ import annotations

import pytest

from tests.bot.conftest import RunningBot
from tests.discord_double import (
    CREATE_PUBLIC_THREADS,
    EMBED_LINKS,
    READ_MESSAGE_HISTORY,
    SEND_MESSAGES,
    SEND_MESSAGES_IN_THREADS,
    VIEW_CHANNEL,
    DiscordDouble,
)

EPHEMERAL = 64


async def _refusal(double: DiscordDouble, path: str, options: dict) -> str:
    rec = await double.slash(path, options, user=double.moderator)
    data = (await rec.response())["data"]
    assert data["flags"] & EPHEMERAL
    return str(data["content"])


@pytest.mark.parametrize(
    ("denied", "named"),
    [
        ((READ_MESSAGE_HISTORY,), ["Read Message History"]),
        ((EMBED_LINKS,), ["Embed Links"]),
        ((VIEW_CHANNEL, SEND_MESSAGES), ["View Channel", "Send Messages"]),
    ],
)
async def test_digest_schedule_refuses_a_channel_the_bot_cannot_post_in(
    running: RunningBot, double: DiscordDouble, denied: tuple[int, ...], named: list[str]
) -> None:
    locked = double.guild.add_channel("locked", 0)
    await double.announce_guild(double.guild)
    await double.deny_bot(locked.id, *denied)
    text = await _refusal(
        double, "digest schedule", {"channel": locked, "when": "daily 08:00", "timezone": "UTC"}
    )
    assert f"I cannot post in <#{locked.id}>" in text
    assert all(name in text for name in named), text
    assert "Nothing was changed" in text
    listed = await double.slash("digest list", user=double.moderator)
    assert "No digests yet" in (await listed.response())["data"]["content"]


@pytest.mark.parametrize(
    ("kind", "thread", "denied", "named"),
    [
        (0, True, CREATE_PUBLIC_THREADS, "Create Public Threads"),
        (15, False, SEND_MESSAGES_IN_THREADS, "Send Messages in Threads"),
    ],
    ids=["thread", "forum"],
)
async def test_a_digest_needs_what_its_thread_or_forum_post_needs(
    running: RunningBot, double: DiscordDouble, kind: int, thread: bool, denied: int, named: str
) -> None:
    locked = double.guild.add_channel("locked", kind)
    await double.announce_guild(double.guild)
    await double.deny_bot(locked.id, denied)
    options = {"channel": locked, "when": "daily 08:00", "timezone": "UTC", "thread": thread}
    text = await _refusal(double, "digest schedule", options)
    assert f"I cannot post in <#{locked.id}>: I am missing {named}" in text, text
    assert "Nothing was changed" in text
    created = await double.slash(
        "digest schedule", {**options, "channel": double.text_channel}, user=double.moderator
    )
    assert "scheduled" in (await created.response())["data"]["content"]
    text = await _refusal(
        double, "digest edit", {"schedule": 1, "channel": locked, "thread": thread}
    )
    assert named in text, text
    if kind == 0:  # a feed without threads, and a digest without a thread, need no thread rights
        plain = await double.slash(
            "digest edit", {"schedule": 1, "channel": locked, "thread": False},
            user=double.moderator,
        )  # fmt: skip
        assert "now posts" in (await plain.response())["data"]["content"]


async def test_follow_refuses_a_channel_the_bot_cannot_post_in(
    running: RunningBot, double: DiscordDouble
) -> None:
    locked = double.guild.add_channel("locked", 0)
    await double.announce_guild(double.guild)
    await double.deny_bot(locked.id, READ_MESSAGE_HISTORY, EMBED_LINKS)
    text = await _refusal(double, "follow topic", {"name": "tariffs", "channel": locked})
    assert "Read Message History" in text
    assert "Embed Links" in text
    assert "Nothing was changed" in text
    listed = await double.slash("follow list", user=double.moderator)
    assert "Nothing followed yet" in (await listed.response())["data"]["content"]


async def test_a_channel_the_bot_can_post_in_is_accepted(
    running: RunningBot, double: DiscordDouble
) -> None:
    rec = await double.slash(
        "follow topic", {"name": "tariffs", "channel": double.text_channel}, user=double.moderator
    )
    assert "Following topic" in (await rec.response())["data"]["content"]


async def test_feed_add_runs_the_same_check(running: RunningBot, double: DiscordDouble) -> None:
    locked = double.guild.add_channel("locked", 0)
    await double.announce_guild(double.guild)
    await double.deny_bot(locked.id, READ_MESSAGE_HISTORY)
    rec = await double.slash(
        "feed add", {"url": "http://127.0.0.1:9/feed.xml", "channel": locked}, user=double.moderator
    )
    first = await rec.response()
    data = await rec.followup() if first["type"] == 5 else first["data"]
    assert "Read Message History" in data["content"], data["content"]

"""/digest preview shows exactly what the next run posts (and names its thread or forum post);
/digest list tells a run's real outcome.

Runs are played as a bot that was down over the run time and catches up within the grace window,
so nothing waits for a real clock to reach a run."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from tests.bot.test_digest_e2e import (
    digest_list,
    eventually,
    next_minute,
    running_bot,
    schedule,
)
from tests.bot.test_digest_edit_e2e import threads_under
from tests.discord_double import DiscordDouble

pytestmark = pytest.mark.slow

EPHEMERAL = 64
RUN = next_minute() + dt.timedelta(hours=1)  # a run time clear of the real clock


def _shown(message: dict) -> tuple[str | None, list[dict]]:
    """What a member sees of a message: its text and its embeds."""
    return message.get("content") or None, message.get("embeds") or []


@pytest.mark.parametrize("options", [{}, {"style": "compact"}], ids=["full", "compact"])
async def test_preview_shows_exactly_the_messages_the_next_run_posts(
    library, double: DiscordDouble, options: dict
) -> None:
    channel = double.text_channel
    before = await running_bot(library, double, RUN - dt.timedelta(hours=1))
    try:
        await schedule(double, channel, RUN, **options)
        rec = await double.slash("digest preview", {"schedule": 1}, user=double.moderator)
        header = (await rec.response())["data"]
        assert header["flags"] & EPHEMERAL
        assert f"<t:{int(RUN.timestamp())}:F>" in header["content"]
        assert "this message" in header["content"]
        preview = await rec.followup(0)
        assert preview["flags"] & EPHEMERAL
    finally:
        await before.stop()
    after = await running_bot(library, double, RUN + dt.timedelta(minutes=1))
    try:
        await eventually(lambda: len(double.channel_messages(channel.id)) == 1)
    finally:
        await after.stop()
    (posted,) = double.channel_messages(channel.id)
    assert _shown(preview) == _shown(posted)
    assert len(rec.followups) == 1


async def test_an_empty_run_after_a_posted_one_is_nothing_new(library, double) -> None:
    channel = double.text_channel
    first = await running_bot(library, double, RUN - dt.timedelta(hours=1))
    try:
        await schedule(double, channel, RUN)
    finally:
        await first.stop()
    second = await running_bot(library, double, RUN + dt.timedelta(minutes=1))
    try:
        await eventually(lambda: len(double.channel_messages(channel.id)) == 1)
        await eventually_listed(double, ": posted 1 message")
    finally:
        await second.stop()
    next_day = await running_bot(library, double, RUN + dt.timedelta(days=1, minutes=1))
    try:
        listed = await eventually_listed(double, ": nothing new")
        assert "skipped" not in listed
        rec = await double.slash("digest preview", {"schedule": 1}, user=double.moderator)
        answer = (await rec.response())["data"]
        assert "nothing new" in answer["content"]
        assert answer["flags"] & EPHEMERAL
    finally:
        await next_day.stop()
    assert len(double.channel_messages(channel.id)) == 1


async def eventually_listed(double: DiscordDouble, words: str) -> str:
    """/digest list, asked until it shows `words` (the catch-up runs in the background)."""
    listed = ""

    async def shows() -> bool:
        nonlocal listed
        listed = await digest_list(double)
        return words in listed

    for _ in range(100):
        if await shows():
            return listed
        await asyncio.sleep(0.1)
    raise AssertionError(f"/digest list never showed {words!r}: {listed}")


@pytest.mark.parametrize("kind", ["thread", "forum"])
async def test_preview_names_the_thread_or_forum_post_the_run_opens(
    library, double: DiscordDouble, kind: str
) -> None:
    channel = double.guild.add_channel("digests", 15) if kind == "forum" else double.text_channel
    before = await running_bot(library, double, RUN - dt.timedelta(hours=1))
    try:
        await schedule(double, channel, RUN, thread=kind == "thread")
        rec = await double.slash("digest preview", {"schedule": 1}, user=double.moderator)
        header = (await rec.response())["data"]["content"]
        preview = await rec.followup(0)
    finally:
        await before.stop()
    after = await running_bot(library, double, RUN + dt.timedelta(minutes=1))
    try:
        await eventually(lambda: len(threads_under(double, channel)) == 1)
        await eventually_listed(double, ": posted 1 message")
    finally:
        await after.stop()
    (thread,) = threads_under(double, channel)
    assert thread.name.startswith("Digest — ")
    if kind == "forum":
        assert f"as the forum post “{thread.name}” in <#{channel.id}>" in header
        (posted,) = double.channel_messages(thread.id)
    else:
        assert f"in <#{channel.id}> and open the thread “{thread.name}” under it" in header
        (posted,) = double.channel_messages(channel.id)
    assert _shown(preview) == _shown(posted)

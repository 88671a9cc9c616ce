"""Scheduled digests end to end: the real bot and the real APScheduler against the Discord double.

Time is driven by `ShiftedClock`, a clock that runs at real speed from a chosen instant: the bot's
scheduler fires its jobs when that clock reaches a run, so a test sets the clock just before a run
(or long after it, to play a bot that was down) instead of sleeping until it."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable

import pytest

from bot.app import BriefBot
from bot.config import Settings
from bot.runtime.digests import DiscordDigestPoster
from briefs.digests.compose import DigestMessage, for_run
from briefs.digests.service import DigestService
from storage.schedules import ScheduleStore
from tests.bot.conftest import RunningBot
from tests.discord_double import DiscordDouble, pings_nobody

pytestmark = pytest.mark.slow


class ShiftedClock:
    """Real time shifted so that it reads `start` now."""

    def __init__(self, start: dt.datetime) -> None:
        self._shift = start - dt.datetime.now(dt.UTC)

    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC) + self._shift


def DigestBot(settings: Settings, clock: ShiftedClock) -> BriefBot:  # reads as a class
    """The bot, with its scheduler on a clock the test controls."""
    return BriefBot(settings, clock=clock)


def next_minute() -> dt.datetime:
    """The start of the next real minute, at least 10 s away (a run time for `daily HH:MM`)."""
    now = dt.datetime.now(dt.UTC)
    return now.replace(second=0, microsecond=0) + dt.timedelta(minutes=2 if now.second > 50 else 1)


async def running_bot(settings: Settings, double: DiscordDouble, at: dt.datetime) -> RunningBot:
    """Start the digest bot with its clock reading `at`, and wait until it is connected."""
    bot = DigestBot(settings, ShiftedClock(at))
    task = asyncio.create_task(bot.start(double.token))
    await asyncio.wait_for(bot.wait_until_ready(), 10)
    return RunningBot(bot, double, settings, task)


async def eventually(check: Callable[[], bool], within: float = 10.0) -> None:
    """Wait until `check()` holds (the scheduler and Discord work in the background)."""
    async with asyncio.timeout(within):
        while not check():  # noqa: ASYNC110  # state lives in the double, polled
            await asyncio.sleep(0.05)


async def schedule(double: DiscordDouble, channel, run: dt.datetime, **options) -> str:
    when = f"daily {run:%H:%M}"
    rec = await double.slash(
        "digest schedule",
        {"channel": channel, "when": when, "timezone": "UTC", **options},
        user=double.moderator,
    )
    answer = await rec.response()
    assert answer["data"]["flags"] & 64
    return answer["data"]["content"]


async def digest_list(double: DiscordDouble) -> str:
    rec = await double.slash("digest list", user=double.moderator)
    data = (await rec.response())["data"]
    return (data.get("content") or "") + "".join(e["description"] for e in data.get("embeds", []))


def digests_in(double: DiscordDouble, channel_id: int) -> list[dict]:
    return [m for m in double.channel_messages(channel_id) if "**Digest**" in m.get("content", "")]


async def test_a_scheduled_digest_is_posted_and_published_in_an_announcement_channel(
    library, double
):
    run = next_minute()
    bot = await running_bot(library, double, run - dt.timedelta(seconds=2))
    try:
        answer = await schedule(double, double.announcement_channel, run)
        assert f"every day at {run:%H:%M} (UTC)" in answer
        assert answer.count("<t:") == 3
        assert ":F>" in answer
        channel = double.announcement_channel.id
        await eventually(lambda: len(digests_in(double, channel)) == 1)
        posted = digests_in(double, channel)[0]
        assert posted["embeds"]
        assert pings_nobody(posted)
        await eventually(lambda: [m["id"] for m in double.crossposts(channel)] == [posted["id"]])
        assert "posted" in await digest_list(double)
    finally:
        await bot.stop()
    double.assert_clean()


async def test_a_restart_right_after_a_run_does_not_post_it_again(library, double):
    run = next_minute()
    first = await running_bot(library, double, run - dt.timedelta(seconds=2))
    try:
        await schedule(double, double.text_channel, run)
        await eventually(lambda: len(digests_in(double, double.text_channel.id)) == 1)
    finally:
        await first.stop()
    second = await running_bot(library, double, run + dt.timedelta(minutes=5))
    try:
        await asyncio.sleep(1.0)  # give the catch-up pass its chance to (wrongly) post again
        assert "posted" in await digest_list(double)
    finally:
        await second.stop()
    assert len(digests_in(double, double.text_channel.id)) == 1


@pytest.mark.parametrize(("down_for", "posts", "status"), [(30, 1, "posted"), (120, 0, "skipped")])
async def test_a_run_missed_while_down_is_posted_within_the_grace_window_else_skipped(
    library, double, down_for, posts, status
):
    run = next_minute() + dt.timedelta(hours=1)
    first = await running_bot(library, double, run - dt.timedelta(minutes=30))
    try:
        await schedule(double, double.text_channel, run)
    finally:
        await first.stop()
    assert digests_in(double, double.text_channel.id) == []
    later = await running_bot(library, double, run + dt.timedelta(minutes=down_for))
    try:
        await eventually_status(double, status)
    finally:
        await later.stop()
    assert len(digests_in(double, double.text_channel.id)) == posts


async def eventually_status(double: DiscordDouble, status: str) -> None:
    async with asyncio.timeout(10):
        while f": {status}" not in await digest_list(double):  # noqa: ASYNC110  # asks the bot
            await asyncio.sleep(0.2)


async def test_a_deleted_channel_marks_its_digest_failing_and_the_others_still_post(
    library, double
):
    run = next_minute()
    doomed = double.guild.add_channel("doomed")
    logs = double.guild.add_channel("bot-log")
    bot = await running_bot(library, double, run - dt.timedelta(seconds=3))
    try:
        rec = await double.slash("settings log-channel", {"channel": logs}, user=double.moderator)
        await rec.response()
        await schedule(double, doomed, run)
        await schedule(double, double.text_channel, run, style="compact")
        await double.delete_channel(doomed.id)
        await eventually(lambda: len(digests_in(double, double.text_channel.id)) == 1)
        await eventually(lambda: len(double.channel_messages(logs.id)) == 1)
        report = double.channel_messages(logs.id)[0]["content"]
        assert "deleted" in report
        assert "failing" in await digest_list(double)
    finally:
        await bot.stop()


async def crash_mid_run(
    bot: RunningBot, channel_id: int, run: dt.datetime, *, accepted: bool, parts: int | None = None
):
    """Leave what a crash during the run leaves: the run claimed, no message id recorded.

    The steps are the run's own, through the running bot: compose, claim the run key, and (when
    `accepted`) post the marked message (the first `parts` of them), which Discord accepts; the
    process then dies before the ids are written."""
    schedules = ScheduleStore(bot.bot.store)
    (schedule_id,) = await schedules.all_ids()
    poster = DiscordDigestPoster(bot.bot)
    digest = await DigestService(schedules, bot.bot.store, poster).preview(
        bot.double.guild.id, schedule_id
    )
    claimed = await schedules.claim(
        schedule_id, run, trigger="schedule", cursor_to=digest.cursor, now=run
    )
    assert claimed is not None
    if accepted:
        messages = for_run(digest.messages, schedule_id, run)
        if parts is None:
            (message,) = messages  # the whole digest is one message
        for message in messages[:parts]:
            posted = await poster.post(channel_id, message, title="Digest")
            channel_id = posted.thread_id or channel_id  # a forum post's next messages go in it


@pytest.mark.parametrize("accepted", [True, False], ids=["after-accept", "before-accept"])
async def test_a_crash_around_the_post_leaves_exactly_one_digest_after_a_restart(
    library, double, accepted
):
    run = next_minute() + dt.timedelta(hours=1)
    channel = double.announcement_channel.id
    first = await running_bot(library, double, run - dt.timedelta(minutes=30))
    try:
        await schedule(double, double.announcement_channel, run)
        await crash_mid_run(first, channel, run, accepted=accepted)
    finally:
        await first.stop()
    assert len(digests_in(double, channel)) == int(accepted)
    second = await running_bot(library, double, run + dt.timedelta(minutes=2))
    try:
        await eventually_status(double, "posted")
        (posted,) = digests_in(double, channel)
        assert f"· run {run:%Y-%m-%d %H:%M} UTC" in posted["embeds"][-1]["footer"]["text"]
        await eventually(lambda: [m["id"] for m in double.crossposts(channel)] == [posted["id"]])
    finally:
        await second.stop()
    assert len(digests_in(double, channel)) == 1
    assert any(r.method == "GET" and r.path.endswith("/messages") for r in double.requests)
    double.assert_clean()


async def test_without_read_message_history_an_unconfirmed_run_is_reported_not_reposted(
    library, double
):
    run = next_minute() + dt.timedelta(hours=1)
    logs = double.guild.add_channel("bot-log")
    first = await running_bot(library, double, run - dt.timedelta(minutes=30))
    try:
        rec = await double.slash("settings log-channel", {"channel": logs}, user=double.moderator)
        await rec.response()
        await schedule(double, double.text_channel, run)
        await crash_mid_run(first, double.text_channel.id, run, accepted=True)
    finally:
        await first.stop()
    double.forbid(double.text_channel.id)
    second = await running_bot(library, double, run + dt.timedelta(minutes=2))
    try:
        await eventually_status(double, "failed")
        await eventually(lambda: len(double.channel_messages(logs.id)) == 1)
    finally:
        await second.stop()
    report = double.channel_messages(logs.id)[0]["content"]
    assert "read message history" in report
    assert "not posted again" in report
    assert len(digests_in(double, double.text_channel.id)) == 1


async def test_discord_answers_a_repeated_run_message_with_the_first_one(library, double):
    at = next_minute() + dt.timedelta(hours=1)
    bot = await running_bot(library, double, at)
    try:
        poster = DiscordDigestPoster(bot.bot)
        (message,) = for_run((DigestMessage("**Digest** — retry"),), 7, at)
        first = await poster.post(double.text_channel.id, message, title="Digest")
        # a retry after a lost answer
        again = await poster.post(double.text_channel.id, message, title="Digest")
    finally:
        await bot.stop()
    assert again == first
    (posted,) = digests_in(double, double.text_channel.id)
    assert posted["content"].endswith(f"-# Digest #7 · run {at:%Y-%m-%d %H:%M} UTC")
    channel_posts = f"/channels/{double.text_channel.id}/messages"
    body = next(r.json for r in double.requests if r.method == "POST" and r.path == channel_posts)
    assert body["enforce_nonce"] is True
    assert body["nonce"] == message.nonce
    double.assert_clean()

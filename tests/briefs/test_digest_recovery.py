"""A run interrupted by a crash is settled exactly once on restart (real SQLite library).

`Channels` is an in-memory Discord: it keeps each channel's messages, answers a repeated nonce with
the first message (Discord's dedup), serves the bot's history newest first, and can "crash" the
process just before or just after it accepts a post. A restart is a new store on the same file and
a new service; the channels stay, as Discord's do."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from briefs.digests.compose import DigestMessage, Posted, run_marker
from briefs.digests.drafts import make_draft
from briefs.digests.policy import DeliveryPolicy
from briefs.digests.ports import DeliveryFailed
from briefs.digests.service import DigestService
from briefs.model import Brief
from storage.schedules import ScheduleStore
from storage.sqlite import SqliteBriefStore
from tests.clock import ManualClock

UTC = dt.UTC
GUILD, CHANNEL, LOG = 100, 1, 9
RUN = dt.datetime(2026, 6, 1, 8, 0, tzinfo=UTC)  # `daily 08:00` in UTC


class Crash(Exception):  # reads as what happens to the process
    """The process died here: nothing after this line of the run happened."""


@dataclass
class Channels:
    """Discord's side: messages per channel, nonce dedup, history, and scripted crashes."""

    announcement: set[int] = field(default_factory=set)
    no_history: set[int] = field(default_factory=set)
    crash: str | None = None  # "before" or "after" Discord accepts post number `crash_at`
    crash_at: int = 1
    messages: dict[int, list[tuple[int, DigestMessage]]] = field(default_factory=dict)
    nonces: dict[tuple[int, str], int] = field(default_factory=dict)
    published: list[int] = field(default_factory=list)
    reports: list[str] = field(default_factory=list)
    next_id: int = 5000

    def _crash_now(self) -> str | None:
        if self.crash is None:
            return None
        self.crash_at -= 1
        if self.crash_at > 0:
            return None
        crash, self.crash, self.crash_at = self.crash, None, 1
        return crash

    async def check(self, channel_id: int, *, thread: bool) -> None:
        return None

    async def post(self, channel_id: int, message: DigestMessage, *, title: str = "") -> Posted:
        crash = self._crash_now()
        if crash == "before":
            raise Crash
        announcement = channel_id in self.announcement
        if message.nonce and (channel_id, message.nonce) in self.nonces:
            return Posted(self.nonces[channel_id, message.nonce], announcement)
        self.next_id += 1
        self.messages.setdefault(channel_id, []).append((self.next_id, message))
        if message.nonce:
            self.nonces[channel_id, message.nonce] = self.next_id
        if crash == "after":
            raise Crash
        return Posted(self.next_id, announcement)

    async def open_thread(self, channel_id: int, message_id: int, name: str) -> int:
        return message_id

    async def publish(self, channel_id: int, message_id: int) -> None:
        self.published.append(message_id)

    async def report(self, channel_id: int, text: str) -> None:
        self.reports.append(text)

    async def find_posted(self, channel_id: int, marker: str, *, limit: int = 100) -> list[Posted]:
        if channel_id in self.no_history:
            raise DeliveryFailed(channel_id, "missing permission to read message history")
        newest_first = list(reversed(self.messages.get(channel_id, [])))[:limit]
        found = [i for i, m in newest_first if marker in shown_text(m)]
        return [Posted(i, channel_id in self.announcement) for i in sorted(found)]

    def in_channel(self, channel_id: int) -> list[DigestMessage]:
        return [m for _, m in self.messages.get(channel_id, [])]


def shown_text(message: DigestMessage) -> str:
    return "\n".join([message.content, *(c.footer or "" for c in message.cards)])


def brief(headline: str) -> Brief:
    return Brief(headline, dt.date(2026, 6, 1), None, (f"{headline}.",), False, (), "", headline)


async def no_sleep(_: float) -> None:
    return None


@dataclass
class Bot:
    """One run of the bot process: its store and its digest service."""

    store: SqliteBriefStore
    service: DigestService

    @property
    def schedules(self) -> ScheduleStore:
        assert isinstance(self.service.schedules, ScheduleStore)
        return self.service.schedules


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "lib.db"


@pytest.fixture
def channels() -> Channels:
    return Channels()


async def start(path: Path, channels: Channels, at: dt.datetime | ManualClock) -> Bot:
    clock = at if isinstance(at, ManualClock) else ManualClock(at)
    store = await SqliteBriefStore.open(path, clock=clock)
    svc = DigestService(
        ScheduleStore(store), store, channels, policy=DeliveryPolicy(sleep=no_sleep)
    )
    return Bot(store, svc)


async def library_with_schedule(
    path: Path, channels: Channels, *, briefs: int = 3, channel: int = CHANNEL
) -> int:
    """A library with `briefs` briefs and a `daily 08:00` UTC schedule; returns the schedule id."""
    clock = ManualClock(RUN - dt.timedelta(hours=2))
    bot = await start(path, channels, clock)
    for n in range(briefs):
        clock.at += dt.timedelta(minutes=1)
        await bot.store.add(f"text {n}", brief(f"Story {n}"), guild_id=GUILD, source=None)
    draft = make_draft(GUILD, channel, "daily 08:00", "UTC", max_items=25)
    made = await bot.service.create(draft, now=RUN - dt.timedelta(hours=3))
    await bot.schedules.set_log_channel(GUILD, LOG, now=RUN - dt.timedelta(hours=3))
    await bot.store.close()
    return made.id


async def crash_during_the_run(
    path: Path, channels: Channels, schedule_id: int, when: str, *, message: int = 1
) -> None:
    """The 08:00 run dies `when` Discord accepts its `message`-th message, before its record."""
    bot = await start(path, channels, RUN)
    channels.crash, channels.crash_at = when, message
    with pytest.raises(Crash):
        await bot.service.run_due(schedule_id, now=RUN)
    await bot.store.close()
    (run,) = await unfinished(path, channels)
    assert len(run.message_ids) == message - 1  # the crash came before that id was recorded


async def unfinished(path: Path, channels: Channels):
    bot = await start(path, channels, RUN)
    try:
        return await bot.schedules.unfinished_runs()
    finally:
        await bot.store.close()


async def restart(path: Path, channels: Channels, at: dt.datetime, schedule_id: int):
    """Start again at `at`, run catch-up, and return the run's outcomes and the schedule."""
    bot = await start(path, channels, at)
    try:
        outcomes = await bot.service.catch_up(now=at)
        return outcomes, await bot.schedules.get(GUILD, schedule_id)
    finally:
        await bot.store.close()


async def test_a_crash_after_discord_accepted_the_post_is_recorded_not_posted_again(path, channels):
    channels.announcement.add(CHANNEL)
    sid = await library_with_schedule(path, channels)
    await crash_during_the_run(path, channels, sid, "after")
    (message,) = channels.in_channel(CHANNEL)
    assert run_marker(sid, RUN) in message.cards[-1].footer
    outcomes, schedule = await restart(path, channels, RUN + dt.timedelta(minutes=2), sid)
    assert len(channels.in_channel(CHANNEL)) == 1
    (posted_id, _), *_ = channels.messages[CHANNEL]
    assert [(o.status, o.message_ids) for o in outcomes] == [("posted", (posted_id,))]
    assert schedule.last_run is not None
    assert schedule.last_run.status == "posted"
    assert schedule.last_run.message_ids == (posted_id,)
    assert schedule.cursor == RUN - dt.timedelta(hours=2) + dt.timedelta(minutes=3)
    assert channels.published == [posted_id]  # queued and published as a normal post would be
    assert channels.reports == []
    await restart(path, channels, RUN + dt.timedelta(minutes=3), sid)  # a second start: no change
    assert len(channels.in_channel(CHANNEL)) == 1
    assert channels.published == [posted_id]


async def test_a_crash_before_discord_accepted_the_post_posts_it_once_within_grace(path, channels):
    sid = await library_with_schedule(path, channels)
    await crash_during_the_run(path, channels, sid, "before")
    assert channels.in_channel(CHANNEL) == []
    outcomes, schedule = await restart(path, channels, RUN + dt.timedelta(minutes=30), sid)
    (message,) = channels.in_channel(CHANNEL)
    assert [c.title for c in message.cards] == ["Story 2", "Story 1", "Story 0"]
    assert run_marker(sid, RUN) in message.cards[-1].footer
    assert [o.status for o in outcomes] == ["posted"]
    assert schedule.last_run is not None
    assert schedule.last_run.scheduled_for == RUN  # the interrupted run itself, not a new one
    assert schedule.last_run.status == "posted"
    assert schedule.failures == 0


async def test_briefs_that_arrived_after_the_claim_wait_for_the_next_digest(path, channels):
    sid = await library_with_schedule(path, channels)
    await crash_during_the_run(path, channels, sid, "before")
    bot = await start(path, channels, RUN + dt.timedelta(minutes=5))
    await bot.store.add("late", brief("Late story"), guild_id=GUILD, source=None)
    await bot.store.close()
    await restart(path, channels, RUN + dt.timedelta(minutes=10), sid)
    (message,) = channels.in_channel(CHANNEL)
    assert "Late story" not in [c.title for c in message.cards]  # the run posts what it claimed
    bot = await start(path, channels, RUN + dt.timedelta(days=1))
    try:
        outcome = await bot.service.run_due(sid, now=RUN + dt.timedelta(days=1))
    finally:
        await bot.store.close()
    assert outcome is not None
    assert [c.title for c in channels.in_channel(CHANNEL)[1].cards] == ["Late story"]


@pytest.mark.parametrize(
    ("crash", "messages", "status"), [("before", 0, "skipped"), ("after", 1, "posted")]
)
async def test_a_restart_past_the_grace_window_posts_nothing_more(
    path, channels, crash, messages, status
):
    sid = await library_with_schedule(path, channels)
    await crash_during_the_run(path, channels, sid, crash)
    outcomes, schedule = await restart(path, channels, RUN + dt.timedelta(hours=2), sid)
    assert len(channels.in_channel(CHANNEL)) == messages
    assert schedule.last_run is not None
    assert (schedule.last_run.scheduled_for, schedule.last_run.status) == (RUN, status)
    assert outcomes[0].status == status
    if status == "skipped":
        assert "grace window" in (schedule.last_run.error or "")
        assert schedule.cursor == RUN - dt.timedelta(hours=3, days=1)  # its briefs wait
        assert "skipped the run" in channels.reports[0]


@pytest.mark.parametrize("crash", ["before", "after"])
async def test_a_digest_split_over_messages_is_completed_once_after_a_crash_mid_way(
    path, channels, crash
):
    sid = await library_with_schedule(path, channels, briefs=14)  # 10 + 4 cards: two messages
    await crash_during_the_run(path, channels, sid, crash, message=2)
    outcomes, schedule = await restart(path, channels, RUN + dt.timedelta(minutes=1), sid)
    posted = channels.in_channel(CHANNEL)
    assert [len(m.cards) for m in posted] == [10, 4]
    assert posted[0].content.startswith("**Digest**")
    assert all(run_marker(sid, RUN) in m.cards[-1].footer for m in posted)
    assert schedule.last_run is not None
    assert schedule.last_run.message_ids == tuple(i for i, _ in channels.messages[CHANNEL])
    assert [o.status for o in outcomes] == ["posted"]


async def test_a_crash_that_history_does_not_show_yet_is_still_deduplicated_by_the_nonce(
    path, channels
):
    sid = await library_with_schedule(path, channels)
    await crash_during_the_run(path, channels, sid, "after")
    accepted = channels.messages[CHANNEL]
    channels.messages[CHANNEL] = []  # history lags behind: the restart cannot see the post
    await restart(path, channels, RUN + dt.timedelta(minutes=1), sid)
    assert channels.messages[CHANNEL] == []  # Discord answered with the first message instead
    assert len(accepted) == 1


async def test_unreadable_history_falls_back_to_never_posting_again_and_says_why(path, channels):
    sid = await library_with_schedule(path, channels)
    await crash_during_the_run(path, channels, sid, "after")
    channels.no_history.add(CHANNEL)
    outcomes, schedule = await restart(path, channels, RUN + dt.timedelta(minutes=1), sid)
    assert len(channels.in_channel(CHANNEL)) == 1  # the one Discord accepted; never a second
    assert [o.status for o in outcomes] == ["failed"]
    assert schedule.last_run is not None
    assert "read message history" in (schedule.last_run.error or "")
    (report,) = channels.reports
    assert "not posted again" in report
    assert "read message history" in report

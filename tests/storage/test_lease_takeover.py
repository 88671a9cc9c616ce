"""A process that stalls past its lease loses its run, and the run is still posted exactly once.

Two libraries on one database stand for two processes (on SQLite, two connections to the file);
the test's clock is the only clock. Process A claims a run and stalls while posting (its poster
moves the clock past the lease and lets process B take over, as a slow, alive process would
see it); B settles the run from what the channel shows. The Discord side is the in-memory
FakeDiscord of test_schedules.py, shared by both, so the channel is checked for each message."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import pytest

from briefs.digests.compose import DigestMessage, Posted, RunOutcome
from briefs.digests.drafts import make_draft
from briefs.digests.policy import DeliveryPolicy
from briefs.digests.ports import ClaimLost
from briefs.digests.service import DigestService
from storage.engine import open_library
from storage.schedules import ScheduleStore
from tests.clock import ManualClock
from tests.storage.test_schedules import FakeDiscord, brief, no_sleep

GUILD, CHANNEL = 100, 1
T0 = dt.datetime(2026, 6, 1, 5, 0, tzinfo=dt.UTC)
EIGHT = T0 + dt.timedelta(hours=1)  # the schedule's run: 08:00 in Berlin
LEASE = dt.timedelta(seconds=45)
BRIEFS = 25  # three messages of at most ten cards


@dataclass
class StallingDiscord:
    """Process A's view of the shared channel: after its `after`-th message lands, A stalls
    (the post has not returned yet) while `stall` runs: the clock moves, B takes over."""

    channel: FakeDiscord
    after: int
    stall: Callable[[], Awaitable[None]]
    stalled: bool = field(default=False)

    async def check(self, channel_id: int, *, thread: bool) -> None:
        return None

    async def post(self, channel_id: int, message: DigestMessage, *, title: str = "") -> Posted:
        posted = await self.channel.post(channel_id, message, title=title)
        if len(self.channel.posts) == self.after and not self.stalled:
            self.stalled = True
            await self.stall()
        return posted

    async def open_thread(self, channel_id: int, message_id: int, name: str) -> int:
        return await self.channel.open_thread(channel_id, message_id, name)

    async def publish(self, channel_id: int, message_id: int) -> None:
        await self.channel.publish(channel_id, message_id)

    async def report(self, channel_id: int, text: str) -> None:
        await self.channel.report(channel_id, text)

    async def find_posted(self, channel_id: int, marker: str, *, limit: int = 100) -> list[Posted]:
        return await self.channel.find_posted(channel_id, marker, limit=limit)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(T0 - dt.timedelta(hours=2))


@pytest.fixture
async def libraries(library_url, clock):
    """Two processes' libraries on one database, holding BRIEFS briefs of the guild."""
    one = await open_library(library_url, clock=clock)
    two = await open_library(library_url, clock=clock)
    for n in range(BRIEFS):
        clock.at += dt.timedelta(minutes=1)
        await one.add(f"text {n}", brief(f"Story {n}"), guild_id=GUILD, source=None)
    yield one, two
    await one.close()
    await two.close()


def process(library, poster, clock: ManualClock) -> DigestService:
    policy = DeliveryPolicy(sleep=no_sleep, clock=clock.now)
    return DigestService(ScheduleStore(library, lease=LEASE), library, poster, policy=policy)


@pytest.mark.parametrize("after", [1, 2, 3], ids=["after-1", "after-2", "after-all"])
async def test_a_run_taken_over_from_a_stalled_process_is_posted_once(
    libraries, clock, after
) -> None:
    channel = FakeDiscord(announcement={CHANNEL})
    taken: list[RunOutcome] = []
    b = process(libraries[1], channel, clock)

    async def stall() -> None:  # A is stuck in Discord's answer past its lease; B's pass runs
        clock.at += LEASE + dt.timedelta(seconds=1)
        taken.extend(await b.resolve_interrupted(now=clock.now()))

    a = process(libraries[0], StallingDiscord(channel, after, stall), clock)
    draft = make_draft(GUILD, CHANNEL, "daily 08:00", "Europe/Berlin", max_items=25)
    s = await a.create(draft, now=T0 - dt.timedelta(hours=3))
    clock.at = EIGHT

    lost = await a.run_due(s.id, now=EIGHT)

    nonces = [m.nonce for _, m in channel.posts]
    assert len(nonces) == 3
    assert len(set(nonces)) == 3  # each message of the run once, none twice
    assert lost is None  # A lost the run: it reports nothing of it
    assert [o.status for o in taken] == ["posted"]  # B settled it, once
    run = (await b.schedules.get(GUILD, s.id)).last_run
    assert run is not None
    assert (run.status, run.message_ids) == ("posted", (1001, 1002, 1003))
    assert sorted(channel.published) == [1001, 1002, 1003]  # one publish task per message
    assert await a.run_due(s.id, now=clock.now()) is None  # the run is done for both
    assert await b.run_due(s.id, now=clock.now()) is None
    assert len(channel.posts) == 3


async def test_without_a_stall_the_owner_posts_and_no_one_takes_over(libraries, clock) -> None:
    channel = FakeDiscord()
    a, b = process(libraries[0], channel, clock), process(libraries[1], channel, clock)
    draft = make_draft(GUILD, CHANNEL, "daily 08:00", "Europe/Berlin", max_items=25)
    s = await a.create(draft, now=T0 - dt.timedelta(hours=3))
    outcome = await a.run_due(s.id, now=EIGHT)
    assert outcome is not None
    assert outcome.status == "posted"
    clock.at = EIGHT + LEASE * 3
    assert await b.resolve_interrupted(now=clock.now()) == []
    assert len(channel.posts) == 3


async def test_the_claim_is_held_until_taken_over_then_the_old_owner_can_do_nothing(
    libraries, engine
) -> None:
    a = ScheduleStore(libraries[0], lease=LEASE)
    b = ScheduleStore(libraries[1], lease=LEASE)
    (s,) = [await a.add(make_draft(GUILD, CHANNEL, "daily 08:00", "UTC"), now=T0, cursor=None)]
    run = await a.claim(s.id, EIGHT, trigger="schedule", cursor_to=None, now=EIGHT)
    assert run is not None
    assert await a.hold(run.id, now=EIGHT + LEASE / 2)  # renewed up to 1.5 leases
    if engine == "postgres":  # a live, renewed lease is not taken
        assert await b.take_over(now=EIGHT + LEASE) == []
        assert await a.hold(run.id, now=EIGHT + LEASE * 3)  # ran out, no taker yet: still A's
        taken = await b.take_over(now=EIGHT + LEASE * 5)
    else:  # one process per SQLite file: another owner's claim is an earlier start's
        taken = await b.take_over(now=EIGHT)
    assert [r.id for r in taken] == [run.id]
    assert not await a.hold(run.id, now=EIGHT + LEASE * 5)
    assert not await a.record_message(run.id, 1, publish=True, now=EIGHT)
    with pytest.raises(ClaimLost):
        await a.finish(run.id, "posted", now=EIGHT, advance=True)
    assert await b.hold(run.id, now=EIGHT + LEASE * 5)
    assert await b.record_message(run.id, 2, publish=True, now=EIGHT)
    await b.finish(run.id, "posted", now=EIGHT, advance=True)
    (done,) = [r for r in [(await b.get(GUILD, s.id)).last_run] if r is not None]
    assert (done.status, done.message_ids) == ("posted", (2,))
    assert not await b.hold(run.id, now=EIGHT)  # finished: no one holds it
    assert await b.pending_publishes(GUILD) == 1

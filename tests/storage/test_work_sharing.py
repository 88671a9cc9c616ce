"""Work claimed through the database: each digest run, feed poll and publish goes to one owner.

Two stores on one library stand for two bot processes (on PostgreSQL each has its own pool)."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from briefs.digests.drafts import make_draft
from storage.engine import open_library
from storage.schedules import ScheduleStore
from storage.sources import FEED_LEASE, SourcesStore

T0 = dt.datetime(2026, 6, 1, 8, 0, tzinfo=dt.UTC)
LEASE = dt.timedelta(seconds=45)


async def schedules(store, n: int) -> tuple[ScheduleStore, list[int]]:
    runs = ScheduleStore(store, max_per_guild=n)
    draft = make_draft(1, 10, "daily 08:00", "UTC")
    made = [await runs.add(draft, now=T0, cursor=None) for _ in range(n)]
    return runs, [s.id for s in made]


async def test_a_live_owners_claim_is_not_taken_and_an_expired_one_is_taken_once(
    store, engine
) -> None:
    first, (schedule_id,) = await schedules(store, 1)
    second, third = ScheduleStore(store), ScheduleStore(store)
    run = await first.claim(schedule_id, T0, trigger="schedule", cursor_to=None, now=T0)
    assert run is not None
    assert await first.take_over(now=T0) == []  # never from itself
    if engine == "postgres":  # shared: another process's live lease is respected
        assert await second.take_over(now=T0 + LEASE / 2) == []
        await first.renew_leases(now=T0 + LEASE / 2)
        assert await second.take_over(now=T0 + LEASE) == []  # renewed
        later = T0 + LEASE / 2 + LEASE
    else:  # one process per SQLite file: any other owner's claim is an earlier start's
        later = T0
    taken = await second.take_over(now=later)
    assert [r.id for r in taken] == [run.id]
    if engine == "postgres":
        assert await third.take_over(now=later) == []  # second holds it now


async def test_two_processes_racing_for_the_same_runs_claim_each_once(library_url, engine) -> None:
    one = await open_library(library_url)
    two = await open_library(library_url)
    try:
        a, ids = await schedules(one, 40)
        b = ScheduleStore(two)

        async def claim_all(store: ScheduleStore) -> list[int]:
            won = await asyncio.gather(
                *(store.claim(i, T0, trigger="schedule", cursor_to=None, now=T0) for i in ids)
            )
            return [r.schedule_id for r in won if r is not None]

        won_a, won_b = await asyncio.gather(claim_all(a), claim_all(b))
        assert sorted(won_a + won_b) == ids
        assert len(await a.unfinished_runs()) == len(ids)
    finally:
        await one.close()
        await two.close()


async def test_a_due_feed_goes_to_one_poller_until_its_claim_lapses(store) -> None:
    a, b = SourcesStore(store), SourcesStore(store)
    feed = await a.add_feed(
        "https://news.example/feed", guild_id=5, interval=15, added_by=None, now=T0
    )
    assert [f.id for f in await a.due_feeds(now=T0)] == [feed.id]
    assert await b.due_feeds(now=T0) == []
    assert await b.due_feeds(now=T0 + FEED_LEASE / 2) == []
    assert [f.id for f in await b.due_feeds(now=T0 + FEED_LEASE)] == [feed.id]  # a died
    await b.record_fetch(feed.id, now=T0 + FEED_LEASE, outcome="ok", next_due=T0 + LEASE * 40)
    assert await a.due_feeds(now=T0 + FEED_LEASE * 2) == []


async def test_a_due_publish_goes_to_one_publisher(store) -> None:
    a, (schedule_id,) = await schedules(store, 1)
    b = ScheduleStore(store)
    run = await a.claim(schedule_id, T0, trigger="schedule", cursor_to=None, now=T0)
    assert run is not None
    await a.record_message(run.id, 555, publish=True, now=T0)
    assert [t.message_id for t in await a.due_publishes(now=T0)] == [555]
    assert await b.due_publishes(now=T0) == []
    assert [t.message_id for t in await b.due_publishes(now=T0 + dt.timedelta(minutes=2))] == [555]


@pytest.mark.parametrize("n", [3])
async def test_the_owner_renews_only_its_own_leases(store, n) -> None:
    a, ids = await schedules(store, n)
    b = ScheduleStore(store)
    for i in ids[:-1]:
        await a.claim(i, T0, trigger="schedule", cursor_to=None, now=T0)
    await b.claim(ids[-1], T0, trigger="schedule", cursor_to=None, now=T0)
    assert await a.renew_leases(now=T0) == n - 1
    assert await b.renew_leases(now=T0) == 1

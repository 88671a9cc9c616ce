"""Every process's digest timers follow the schedules' rows, whichever process changed them.

Two DigestSchedulers on one database stand for two `briefbot run` processes (on SQLite, two
connections to one file; on PostgreSQL, two pools). Process A changes a schedule the way the
/digest commands do (service, then its own refresh); process B only runs its reconcile pass,
which its scheduler repeats every RECONCILE_EVERY seconds. The test reads the jobs each
APScheduler holds, and calls the pass itself, so no timer has to fire (the run times are hours
ahead of the test's clock)."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import discord
import pytest
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from bot.runtime.digests import RECONCILE_EVERY, DigestScheduler
from briefs.digests.drafts import edited_draft, make_draft
from briefs.digests.service import DigestService
from storage.engine import open_library
from storage.schedules import ScheduleStore
from storage.store import LibraryStore
from tests.clock import ManualClock
from tests.engines import ENGINES, empty_database, postgres_database
from tests.storage.test_schedules import FakeDiscord

__all__ = ["postgres_database"]  # the session's PostgreSQL database, a fixture

GUILD, CHANNEL = 100, 1
T0 = dt.datetime(2026, 6, 1, 5, 0, tzinfo=dt.UTC)


@pytest.fixture(params=ENGINES)
async def library_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "library.db")
    url = str(request.getfixturevalue("postgres_database"))
    await empty_database(url)
    return url


class Process:
    """One process's library, digest service and digest jobs."""

    def __init__(self, library: LibraryStore, clock: ManualClock) -> None:
        self.library = library
        self.service = DigestService(ScheduleStore(library), library, FakeDiscord())
        self.scheduler = AsyncIOScheduler(timezone=dt.UTC)
        self.client = discord.Client(intents=discord.Intents.none())
        self.jobs = DigestScheduler(
            self.client, self.service, self.scheduler, clock=clock, grace=dt.timedelta(hours=1)
        )

    def timer(self, schedule_id: int) -> str | None:
        """The schedule's job trigger ("digest[daily 08:00 Europe/Berlin]"), None without one."""
        job = self.scheduler.get_job(f"digest:{schedule_id}")
        return None if job is None else str(job.trigger)


@pytest.fixture
async def processes(library_url: str) -> AsyncIterator[tuple[Process, Process]]:
    clock = ManualClock(T0)
    one = Process(await open_library(library_url, clock=clock), clock)
    two = Process(await open_library(library_url, clock=clock), clock)
    async with one.client, two.client:  # set up, never logged in: catch-up waits, then stops
        for process in (one, two):
            await process.jobs.start()
            process.scheduler.start()
        yield one, two
        for process in (one, two):
            await process.jobs.stop()
            process.scheduler.shutdown(wait=False)
    await one.library.close()
    await two.library.close()


async def test_a_schedule_changed_in_one_process_changes_the_timer_in_the_other(
    processes: tuple[Process, Process],
) -> None:
    a, b = processes
    draft = make_draft(GUILD, CHANNEL, "daily 08:00", "Europe/Berlin")
    made = await a.service.create(draft, now=T0)
    await a.jobs.refresh(made.id)
    assert a.timer(made.id) == "digest[daily 08:00 Europe/Berlin]"
    assert b.timer(made.id) is None  # not yet: B has not looked

    assert await b.jobs.reconcile() == 1
    assert b.timer(made.id) == "digest[daily 08:00 Europe/Berlin]"
    assert await b.jobs.reconcile() == 0  # nothing changed: nothing touched

    changed = edited_draft(made, when="daily 09:30")
    await a.service.edit(GUILD, made.id, changed, now=T0)
    await b.jobs.reconcile()
    assert b.timer(made.id) == "digest[daily 09:30 Europe/Berlin]"

    await a.service.schedules.set_paused(GUILD, made.id, True)
    await b.jobs.reconcile()
    assert b.timer(made.id) is None
    await a.service.schedules.set_paused(GUILD, made.id, False)
    await b.jobs.reconcile()
    assert b.timer(made.id) == "digest[daily 09:30 Europe/Berlin]"

    await a.service.schedules.remove(GUILD, made.id)
    await b.jobs.reconcile()
    assert b.timer(made.id) is None
    await a.jobs.reconcile()  # A's own pass agrees (it never refreshed after the removal)
    assert a.timer(made.id) is None


async def test_a_schedule_made_by_a_process_that_then_died_gets_a_timer_elsewhere(
    processes: tuple[Process, Process],
) -> None:
    a, b = processes
    draft = make_draft(GUILD, CHANNEL, "weekly mon 07:00", "UTC")
    made = await a.service.create(draft, now=T0)
    await a.jobs.stop()  # A dies before any other process heard of the schedule
    await b.jobs.reconcile()
    assert b.timer(made.id) == "digest[weekly mon 07:00 UTC]"


async def test_the_reconcile_pass_repeats_well_within_a_minute(
    processes: tuple[Process, Process],
) -> None:
    _, b = processes
    job = b.scheduler.get_job("digest-reconcile")
    assert job is not None
    assert isinstance(job.trigger, IntervalTrigger)
    assert job.trigger.interval <= dt.timedelta(seconds=RECONCILE_EVERY) <= dt.timedelta(seconds=30)

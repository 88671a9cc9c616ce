"""PostgreSQL vs SQLite on one synthetic library; one vs two worker processes on due digests.

Usage: python benchmarks/postgres_bench.py [--n 100000] [--digests 10000] [--url postgresql://…]
The PostgreSQL database named by --url is emptied first (use a scratch database).

1. who / autocomplete / search latency (p50/p99) over n briefs on each engine. After ingest the
   PostgreSQL tables are ANALYZEd, as autovacuum would do on a default server (the test server
   runs with autovacuum off, so without it the planner has no statistics at all).
2. `--digests` schedules, all due at the same instant, run by one worker process, then (runs
   reset) by two worker processes started together on the same database. Each worker runs every
   schedule's due run through DigestService, as each bot process's scheduler would; the run
   claims decide who posts. Posting is an instant fake, so the time is the database and compose
   work. Both rounds check that every run was posted exactly once.
Prints each part as JSON as soon as it is measured. Not a test: numbers only."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import itertools
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from library_bench import Generator, queries

from briefs.digests.compose import DigestMessage, Posted
from briefs.digests.drafts import make_draft
from briefs.digests.service import DigestService
from storage.engine import open_library
from storage.postgres import PostgresBriefStore
from storage.rows import to_utc_text
from storage.schedules import ScheduleStore
from tests.engines import empty_database

KEEP = ("who", "complete_names", "search", "complete_headlines")
PER_GUILD = 25
DUE = dt.datetime(2030, 1, 1, 12, 0, tzinfo=dt.UTC)  # "daily 12:00" runs then
CONCURRENCY = 10  # runs in flight per worker (its pool size)


def show(part: str, value: object) -> None:
    print(json.dumps({part: value}, indent=2), flush=True)


async def one_engine(location: str, n: int) -> dict[str, object]:
    """Ingest n briefs, then time the queries."""
    store = await open_library(location)
    report: dict[str, object] = {}
    try:
        gen = Generator(566, max(200, n // 20))
        start = time.perf_counter()
        for i in range(n):
            text, brief, source = gen.brief(i)
            await store.add(text, brief, guild_id=None if i % 10 else 1000 + i % 5, source=source)
        report["ingest_briefs_per_s"] = round(n / (time.perf_counter() - start), 1)
        if isinstance(store, PostgresBriefStore):
            async with store.transaction() as conn:
                await conn.execute("ANALYZE")
        await queries(store, gen, report)  # type: ignore[arg-type]  # any LibraryStore
    finally:
        await store.close()
    return {k: v for k, v in report.items() if k in (*KEEP, "ingest_briefs_per_s")}


class InstantDiscord:
    """A DigestPoster that answers at once with a new message id."""

    def __init__(self) -> None:
        self.ids = itertools.count(1)
        self.posts = 0

    async def post(self, channel_id: int, message: DigestMessage) -> Posted:
        self.posts += 1
        return Posted(next(self.ids), False)

    async def publish(self, channel_id: int, message_id: int) -> None:
        return None

    async def report(self, channel_id: int, text: str) -> None:
        return None

    async def find_posted(self, channel_id: int, marker: str, *, limit: int = 100) -> list[Posted]:
        return []


async def add_schedules(url: str, count: int) -> None:
    """`count` schedules 'daily 12:00' UTC, PER_GUILD per guild, each in its own channel."""
    store = await open_library(url)
    created = to_utc_text(DUE - dt.timedelta(hours=1))
    cursor = None  # reset_runs sets it
    rows = []
    for i in range(count):
        d = make_draft(5000 + i // PER_GUILD, 900_000 + i, "daily 12:00", "UTC")
        o = d.options
        rows.append(
            (d.guild_id, d.channel_id, d.when, d.timezone, "", "", o.max_items, o.style,
             o.empty, cursor, None, created)
        )  # fmt: skip
    try:
        async with store.transaction() as conn:
            await conn.executemany(
                "INSERT INTO digest_schedules (guild_id, channel_id, spec, timezone, "
                "include_topics, exclude_topics, max_items, style, empty, cursor, created_by, "
                "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
            await conn.execute("ANALYZE")
    finally:
        await store.close()


async def reset_runs(url: str) -> None:
    """No runs, and every schedule's cursor back a day: the same due minute again."""
    store = await open_library(url)
    cursor = to_utc_text(dt.datetime.now(dt.UTC) - dt.timedelta(days=1))
    try:
        async with store.transaction() as conn:
            await conn.execute("DELETE FROM publish_queue")
            await conn.execute("DELETE FROM digest_runs")
            await conn.execute("UPDATE digest_schedules SET cursor = ?", (cursor,))
    finally:
        await store.close()


async def worker(url: str) -> None:
    """One worker process: every schedule's due run, claims deciding; prints its counts."""
    store = await open_library(url, pool_size=CONCURRENCY)
    poster = InstantDiscord()
    schedules = ScheduleStore(store, max_per_guild=PER_GUILD)
    service = DigestService(schedules, store, poster)
    gate = asyncio.Semaphore(CONCURRENCY)

    async def run(schedule_id: int) -> bool:
        async with gate:
            outcome = await service.run_guarded(schedule_id, now=DUE)
        return outcome is not None and outcome.status == "posted"

    try:
        ids = await schedules.all_ids()
        print("ready", flush=True)
        sys.stdin.readline()  # "go": every worker starts together
        started = time.perf_counter()
        posted = sum(await asyncio.gather(*(run(i) for i in ids)))
        seconds = time.perf_counter() - started
    finally:
        await store.close()
    print(json.dumps({"posted": posted, "posts": poster.posts, "seconds": seconds}), flush=True)


def round_of(url: str, workers: int) -> dict[str, object]:
    """Start `workers` processes, let them go at once, and time until the last one is done."""
    procs = [
        subprocess.Popen(
            [sys.executable, __file__, "--worker", "--url", url],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(workers)
    ]
    for p in procs:
        assert p.stdout is not None
        assert p.stdout.readline().strip() == "ready"
    started = time.perf_counter()
    for p in procs:
        assert p.stdin is not None
        p.stdin.write("go\n")
        p.stdin.flush()
    results = [json.loads(p.communicate(timeout=3600)[0]) for p in procs]
    wall = time.perf_counter() - started
    return {
        "workers": workers,
        "wall_s": round(wall, 1),
        "posted_by_worker": [r["posted"] for r in results],
        "posts": sum(r["posts"] for r in results),
    }


async def count_runs(url: str) -> dict[str, int]:
    store = await open_library(url)
    try:
        async with store.snapshot() as conn:
            rows = await conn.fetch("SELECT status, count(*) FROM digest_runs GROUP BY status")
    finally:
        await store.close()
    return {str(r[0]): int(r[1]) for r in rows}


async def digests(url: str, count: int) -> None:
    await add_schedules(url, count)
    for workers in (1, 2):
        await reset_runs(url)
        result = await asyncio.to_thread(round_of, url, workers)
        result["runs"] = await count_runs(url)
        assert result["posts"] == count, result  # every run posted, none twice
        show(f"digests_{count}", result)


async def main(n: int, n_digests: int, url: str) -> None:
    """Both engines, one after the other, then the digest workers on PostgreSQL."""
    await empty_database(url)
    with tempfile.TemporaryDirectory() as folder:
        show("sqlite", {"n": n, **await one_engine(str(Path(folder) / "bench.db"), n)})
    show("postgres", {"n": n, **await one_engine(url, n)})
    if n_digests:
        await digests(url, n_digests)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--digests", type=int, default=10_000)
    parser.add_argument("--url", default="postgresql://postgres@127.0.0.1:5432/briefbot_bench")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        asyncio.run(worker(args.url))
    else:
        asyncio.run(main(args.n, args.digests, args.url))

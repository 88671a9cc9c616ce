"""An ingest in another process while this one reads; an ingest killed midway."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sys
from pathlib import Path

import pytest

from storage.sqlite import SqliteBriefStore
from tests.storage.factory import numbered_brief

ROOT = Path(__file__).resolve().parents[2]


async def start_worker(
    db: Path, start: int, count: int, batch: int = 1
) -> asyncio.subprocess.Process:
    """The ingest worker as a subprocess, its output piped."""
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.storage.ingest_worker",
        str(db),
        str(start),
        str(count),
        str(batch),
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def assert_complete(
    store: SqliteBriefStore, guild_id: int | None, *, limit: int = 1000
) -> int:
    """Every visible brief has all its people, quotes and figures; returns how many."""
    refs = await store.latest(limit, guild_id=guild_id)
    for ref in refs:
        stored = await store.get(ref.id, guild_id=guild_id)
        assert stored is not None
        i = int(ref.headline.split()[2])
        assert stored.brief == numbered_brief(i)[1]
        assert len(await store.quotes(guild_id=guild_id, brief_id=ref.id)) == 3
        assert len(await store.figures(guild_id=guild_id, brief_id=ref.id)) == 3
        assert len(await store.search(f"item {i}", guild_id=guild_id)) >= 1
        for person in stored.brief.people:
            cards = await store.who(person.name, guild_id=guild_id)
            assert ref.id in {b.id for b in cards[0].briefs} or cards[0].mentions > 10
    return len(refs)


async def assert_consistent(store: SqliteBriefStore) -> None:
    """SQLite integrity, foreign keys, FTS indexes and per-scope counts all agree."""
    async with store.snapshot() as shared:
        conn = shared.raw
        async with conn.execute("PRAGMA integrity_check") as cursor:
            assert [r[0] for r in await cursor.fetchall()] == ["ok"]
        async with conn.execute("PRAGMA foreign_key_check") as cursor:
            assert await cursor.fetchall() == []
        for table in ("briefs_fts", "headlines_fts"):
            await conn.execute(f"INSERT INTO {table} ({table}, rank) VALUES ('integrity-check', 1)")
        async with conn.execute(
            "SELECT count(*) FROM (SELECT person_id, scope, sum(mentions) AS m FROM brief_people "
            "GROUP BY person_id, scope) AS t LEFT JOIN person_counts c USING (person_id, scope) "
            "WHERE c.mentions IS NOT t.m"
        ) as cursor:
            assert (await cursor.fetchone())[0] == 0
        async with conn.execute(
            "SELECT count(*) FROM briefs b WHERE NOT EXISTS "
            "(SELECT 1 FROM brief_people bp WHERE bp.brief_id = b.id)"
        ) as cursor:
            assert (await cursor.fetchone())[0] == 0


async def test_reads_during_an_ingest_in_another_process(db_path: Path) -> None:
    store = await SqliteBriefStore.open(db_path)
    worker = await start_worker(db_path, 0, 300)
    try:
        rounds = 0
        while worker.returncode is None or rounds < 2:
            for guild_id in (None, 7):
                await assert_complete(store, guild_id)
            rounds += 1
            if worker.returncode is None:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(worker.wait(), 0.05)
        _, err = await worker.communicate()
        assert worker.returncode == 0, err.decode()
        assert "locked" not in err.decode()
        assert await assert_complete(store, 7) == 300
        await assert_consistent(store)
    finally:
        if worker.returncode is None:
            worker.kill()
            await worker.wait()
        await store.close()


@pytest.mark.parametrize("batch", [1, 64])
async def test_an_ingest_killed_midway_leaves_a_consistent_library_and_a_rerun_adds_the_rest(
    db_path: Path, batch: int
) -> None:
    total = 500
    worker = await start_worker(db_path, 0, total, batch)
    assert worker.stdout is not None
    reported = 0
    while reported < 150:
        line = await worker.stdout.readline()
        assert line, (await worker.stderr.read()).decode() if worker.stderr else "worker ended"
        reported += 1
    worker.send_signal(signal.SIGKILL)
    await worker.wait()
    assert worker.returncode == -signal.SIGKILL
    store = await SqliteBriefStore.open(db_path)
    try:
        kept = await assert_complete(store, 7, limit=total)  # guild 7 sees every brief
        assert kept >= reported  # everything reported as committed survived
        await assert_consistent(store)
    finally:
        await store.close()
    rerun = await start_worker(db_path, 0, total, batch)
    out, err = await rerun.communicate()
    assert rerun.returncode == 0, err.decode()
    statuses = [line.split()[0] for line in out.decode().splitlines()]
    assert statuses.count("added") == total - kept
    assert statuses.count("duplicate") == kept
    store = await SqliteBriefStore.open(db_path)
    try:
        assert await assert_complete(store, 7, limit=total) == total
        await assert_consistent(store)
    finally:
        await store.close()

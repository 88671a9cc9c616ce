"""Two `briefbot run` processes, different shards, one PostgreSQL library, the Discord double.

The processes have no controllable clock, so the 200 digests are scheduled for the next real
minute (far enough away for both processes to start): both processes' schedulers fire all 200
jobs at that minute and the database decides who posts each run. Mid-burst, while the first
process holds claimed runs, it gets SIGKILL; the second takes those runs over once their lease
(`digests.lease_seconds`, short here) runs out. Nothing waits on a fixed time: every wait is for a
condition, with a generous deadline."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import secrets
import signal
import sys
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path

import asyncpg
import pytest

from bot.config import Settings, StorageSettings
from briefs.digests.compose import ScheduleDraft
from storage.engine import open_library
from storage.schedules import ScheduleStore
from tests.bot.conftest import ingest
from tests.discord_double import Channel, DiscordDouble, Guild, shard_of
from tests.engines import create_database, drop_database, run_apart

pytestmark = pytest.mark.slow

DIGESTS = 200
SHARDS = 2
GUILDS_PER_SHARD = 2
LEASE_SECONDS = 6
START_MARGIN = dt.timedelta(seconds=20)  # both processes start and load their jobs in this
MID_BURST = 10  # runs each process has claimed when the first one is killed (if it comes to that)
DEADLINE = 150.0  # seconds; generous, never asserted on
ARTICLE = Path(__file__).parents[1] / "data" / "articles" / "plain-rail-fares.txt"


@pytest.fixture
def fresh_postgres() -> Iterator[str]:
    """A new, migrated database of its own (the processes share it; dropped afterwards)."""
    name = f"briefbot_shards_{os.getpid()}_{secrets.token_hex(3)}"
    try:
        url = run_apart(create_database(name))
    except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError, TimeoutError) as e:
        pytest.skip(f"PostgreSQL half skipped: no server ({e})")
    try:
        yield url
    finally:
        run_apart(drop_database(name))


def guilds_on_every_shard(double: DiscordDouble) -> list[Guild]:
    """GUILDS_PER_SHARD new guilds on each shard (guild ids decide the shard)."""
    picked: dict[int, list[Guild]] = {s: [] for s in range(SHARDS)}
    while any(len(g) < GUILDS_PER_SHARD for g in picked.values()):
        guild = double.add_guild(f"guild {len(double.guilds)}")
        bucket = picked[shard_of(guild.id, SHARDS)]
        if len(bucket) < GUILDS_PER_SHARD:
            bucket.append(guild)
    return [g for guilds in picked.values() for g in guilds]


def run_minute() -> dt.datetime:
    """The first whole minute at least START_MARGIN away."""
    soon = dt.datetime.now(dt.UTC) + START_MARGIN
    return soon.replace(second=0, microsecond=0) + dt.timedelta(minutes=1)


async def seed(url: str, channels: list[Channel], at: dt.datetime) -> None:
    """One global brief, and a `daily HH:MM` digest in each channel, all due at `at`."""
    await ingest(
        Settings(storage=StorageSettings(url=url)),
        ARTICLE.read_text(encoding="utf-8"),
        ARTICLE.name,
    )
    store = await open_library(url)
    try:
        schedules = ScheduleStore(store, max_per_guild=DIGESTS)
        now = dt.datetime.now(dt.UTC)
        for channel in channels:
            draft = ScheduleDraft(channel.guild.id, channel.id, f"daily {at:%H:%M}", "UTC")
            await schedules.add(draft, now=now, cursor=now - dt.timedelta(days=1))
    finally:
        await store.close()


def write_config(tmp_path: Path, url: str, double: DiscordDouble) -> Path:
    config = tmp_path / "config.toml"
    config.write_text(
        f'[storage]\nurl = "{url}"\npool_size = 4\n\n'
        f'[discord]\napi_base = "{double.api_base}"\nguild_ready_timeout = 0.1\n\n'
        f"[limits]\nmax_schedules_per_guild = {DIGESTS}\n\n"
        f"[digests]\nlease_seconds = {LEASE_SECONDS}\n",
        encoding="utf-8",
    )
    return config


async def start(config: Path, shards: str, token: str, log: Path) -> asyncio.subprocess.Process:
    """`briefbot run --shards SHARDS --shard-count 2`, its output to a file."""
    with log.open("wb") as out:
        return await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", "--config", str(config),
            "--shards", shards, "--shard-count", str(SHARDS),
            env={**os.environ, "DISCORD_TOKEN": token},
            stdout=out, stderr=out,
        )  # fmt: skip


async def runs(url: str) -> list[asyncpg.Record]:
    """Every digest run: schedule, status, and the owner that holds (or held) it."""
    conn = await asyncpg.connect(url)
    try:
        return await conn.fetch("SELECT schedule_id, status, lease_owner FROM digest_runs")
    finally:
        await conn.close()


async def until(check: Callable[[], Awaitable[bool]], what: str, logs: list[Path]) -> None:
    """Poll `check` until it holds; past DEADLINE, fail showing the processes' logs."""
    try:
        async with asyncio.timeout(DEADLINE):
            while not await check():  # noqa: ASYNC110  # the state lives in PostgreSQL, polled
                await asyncio.sleep(0.05)
    except TimeoutError:
        tails = "\n".join(f"--- {p.name}\n{p.read_text()[-3000:]}" for p in logs)
        pytest.fail(f"gave up waiting for {what}\n{tails}")


def owned_by(owner: str | None, proc: asyncio.subprocess.Process) -> bool:
    """Whether a run's owner (host:pid:random) is this process."""
    return owner is not None and owner.split(":")[-2] == str(proc.pid)


async def test_two_shard_processes_post_each_due_digest_once_and_survive_a_kill(
    tmp_path: Path, double: DiscordDouble, fresh_postgres: str
) -> None:
    url = fresh_postgres
    guilds = guilds_on_every_shard(double)
    channels = [guilds[i % len(guilds)].add_channel(f"digest-{i}", 0) for i in range(DIGESTS)]
    at = run_minute()
    await seed(url, channels, at)
    config = write_config(tmp_path, url, double)
    double.post_delay = 0.5  # a slow Discord keeps posts in flight when the kill comes
    logs = [tmp_path / "shard0.log", tmp_path / "shard1.log"]
    first = await start(config, "0-0", double.token, logs[0])
    second = await start(config, "1-1", double.token, logs[1])
    try:
        await double.wait_identified(SHARDS, within=DEADLINE)
        assert double.identified_shards() == [(0, SHARDS), (1, SHARDS)]

        held: set[int] = set()  # runs the first process holds, claimed and unfinished

        async def both_mid_burst() -> bool:
            rows = await runs(url)
            held.clear()
            held.update(
                r["schedule_id"]
                for r in rows
                if r["status"] == "claimed" and owned_by(r["lease_owner"], first)
            )
            seconds = sum(owned_by(r["lease_owner"], second) for r in rows)
            everything_claimed = len(rows) == DIGESTS
            return bool(held) and (everything_claimed or len(held) >= MID_BURST <= seconds)

        await until(both_mid_burst, "both processes to claim their shares", logs)
        first.send_signal(signal.SIGKILL)  # mid-burst: it holds claimed, unfinished runs
        await first.wait()

        async def all_settled() -> bool:
            rows = await runs(url)
            return len(rows) == DIGESTS and all(r["status"] != "claimed" for r in rows)

        await until(all_settled, "every run to be settled by the surviving process", logs)
        assert second.returncode is None, "the surviving process is still running"
    finally:
        for proc in (first, second):
            if proc.returncode is None:
                proc.send_signal(signal.SIGTERM)
        for proc in (first, second):
            try:
                await asyncio.wait_for(proc.wait(), 30)
            except TimeoutError:
                proc.kill()
    output = logs[1].read_text()
    assert second.returncode == 0, output[-3000:]

    rows = await runs(url)
    assert sorted(r["schedule_id"] for r in rows) == list(range(1, DIGESTS + 1))
    assert {r["status"] for r in rows} == {"posted"}
    # The runs the killed process held were taken over and finished by the survivor.
    finished_by = {r["schedule_id"]: r["lease_owner"] for r in rows}
    assert all(owned_by(finished_by[s], second) for s in held)
    assert "taken over" in output

    # Exactly once: one digest message in each channel, and one post request for it.
    posts = Counter(
        int(r.path.split("/")[-2]) for r in double.requests_to("POST", r"/channels/\d+/messages$")
    )
    for channel in channels:
        assert len(double.channel_messages(channel.id)) == 1, channel.name
        assert posts[channel.id] == 1, channel.name
    double.assert_clean()

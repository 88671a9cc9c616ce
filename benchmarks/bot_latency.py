"""Benchmark the bot end to end: interaction sent by the Discord double → answer received.

Run: python benchmarks/bot_latency.py [--n 100000] [--db PATH] [--samples 300] [--out FILE]
The library is built with library_bench's generator (or reused from --db when it exists); the
real bot then answers /who, name autocomplete and /search through the loopback double.
Not a test: it reports numbers and never fails on them."""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from library_bench import TOPICS, Generator, ingest  # noqa: E402  # sibling script

from bot.app import BriefBot  # noqa: E402
from bot.config import DiscordSettings, Settings, StorageSettings  # noqa: E402
from bot.runtime.api_base import configure_api_base  # noqa: E402
from storage.sqlite import SqliteBriefStore  # noqa: E402
from tests.discord_double import DiscordDouble, InteractionRecord  # noqa: E402

Send = Callable[[str], Awaitable[InteractionRecord]]


async def build_library(path: Path, n: int) -> None:
    """Fill the library with n synthetic briefs unless it already holds some."""
    store = await SqliteBriefStore.open(path)
    try:
        if await store.latest(1, guild_id=None):
            print(f"reusing the library at {path}", flush=True)
            return
        print(f"building a library of {n} briefs at {path}", flush=True)
        await ingest(store, Generator(seed=1, pool_size=3000), n, {})
    finally:
        await store.close()


async def measure(send: Send, inputs: list[str]) -> dict[str, float]:
    """p50/p99 in milliseconds from sending each interaction to receiving its answer."""
    times = []
    for text in inputs:
        start = time.perf_counter()
        record = await send(text)
        await record.response(within=10)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return {
        "p50_ms": round(statistics.median(times), 2),
        "p99_ms": round(times[min(len(times) - 1, int(len(times) * 0.99))], 2),
        "max_ms": round(times[-1], 2),
        "samples": len(times),
    }


async def run(db: Path, samples: int) -> dict[str, object]:
    """Start the bot on the library and time the three commands."""
    rng = random.Random(7)
    gen = Generator(seed=1, pool_size=3000)
    names = [p.name for p in rng.choices(gen.pool, k=samples)]
    surnames = [name.split()[-1].lower() for name in names]
    prefixes = [name[: rng.randint(2, 5)].lower() for name in names]
    searches = [f"{rng.choice(TOPICS)} {rng.choice(gen.words[:2000])}" for _ in range(samples)]
    async with DiscordDouble() as double:
        configure_api_base(double.api_base)
        settings = Settings(
            storage=StorageSettings(path=str(db)),
            discord=DiscordSettings(api_base=double.api_base, guild_ready_timeout=0.1),
        )
        bot = BriefBot(settings)
        task = asyncio.create_task(bot.start(double.token))
        await double.wait_ready()
        await double.wait_synced()
        await asyncio.wait_for(bot.wait_until_ready(), 10)
        member = double.member
        try:
            report = {
                "who": await measure(
                    lambda s: double.slash("who", {"name": s}, user=member), surnames
                ),
                "autocomplete": await measure(
                    lambda s: double.autocomplete("who", "name", s), prefixes
                ),
                "search": await measure(
                    lambda s: double.slash("search", {"text": s}, user=member), searches
                ),
            }
        finally:
            await bot.close()
            await task
        configure_api_base(None)
    return report


async def main(n: int, db: Path | None, samples: int) -> dict[str, object]:
    """Build (or reuse) the library, then measure."""
    with tempfile.TemporaryDirectory(prefix="briefbot-latency-") as folder:
        path = db or Path(folder) / "library.db"
        await build_library(path, n)
        return {"n": n, **await run(path, samples)}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=100_000, help="briefs in the library")
    parser.add_argument("--db", type=Path, help="build the library here, or reuse it")
    parser.add_argument("--samples", type=int, default=300, help="interactions per command")
    parser.add_argument("--out", type=Path, help="write the report as JSON here")
    args = parser.parse_args()
    result = json.dumps(asyncio.run(main(args.n, args.db, args.samples)), indent=2)
    print(result)
    if args.out:
        args.out.write_text(result)

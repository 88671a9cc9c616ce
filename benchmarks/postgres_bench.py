"""who / autocomplete / search latency on PostgreSQL vs SQLite over the same synthetic library.

Usage: python benchmarks/postgres_bench.py [--n 100000] [--url postgresql://…]
The PostgreSQL database named by --url is emptied first (use a scratch database). The digest
half of issue 15 (one vs two worker processes on 10,000 due digests) is not measured yet."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from library_bench import Generator, queries

from storage.engine import open_library
from tests.engines import empty_database

KEEP = ("who", "complete_names", "search", "complete_headlines")


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
        await queries(store, gen, report)  # type: ignore[arg-type]  # any LibraryStore
    finally:
        await store.close()
    return {k: v for k, v in report.items() if k in (*KEEP, "ingest_briefs_per_s")}


async def main(n: int, url: str) -> None:
    """Both engines, one after the other, printed as JSON."""
    await empty_database(url)
    with tempfile.TemporaryDirectory() as folder:
        sqlite = await one_engine(str(Path(folder) / "bench.db"), n)
    postgres = await one_engine(url, n)
    print(json.dumps({"n": n, "sqlite": sqlite, "postgres": postgres}, indent=2))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--url", default="postgresql://postgres@127.0.0.1:5432/briefbot_bench")
    args = parser.parse_args()
    asyncio.run(main(args.n, args.url))

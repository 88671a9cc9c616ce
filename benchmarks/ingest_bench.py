"""Ingest, disk writes, `parse` start-up and search, each next to its goal and a baseline tree.

Run: python benchmarks/ingest_bench.py [--base DIR] [--articles 600] [--briefs 20000]
                                        [--search-db PATH] [--search-n 100000] [--only NAME,...]
With --base (a checkout of the code to compare with, e.g. `git archive <rev> | tar -x -C DIR`),
every figure is measured on both trees in the same run, each in its own process, and printed
side by side. Measurements (--only): parse, ingest, storage, search.

- parse: `python -m bot parse` of one plain article, whole process: median wall time of 5 runs
  after one warm-up, and peak RSS (wait4).
- ingest: `briefbot ingest` of a folder of synthetic articles (parse_speed's four layouts) into
  a new library, with one and with two build workers; building the same briefs with no
  database (in this process on one core, and through the build pool on every core).
- storage: synthetic briefs (library_bench's generator) stored as `briefbot ingest` stores them
  (batches where the tree has add_many, else one transaction each): bytes written to disk
  (/proc/self/io write_bytes) over the final database size, and KB per brief.
- search: p50/p99 of library_bench's search queries on one library of --search-n briefs (built
  once with this tree's code at --search-db and reused; both trees query the same briefs:
  --base-search-db is a copy of it from before this tree's migrations, when they differ).
Not a test: it reports numbers and never fails on them. The machine is shared: run it twice."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from briefs.model import Brief

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
ARTICLE = ROOT / "tests" / "data" / "articles" / "plain-rail-fares.txt"


def _env(tree: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(tree)
    return env


def _write_bytes() -> int:
    with open("/proc/self/io", encoding="ascii") as io:
        for line in io:
            if line.startswith("write_bytes:"):
                return int(line.split()[1])
    return 0


# --- measurements, each run in a process whose PYTHONPATH is the tree measured ---------------


def measure_parse(tree: Path) -> dict[str, float]:
    """Wall time and peak RSS of `python -m bot parse ARTICLE`."""
    times, peaks = [], []
    for i in range(6):
        start = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-m", "bot", "parse", str(ARTICLE)],
            cwd=tree,
            env=_env(tree),
            stdout=subprocess.DEVNULL,
        )
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        if i:  # the first run warms the file cache (and the place-name cache, where there is one)
            times.append(time.perf_counter() - start)
            peaks.append(usage.ru_maxrss / 1024)
    return {"parse_s": statistics.median(times), "parse_peak_mb": max(peaks)}


def _corpus(folder: Path, n: int) -> list[Path]:
    from parse_speed import corpus  # sibling script

    suffixes = [".txt", ".txt", ".md", ".html"]  # seed, plain, Markdown, HTML
    paths = []
    for i, text in enumerate(corpus(n, seed=11)):
        path = folder / f"a{i:05d}{suffixes[i % 4]}"
        path.write_text(f"{text}\n\nRef {i}.\n" if i % 4 != 3 else text, encoding="utf-8")
        paths.append(path)
    return paths


def _ingest_rate(tree: Path, folder: Path, n: int, workers: int | None) -> float:
    with tempfile.TemporaryDirectory(prefix="ingest-bench-") as tmp:
        config = Path(tmp) / "config.toml"
        limits = f"[limits]\nbuild_workers = {workers}\n" if workers else ""
        config.write_text(f'[storage]\npath = "{tmp}/lib.db"\n{limits}', encoding="utf-8")
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "bot", "ingest", str(folder), "--config", str(config)],
            cwd=tree,
            env=_env(tree),
            capture_output=True,
            text=True,
            check=False,
        )
        elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise RuntimeError(done.stderr)
    print(f"    ingest ({workers or 'default'} worker(s)): {done.stdout.splitlines()[0]}")
    return n / elapsed


def measure_ingest(tree: Path, n: int) -> dict[str, float]:
    """`briefbot ingest` with one and two workers, and building with no database."""
    from bot.config import LimitSettings
    from briefs.extract import build_brief

    has_pool = hasattr(LimitSettings, "build_workers")
    report: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="ingest-corpus-") as tmp:
        paths = _corpus(Path(tmp), n)
        datas = [p.read_bytes() for p in paths]
        for data in datas[:8]:
            build_brief(data, "warm-up")
        start = time.perf_counter()
        for path, data in zip(paths, datas, strict=True):
            build_brief(data, str(path))
        report["build_1core_per_s"] = n / (time.perf_counter() - start)
        if has_pool:
            report["build_pool_per_s"] = asyncio.run(_pool_rate(paths, datas))
            report["ingest_1w_per_s"] = _ingest_rate(tree, Path(tmp), n, 1)
            report["ingest_2w_per_s"] = _ingest_rate(tree, Path(tmp), n, 2)
        else:  # before the pool: one core whatever the machine has
            report["ingest_1w_per_s"] = report["ingest_2w_per_s"] = _ingest_rate(
                tree, Path(tmp), n, None
            )
            report["build_pool_per_s"] = report["build_1core_per_s"]
    report["ingest_2w_over_1w"] = report["ingest_2w_per_s"] / report["ingest_1w_per_s"]
    report["build_over_ingest"] = report["build_pool_per_s"] / report["ingest_2w_per_s"]
    return report


async def _pool_rate(paths: list[Path], datas: list[bytes]) -> float:
    from bot.runtime.build_pool import BuildPool

    pool = BuildPool(workers=2)
    try:
        await asyncio.gather(*(pool.build(d, "warm-up") for d in datas[:4]))
        start = time.perf_counter()
        await asyncio.gather(*(pool.build(d, str(p)) for p, d in zip(paths, datas, strict=True)))
        return len(paths) / (time.perf_counter() - start)
    finally:
        await pool.close()


def measure_storage(n: int) -> dict[str, float]:
    """Bytes written while storing n synthetic briefs as ingest stores them, over the DB size."""
    return asyncio.run(_storage(n))


async def _storage(n: int) -> dict[str, float]:
    from library_bench import Generator  # sibling script

    from briefs import service
    from storage.sqlite import SqliteBriefStore

    gen = Generator(seed=1, pool_size=3000)
    items = []
    with tempfile.TemporaryDirectory(prefix="storage-bench-") as tmp:  # on disk, not tmpfs
        path = Path(tmp) / "lib.db"
        store = await SqliteBriefStore.open(path)
        batched = hasattr(store, "add_many")
        batch = getattr(service, "BATCH", 1)  # what `briefbot ingest` stores per transaction
        before = _write_bytes()
        start = time.perf_counter()
        for i in range(n):
            text, brief, source = gen.brief(i)
            if not batched:
                await store.add(text, brief, guild_id=None, source=source)
                continue
            items.append((text, brief, source))
            if len(items) == batch or i == n - 1:
                await store.add_many(items, guild_id=None)
                items = []
        await store.close()
        elapsed = time.perf_counter() - start
        written = _write_bytes() - before
        size = sum(p.stat().st_size for p in Path(tmp).iterdir())  # noqa: ASYNC240  # after the run
    return {
        "store_per_s": n / elapsed,
        "write_bytes_mb": written / 2**20,
        "db_mb": size / 2**20,
        "written_over_db": written / size,
        "db_kb_per_brief": size / n / 1024,
    }


def measure_search(db: Path) -> dict[str, float]:
    """search p50/p99 on the library at `db` (library_bench's queries)."""
    return asyncio.run(_search(db))


async def _search(db: Path) -> dict[str, float]:
    from library_bench import TOPICS, Generator

    from storage.sqlite import SqliteBriefStore

    gen = Generator(seed=1, pool_size=3000)
    rng = random.Random(7)
    scopes = [None, None, None, 1001]
    queries = [
        " ".join(rng.choices(gen.words[:3000] + TOPICS, k=rng.randint(1, 3))) for _ in range(1000)
    ]
    store = await SqliteBriefStore.open(db)
    try:
        for q in queries[:50]:
            await store.search(q, guild_id=None)
        times = []
        for q in queries:
            t0 = time.perf_counter()
            await store.search(q, guild_id=rng.choice(scopes))
            times.append((time.perf_counter() - t0) * 1000)
    finally:
        await store.close()
    times.sort()
    return {"search_p50_ms": statistics.median(times), "search_p99_ms": times[989]}


async def build_search_db(db: Path, n: int) -> None:
    """The shared search library: n synthetic briefs, 10% in five guilds (as library_bench)."""
    from library_bench import Generator

    from storage.sqlite import SqliteBriefStore

    gen = Generator(seed=1, pool_size=3000)
    store = await SqliteBriefStore.open(db)
    try:
        batches: dict[int | None, list[tuple[str, Brief, str | None]]] = {}
        for i in range(n):
            text, brief, source = gen.brief(i)
            guild = None if i % 10 else 1000 + i % 5
            batch = batches.setdefault(guild, [])
            batch.append((text, brief, source))
            if len(batch) == 256 or i == n - 1:
                await store.add_many(batch, guild_id=guild)
                batch.clear()
            if (i + 1) % 10_000 == 0:
                print(f"    search library: {i + 1} briefs", flush=True)
        for guild, batch in batches.items():
            if batch:
                await store.add_many(batch, guild_id=guild)
    finally:
        await store.close()


# --- the driver --------------------------------------------------------------------------------

GOALS = [
    ("parse_s", "parse, whole process (s)", "≤ 0.25"),
    ("parse_peak_mb", "parse, peak RSS (MB)", "≤ 60"),
    ("build_1core_per_s", "build, no DB, one core (/s)", ""),
    ("build_pool_per_s", "build, no DB, pool on all cores (/s)", ""),
    ("ingest_1w_per_s", "ingest, one worker (/s)", ""),
    ("ingest_2w_per_s", "ingest, two workers (/s)", ""),
    ("ingest_2w_over_1w", "ingest two cores ÷ one core", "≥ 1.8"),
    ("build_over_ingest", "build (no DB) ÷ ingest, all cores", "≤ 1.3"),
    ("store_per_s", "store synthetic briefs (/s)", ""),
    ("write_bytes_mb", "bytes written (MB)", ""),
    ("db_mb", "final database (MB)", ""),
    ("written_over_db", "bytes written ÷ database size", "≤ 5"),
    ("db_kb_per_brief", "database KB per brief", "≤ baseline"),
    ("search_p50_ms", "search p50 (ms)", ""),
    ("search_p99_ms", "search p99 (ms)", "≤ 8"),
]


def run_measure(tree: Path, what: str, args: argparse.Namespace) -> dict[str, float]:
    """One measurement in a child process whose imports come from `tree`."""
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--measure",
        what,
        "--tree",
        str(tree),
    ]
    command += ["--articles", str(args.articles), "--briefs", str(args.briefs)]
    search_db = args.base_search_db if tree != ROOT and args.base_search_db else args.search_db
    command += ["--search-db", str(search_db)]
    done = subprocess.run(
        command, cwd=tree, env=_env(tree), capture_output=True, text=True, check=False
    )
    sys.stdout.write("".join(f"  {line}\n" for line in done.stdout.splitlines()[:-1]))
    if done.returncode != 0:
        print(f"  {what} failed on {tree}:\n{done.stderr[-2000:]}")
        return {}
    result: dict[str, float] = json.loads(done.stdout.splitlines()[-1])
    return result


def main() -> int:
    """Measure on this tree (and the --base tree) and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", type=Path, help="a checkout to compare with")
    parser.add_argument("--articles", type=int, default=600)
    parser.add_argument("--briefs", type=int, default=20_000)
    parser.add_argument("--search-db", type=Path, default=Path(tempfile.gettempdir()) / "search.db")
    parser.add_argument("--search-n", type=int, default=100_000)
    parser.add_argument(
        "--base-search-db", type=Path, help="a copy at the baseline's schema, if it is older"
    )
    parser.add_argument("--only", default="parse,ingest,storage,search")
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    parser.add_argument("--tree", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        result = {
            "parse": lambda: measure_parse(args.tree),
            "ingest": lambda: measure_ingest(args.tree, args.articles),
            "storage": lambda: measure_storage(args.briefs),
            "search": lambda: measure_search(args.search_db),
        }[args.measure]()
        print(json.dumps(result))
        return 0
    wanted = args.only.split(",")
    if "search" in wanted and not args.search_db.exists():
        print(f"building the search library ({args.search_n} briefs) at {args.search_db}")
        asyncio.run(build_search_db(args.search_db, args.search_n))
    trees = [("after", ROOT)] + ([("before", args.base.resolve())] if args.base else [])
    results: dict[str, dict[str, float]] = {name: {} for name, _ in trees}
    for what in wanted:
        for name, tree in trees:
            print(f"{what} on {name} ({tree})", flush=True)
            results[name].update(run_measure(tree, what, args))
    print(f"\n{'figure':<40} {'goal':>11} {'before':>10} {'after':>10}")
    for key, label, goal in GOALS:
        if key not in results["after"] and key not in results.get("before", {}):
            continue
        cells = [
            f"{results[n][key]:.3g}" if key in results.get(n, {}) else "—"
            for n in ("before", "after")
        ]
        print(f"{label:<40} {goal:>11} {cells[0]:>10} {cells[1]:>10}")
    print(
        f"(articles {args.articles}, stored briefs {args.briefs}, search library {args.search_db})"
    )
    print(
        f"peak RSS of this driver: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MB"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

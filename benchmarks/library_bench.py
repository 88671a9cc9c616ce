"""Benchmark the brief library: build N synthetic briefs, then time ingest and queries.

Run: python benchmarks/library_bench.py [--n 100000] [--db PATH] [--out results.json]
With --db, the library is kept at PATH; if PATH already holds briefs, ingest is skipped and only
the queries run (the generator is seeded, so the same people and words are asked for).
Not a test: it reports numbers and never fails on them."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import itertools
import json
import os
import random
import resource
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path

from briefs.model import Brief, Figure, Person, Quote, Section
from storage.sqlite import SqliteBriefStore


def _words(text: str) -> list[str]:
    """The words of a literal list."""
    return text.split()


FIRST = _words(
    "Ana Luis Pam Omar Maria José Jean Li Wei Fatima Olga Hans Sofia Emma Noah Liam "
    "Aisha Ravi Yuki Chen Lucía Zoë Björn Ingrid Pedro Marta Ahmed Kofi Amara Tomás"
)
LAST = _words(
    "Bondi García Harfuch Peña Nieto Müller Smith Kowalski Rossi Nakamura Okafor "
    "Dubois Silva Ivanova Haddad Novak Larsen Jensen Moreau Costa Fischer Schmidt "
    "Tanaka Kim Park Nguyen Singh Patel Cohen Walsh O'Brien"
)
TOPICS = _words(
    "harbour tariffs election drought vaccine cartel extradition strike railway "
    "budget wildfire satellite refinery pension lithium copper summit ceasefire "
    "inflation housing"
)
SYLLABLES = _words(
    "ka lo mi ne ra su ti vo be da fe gu ho ji ku la me no pa qui re sa to ul va xe yo za"
)
COMMON = _words("the of and to in a is that for on with as by at from it was said has have will be")
CHECKPOINTS = (25_000, 50_000, 100_000)


def vocabulary(rng: random.Random, size: int = 20_000) -> list[str]:
    """Made-up words, so text has a long tail like real news."""
    words = {"".join(rng.choices(SYLLABLES, k=rng.randint(2, 4))) for _ in range(size * 2)}
    return sorted(words)[:size]


def people_pool(rng: random.Random, size: int) -> list[Person]:
    """A few thousand people with roles; many will be shared across briefs."""
    pool, seen = [], set()
    while len(pool) < size:
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        if rng.random() < 0.5:
            name += " " + rng.choice(LAST) + "".join(rng.choices(SYLLABLES, k=2))
        if name not in seen:
            seen.add(name)
            role = rng.choice(["minister", "senator", "spokesperson", "analyst", "governor"])
            pool.append(Person(name, role=role, organization=rng.choice(LAST) + " Group"))
    return pool


class Generator:
    """Varied synthetic articles and briefs."""

    def __init__(self, seed: int, pool_size: int) -> None:
        self.rng = random.Random(seed)
        self.words = vocabulary(self.rng)
        self.cum = list(itertools.accumulate(1 / (i + 1) for i in range(len(self.words))))  # Zipf
        self.pool = people_pool(self.rng, pool_size)
        self.popularity = [1 / (i + 1) ** 0.8 for i in range(len(self.pool))]
        self.pop_cum = list(itertools.accumulate(self.popularity))

    def text(self, n: int) -> str:
        """n words of filler text."""
        words = self.rng.choices(self.words, cum_weights=self.cum, k=n)
        return " ".join(self.rng.choice(COMMON) if i % 4 == 0 else w for i, w in enumerate(words))

    def brief(self, i: int) -> tuple[str, Brief, str | None]:
        """Article text, brief and source of article i."""
        rng = self.rng
        topic = rng.choice(TOPICS)
        picks = {
            id(p): p for p in rng.choices(self.pool, cum_weights=self.pop_cum, k=rng.randint(2, 6))
        }
        people = []
        for p in picks.values():
            sentences = tuple(
                f"{p.name} said {self.text(8)} {rng.randint(2, 900)}." for _ in range(2)
            )
            people.append(Person(p.name, p.role, p.organization, (), sentences))
        quotes = tuple(
            Quote(self.text(10), p.name, "person", False, p.mentions[0])
            for p in rng.sample(people, k=min(len(people), rng.randint(0, 3)))
        )
        figures = tuple(
            Figure(str(n), float(n), "count", self.text(3), f"{p.name} counted {n} {topic} cases.")
            for p in people[:3]
            for n in [rng.randint(2, 10_000)]
        )
        paragraphs = tuple(f"{topic.title()} {self.text(rng.randint(40, 90))}." for _ in range(5))
        body = "\n\n".join(paragraphs + tuple(s for p in people for s in p.mentions))
        headline = f"{topic.title()} {self.text(rng.randint(5, 9))}"
        brief = Brief(
            headline=headline,
            published=dt.date(2026, 1, 1) + dt.timedelta(days=i % 365),
            source=None,
            highlights=tuple(self.text(14) for _ in range(3)),
            highlights_derived=True,
            sections=(Section(None, paragraphs),),
            analysis=self.text(40),
            body=body,
            people=tuple(people),
            quotes=quotes,
            figures=figures,
            places=(rng.choice(LAST) + "ville",),
            organizations=(people[0].organization or "Group",),
        )
        source = f"https://news.example/{i}" if i % 3 == 0 else None
        return f"{headline}\n\n{body}\n#{i}", brief, source


def rss_mb() -> float:
    """Current resident memory in MB."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_mb() -> float:
    """Peak resident memory in MB (Linux reports ru_maxrss in KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def ingest(
    store: SqliteBriefStore, gen: Generator, n: int, report: dict[str, object]
) -> None:
    """Add n briefs one transaction each (as the bot does); 10% go to five guilds."""
    memory: dict[str, float] = {}
    start = time.perf_counter()
    for i in range(n):
        text, brief, source = gen.brief(i)
        guild = None if i % 10 else 1000 + i % 5
        await store.add(text, brief, guild_id=guild, source=source)
        done = i + 1
        if done in CHECKPOINTS or done == n:
            memory[str(done)] = round(rss_mb(), 1)
        if done % 10_000 == 0:
            rate = done / (time.perf_counter() - start)
            print(f"  {done} briefs, {rate:.0f}/s, rss {rss_mb():.0f} MB", flush=True)
    elapsed = time.perf_counter() - start
    report["ingest_seconds"] = round(elapsed, 1)
    report["ingest_briefs_per_s"] = round(n / elapsed, 1)
    report["rss_mb_at"] = memory


async def timed(calls: list[Callable[[], Awaitable[object]]]) -> dict[str, float]:
    """p50/p99/max in milliseconds over the calls."""
    times = []
    for call in calls:
        t0 = time.perf_counter()
        await call()
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    return {
        "n": len(times),
        "p50_ms": round(statistics.median(times), 3),
        "p99_ms": round(times[int(len(times) * 0.99) - 1], 3),
        "max_ms": round(times[-1], 3),
    }


def name_queries(gen: Generator, rng: random.Random, k: int) -> Iterator[str]:
    """Exact names, surnames, first names, prefixes, typos, upper case, unknown names."""
    for _ in range(k):
        name = rng.choices(gen.pool, weights=gen.popularity)[0].name
        kind = rng.randrange(7)
        if kind == 0:
            yield name
        elif kind == 1:
            yield name.split()[-1]
        elif kind == 2:
            yield name.split()[0]
        elif kind == 3:
            yield name[: rng.randint(3, 6)]
        elif kind == 4:
            j = rng.randrange(1, len(name))
            yield name[:j] + rng.choice("aeiouy") + name[j + 1 :]
        elif kind == 5:
            yield name.upper()
        else:
            yield "".join(rng.choices(SYLLABLES, k=4))


async def queries(store: SqliteBriefStore, gen: Generator, report: dict[str, object]) -> None:
    """Time who, autocomplete, search and friends, in global and guild scope."""
    rng = random.Random(7)
    scopes = [None, None, None, 1001]
    names = list(name_queries(gen, rng, 2000))
    prefixes = [rng.choice(gen.pool).name[: rng.randint(1, 4)] for _ in range(2000)]
    searches = [
        " ".join(rng.choices(gen.words[:3000] + TOPICS, k=rng.randint(1, 3))) for _ in range(1000)
    ]
    report["who"] = await timed(
        [lambda q=q: store.who(q, guild_id=rng.choice(scopes)) for q in names]
    )
    report["complete_names"] = await timed(
        [lambda q=q: store.complete_names(q, guild_id=rng.choice(scopes)) for q in prefixes]
    )
    report["search"] = await timed(
        [lambda q=q: store.search(q, guild_id=rng.choice(scopes)) for q in searches]
    )
    report["complete_headlines"] = await timed(
        [lambda q=q: store.complete_headlines(q[:3], guild_id=rng.choice(scopes)) for q in searches]
    )
    report["closest_names"] = await timed(
        [lambda q=q: store.closest_names(q, guild_id=None) for q in names[:500]]
    )
    report["latest"] = await timed([lambda: store.latest(10, guild_id=1001)] * 200)
    report["quotes_of_person"] = await timed(
        [lambda q=q: store.quotes(guild_id=None, person=q) for q in names[:500]]
    )


async def query_plans(store: SqliteBriefStore) -> dict[str, list[str]]:
    """EXPLAIN QUERY PLAN of the hottest statements, to show they use indexes."""
    statements = {
        "who_exact": (
            "SELECT person_id, min(kind) FROM name_keys"
            " WHERE key = ? AND scope IN (0, ?)"
            " GROUP BY person_id",
            ("bondi", 0),
        ),
        "who_prefix": (
            "SELECT person_id, key FROM name_keys"
            " WHERE key > ? AND key < ? AND scope IN (0, ?)"
            " ORDER BY key LIMIT 200",
            ("pa", "pa\x7f", 0),
        ),
        "fuzzy_grams": (
            "SELECT key FROM name_grams"
            " WHERE gram IN (?, ?) AND len BETWEEN ? AND ?"
            " GROUP BY key"
            " ORDER BY count(*) DESC LIMIT 100",
            (" bo", "bon", 3, 7),
        ),
        "card_briefs": (
            "SELECT b.id FROM brief_people bp JOIN briefs b ON b.id = bp.brief_id"
            " WHERE bp.person_id = ?"
            " AND (b.guild_id IS NULL OR b.guild_id = ?)"
            " ORDER BY bp.brief_id DESC LIMIT 20",
            (1, None),
        ),
        "card_quotes": (
            "SELECT q.text FROM quotes q JOIN briefs b ON b.id = q.brief_id"
            " WHERE q.person_id = ?"
            " AND (b.guild_id IS NULL OR b.guild_id = ?)"
            " ORDER BY q.brief_id DESC, q.ord LIMIT 10",
            (1, None),
        ),
        "search_window": (
            "SELECT rowid FROM briefs_fts WHERE briefs_fts MATCH ?"
            " ORDER BY rowid DESC LIMIT 1 OFFSET ?",
            ('"harbour"', 4999),
        ),
        "search": (  # INDEX 32 is FTS5's own rank order: snippets only for the rows returned
            "SELECT b.id FROM briefs_fts JOIN briefs b ON b.id = briefs_fts.rowid"
            " WHERE briefs_fts MATCH ? AND briefs_fts.rowid >= ?"
            " AND (b.guild_id IS NULL OR b.guild_id = ?)"
            " ORDER BY briefs_fts.rank LIMIT 10",
            ('"harbour"', 0, None),
        ),
        "latest": (
            "SELECT b.id FROM briefs b"
            " WHERE (b.guild_id IS NULL OR b.guild_id = ?)"
            " ORDER BY b.id DESC LIMIT 10",
            (None,),
        ),
    }
    plans = {}
    async with store.snapshot() as conn:
        for name, (sql, params) in statements.items():
            rows = await conn.fetch("EXPLAIN QUERY PLAN " + sql, params)
            plans[name] = [row[3] for row in rows]
    return plans


async def brief_count(store: SqliteBriefStore) -> int:
    """How many briefs the library holds."""
    async with store.snapshot() as conn:
        rows = await conn.fetch("SELECT count(*) FROM briefs")
    return int(rows[0][0]) if rows else 0


async def run(path: Path, n: int, report: dict[str, object]) -> None:
    """Ingest n briefs into `path` unless it already holds briefs, then time the queries."""
    gen = Generator(seed=1, pool_size=3000)
    store = await SqliteBriefStore.open(path)
    try:
        held = await brief_count(store)
        if held:
            print(f"{path} holds {held} briefs: skipping ingest", flush=True)
        else:
            print(f"ingesting {n} briefs into {path}", flush=True)
            await ingest(store, gen, n, report)
        report["n"] = count = held or n
        await store.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        size = await asyncio.to_thread(os.path.getsize, path)
        report["db_mb"] = round(size / 2**20, 1)
        report["db_kb_per_brief"] = round(size / max(count, 1) / 1024, 2)
        print("querying", flush=True)
        await queries(store, gen, report)
        report["plans"] = await query_plans(store)
    finally:
        await store.close()


async def main(n: int, out: Path | None, db: Path | None) -> dict[str, object]:
    """Build the library (in a temporary folder unless `db` is given) and report."""
    report: dict[str, object] = {"n": n}
    if db is not None:
        await run(db, n, report)
    else:
        with tempfile.TemporaryDirectory(prefix="briefbot-bench-") as folder:
            await run(Path(folder) / "library.db", n, report)
    report["peak_rss_mb"] = round(peak_mb(), 1)
    print(json.dumps({k: v for k, v in report.items() if k != "plans"}, indent=2))
    if out:
        await asyncio.to_thread(out.write_text, json.dumps(report, indent=2))
    return report


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=100_000, help="briefs to ingest")
    parser.add_argument("--out", type=Path, help="write the report as JSON here")
    parser.add_argument("--db", type=Path, help="keep the library here; reuse it if it has briefs")
    args = parser.parse_args()
    asyncio.run(main(args.n, args.out, args.db))

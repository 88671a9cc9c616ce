"""Benchmark (not a test): many schedules due in the same minute over a large library.

    python benchmarks/digest_bench.py --briefs 100000 --schedules 10000

Reports: time to build the library, read time per digest (briefs_since), compose time for all
digests, the full due-minute through DigestService (claim, post, record, finish) and how delivery
is paced under Discord's limits, simulated in virtual time by `PacedDiscord`: 50 requests/s
globally, 5 messages per 5 s per channel, 10 publishes per channel per hour. The service queues
and retries; nothing is dropped."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import random
import statistics
import tempfile
import time
from pathlib import Path

from briefs.digests.compose import DigestMessage, Posted, compose
from briefs.digests.drafts import make_draft
from briefs.digests.policy import DeliveryPolicy
from briefs.digests.service import DigestService
from briefs.model import Brief, Figure, Person, Quote
from storage.schedules import ScheduleStore
from storage.sqlite import SqliteBriefStore

UTC = dt.UTC
NAMES = ["Ana Lopez", "Wei Zhang", "Omar Haddad", "Ines Costa", "John Smith", "Priya Rao"]
PLACES = ["Paris", "Lagos", "Lima", "Osaka", "Berlin", "Quito", "Perth", "Oslo"]
WORDS = "budget election storm court strike vote trade energy health school water port".split()  # noqa: SIM905  # a word list


class Clock:
    def __init__(self, at: dt.datetime) -> None:
        self.at = at

    def now(self) -> dt.datetime:
        return self.at


def make_brief(n: int, rng: random.Random) -> Brief:
    word, place, name = rng.choice(WORDS), rng.choice(PLACES), rng.choice(NAMES)
    highlights = tuple(f"{name} spoke about the {word} in {place} ({n}, {i})." for i in range(3))
    return Brief(
        headline=f"{place}: {word} news number {n}",
        published=dt.date(2026, 6, 1),
        source=f"https://news.example/{n}",
        highlights=highlights,
        highlights_derived=False,
        sections=(),
        analysis="",
        body=" ".join(highlights) + f" More about the {word} in {place}.",
        people=(Person(name, role="minister"),),
        quotes=(Quote(f"We will act on the {word}.", name, "person", False, "…"),),
        figures=(Figure(str(n % 97), n % 97, "count", f"{word} cases", "…"),),
        places=(place,),
    )


class PacedDiscord:
    """A poster that keeps Discord's limits in virtual time, queueing (never dropping) requests."""

    def __init__(self, announcement_every: int) -> None:
        self.global_free = 0.0  # virtual seconds since the minute began
        self.channel_free: dict[int, list[float]] = {}
        self.sent_at: list[float] = []
        self.publish_at: list[float] = []
        self.announcement_every = announcement_every

    def _slot(self, channel_id: int) -> float:
        t = self.global_free
        window = self.channel_free.setdefault(channel_id, [])
        if len(window) >= 5 and t < window[-5] + 5.0:
            t = window[-5] + 5.0
        self.global_free = t + 1 / 50
        window.append(t)
        return t

    async def check(self, channel_id: int, *, thread: bool) -> None:
        return None

    async def post(self, channel_id: int, message: DigestMessage, *, title: str = "") -> Posted:
        self.sent_at.append(self._slot(channel_id))
        return Posted(len(self.sent_at), channel_id % self.announcement_every == 0)

    async def open_thread(self, channel_id: int, message_id: int, name: str) -> int:
        return message_id

    async def publish(self, channel_id: int, message_id: int) -> None:
        self.publish_at.append(self._slot(channel_id))

    async def report(self, channel_id: int, text: str) -> None:
        self._slot(channel_id)


async def build(path: Path, n_briefs: int, start: dt.datetime) -> tuple[SqliteBriefStore, float]:
    clock = Clock(start)
    store = await SqliteBriefStore.open(path, clock=clock)
    rng = random.Random(1)
    began = time.perf_counter()
    for n in range(n_briefs):
        clock.at = start + dt.timedelta(seconds=n)
        await store.add(f"article {n}", make_brief(n, rng), guild_id=None, source=None)
    return store, time.perf_counter() - began


async def main(n_briefs: int, n_schedules: int, per_guild: int) -> None:
    start = dt.datetime(2026, 6, 1, tzinfo=UTC)
    with tempfile.TemporaryDirectory() as tmp:
        store, build_s = await build(Path(tmp) / "bench.db", n_briefs, start)
        print(f"library: {n_briefs} briefs built in {build_s:.1f} s")
        end = start + dt.timedelta(seconds=n_briefs)
        poster = PacedDiscord(announcement_every=10)
        schedules = ScheduleStore(store, max_per_guild=per_guild)
        service = DigestService(schedules, store, poster, policy=DeliveryPolicy())
        rng = random.Random(2)
        created = end - dt.timedelta(hours=1)
        ids = []
        for i in range(n_schedules):
            include = rng.choice(["", "", rng.choice(PLACES), rng.choice(WORDS)])
            draft = make_draft(
                1000 + i // per_guild, i, "every 1h", "Europe/Paris", include=include or None
            )
            lookback = dt.timedelta(minutes=rng.choice([15, 60, 360, 1440]))
            ids.append((await schedules.add(draft, now=created, cursor=end - lookback)).id)
        loaded = [await schedules.load(i) for i in ids]

        reads = []
        for s in loaded[:500]:
            assert s is not None
            t = time.perf_counter()
            await store.briefs_since(s.cursor, guild_id=s.guild_id, limit=500)
            reads.append(time.perf_counter() - t)
        p99 = sorted(reads)[int(len(reads) * 0.99)]
        print(
            f"read per digest (briefs_since, 500 schedules): "
            f"median {statistics.median(reads) * 1e3:.1f} ms, p99 {p99 * 1e3:.1f} ms"
        )
        fetched = {}
        for s in loaded:
            assert s is not None
            key = (s.cursor, s.guild_id)
            if key not in fetched:
                fetched[key] = await store.briefs_since(s.cursor, guild_id=s.guild_id, limit=500)
        t = time.perf_counter()
        for s in loaded:
            assert s is not None
            compose(fetched[(s.cursor, s.guild_id)], s.options, since=None, tz=s.timezone)
        compose_s = time.perf_counter() - t
        print(f"compose all {n_schedules} digests (briefs in memory): {compose_s:.2f} s")

        due = end.replace(minute=0, second=0) + dt.timedelta(hours=1)
        t = time.perf_counter()
        outcomes = await asyncio.gather(*(service.run_guarded(i, now=due) for i in ids))
        minute_s = time.perf_counter() - t
        statuses: dict[str, int] = {}
        for o in outcomes:
            key = o.status if o else "none"
            statuses[key] = statuses.get(key, 0) + 1
        print(
            f"due minute through DigestService: {minute_s:.1f} s wall for {n_schedules} schedules "
            f"({minute_s / n_schedules * 1e3:.1f} ms each incl. SQLite writes); {statuses}"
        )
        sent = sorted(poster.sent_at)
        print(
            f"delivery under Discord limits (virtual time): {len(sent)} messages, last sent at "
            f"{sent[-1]:.0f} s, median wait {statistics.median(sent):.0f} s; "
            f"{len(poster.publish_at)} publishes, {await schedules.pending_publishes(1000)} queued "
            "for guild 1000"
        )
        await store.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--briefs", type=int, default=100_000)
    parser.add_argument("--schedules", type=int, default=10_000)
    parser.add_argument("--per-guild", type=int, default=25)
    args = parser.parse_args()
    asyncio.run(main(args.briefs, args.schedules, args.per_guild))

"""Benchmark (not a test): many feeds with new entries become briefs and channel posts.

    python benchmarks/delivery_bench.py --feeds 1000 --entries 10 --channels 100

Every entry is fetched (an in-process site), built with the real extractor, stored, queued for
its channel and posted through ChannelService with its Pacer. Discord is simulated by
`LimitedDiscord`, which accepts every post but counts any that break Discord's limits (5 messages
per 5 s per channel, 50 requests per s in all). Time runs `SCALE` times faster than real time so
pacing can be measured without waiting: the clock reads virtual time and every sleep is scaled."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import tempfile
import time
from collections import defaultdict, deque
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from briefs.digests.compose import GuildSettings
from briefs.extract import build_brief
from briefs.service import BriefService, in_thread
from briefs.sources.changes import Change
from briefs.sources.channels import ChannelService, Pacer
from briefs.sources.delivery import ChannelKind, DeliveryOptions, ItemPost, PostedItem, QueuedItem
from briefs.sources.service import SourcesService
from storage.deliveries import DeliveryStore
from storage.sources import SourcesStore
from storage.sqlite import SqliteBriefStore

SCALE = 20.0
GUILD = 1
ARTICLE = """<html><head><title>{place} council votes on the {word} plan</title></head><body>
<article><h1>{place} council votes on the {word} plan ({n})</h1>
<p>The council of {place} voted {votes} to {against} on Tuesday to approve the {word} plan,
officials said, after months of debate about item {n} of feed {f}.</p>
<p>Mayor Ana Lopez said the plan was "a fair deal for every family" and promised {money} million
euros for the first year. Opposition leader Omar Haddad said the vote was rushed.</p>
</article></body></html>"""
PLACES = ["Paris", "Lagos", "Lima", "Osaka", "Berlin", "Quito", "Perth", "Oslo"]
WORDS = ["budget", "housing", "water", "transport", "energy", "school"]


class ScaledClock:
    """Virtual time running SCALE times faster than real time."""

    def __init__(self) -> None:
        self.start = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
        self.began = time.perf_counter()

    def now(self) -> dt.datetime:
        return self.start + dt.timedelta(seconds=(time.perf_counter() - self.began) * SCALE)

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds / SCALE)


@dataclass
class Page:
    url: str
    content_type: str
    text: str
    etag: str | None = None
    last_modified: str | None = None


class Site:
    """An in-process site: feed f lists `entries` items once `live` is set."""

    def __init__(self, entries: int) -> None:
        self.entries, self.live = entries, False

    async def fetch(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> Page:
        parts = url.split("/")
        if parts[-1] == "feed.xml":
            f = int(parts[-2])
            items = "".join(
                f"<item><guid>f{f}e{e}</guid><title>Item {e}</title>"
                f"<link>https://site.example/{f}/a/{e}</link>"
                f"<pubDate>Mon, 01 Jun 2026 0{e % 10}:00:00 GMT</pubDate></item>"
                # one entry is listed from the start, so the live poll is not a first
                for e in (range(self.entries + 1) if self.live else [self.entries])
            )
            body = f'<rss version="2.0"><channel><title>Feed {f}</title>{items}</channel></rss>'
            return Page(url, "application/rss+xml", body)
        f, e = int(parts[-3]), int(parts[-1])
        n = f * 1000 + e
        text = ARTICLE.format(
            place=PLACES[n % 8], word=WORDS[n % 6], n=n, f=f, votes=20 + n % 17,
            against=n % 11, money=n % 90 + 5,
        )  # fmt: skip
        return Page(url, "text/html", text)


class LimitedDiscord:
    """Accepts every post; counts posts that would break Discord's limits (virtual time)."""

    def __init__(self, clock: ScaledClock) -> None:
        self.clock = clock
        self.posts = 0
        self.per_channel: dict[int, deque[dt.datetime]] = defaultdict(deque)
        self.all: deque[dt.datetime] = deque()
        self.violations = 0
        self.first: dt.datetime | None = None
        self.last: dt.datetime | None = None

    async def check(self, channel_id: int, options: DeliveryOptions) -> ChannelKind:
        return "text"

    async def post(self, channel_id: int, item: ItemPost) -> PostedItem:
        now = self.clock.now()
        window = self.per_channel[channel_id]
        while window and (now - window[0]).total_seconds() >= 5.0:
            window.popleft()
        while self.all and (now - self.all[0]).total_seconds() >= 1.0:
            self.all.popleft()
        if len(window) >= 5 or len(self.all) >= 50:
            self.violations += 1
        window.append(now)
        self.all.append(now)
        self.posts += 1
        self.first = self.first or now
        self.last = now
        return PostedItem(self.posts, channel_id)

    async def reply(
        self, channel_id: int, message_id: int, headline: str, changes: Sequence[Change]
    ) -> None:
        raise AssertionError("no updates in this benchmark")

    async def find_posted(self, channel_id: int, item: QueuedItem) -> PostedItem | None:
        return None

    async def report(self, channel_id: int, text: str) -> None:
        return None


class NoLog:
    async def settings(self, guild_id: int) -> GuildSettings:
        return GuildSettings(guild_id)


async def no_publish(*, now: dt.datetime) -> int:
    return 0


async def main(n_feeds: int, n_entries: int, n_channels: int) -> None:
    clock = ScaledClock()
    with tempfile.TemporaryDirectory() as tmp:
        library = await SqliteBriefStore.open(Path(tmp) / "bench.db")
        site = Site(n_entries)
        store = SourcesStore(library, max_feeds=n_feeds)
        sources = SourcesService(
            fetcher=site, repository=store,
            briefs=BriefService(library, in_thread(build_brief)), build=in_thread(build_brief),
        )  # fmt: skip
        discord = LimitedDiscord(clock)
        channels = ChannelService(
            DeliveryStore(library), discord, library, sources, log_channels=NoLog(),
            publish=no_publish, clock=clock, pacer=Pacer(clock, clock.sleep),
        )  # fmt: skip
        began = time.perf_counter()
        for f in range(n_feeds):
            await channels.connect(
                f"https://site.example/{f}/feed.xml", guild_id=GUILD,
                channel_id=1000 + f % n_channels, options=DeliveryOptions(), backlog=0,
                created_by=None, now=clock.now(),
            )  # fmt: skip
        print(
            f"{n_feeds} feeds connected to {n_channels} channels in "
            f"{time.perf_counter() - began:.1f} s"
        )
        site.live = True
        began = time.perf_counter()
        polled = await sources.poll_due(now=clock.now() + dt.timedelta(hours=1), limit=n_feeds)
        built = sum(len(r.added) for r in polled)
        poll_s = time.perf_counter() - began
        print(
            f"poll: {built} entries fetched, built and stored in {poll_s:.1f} s "
            f"({built / poll_s:.0f}/s)"
        )
        began, virtual0 = time.perf_counter(), clock.now()
        while True:
            await channels.deliver_due(now=clock.now() + dt.timedelta(hours=2))
            await channels.idle()
            async with library.snapshot() as conn:
                left = await conn.fetch(
                    "SELECT count(*) FROM delivery_items WHERE status IN ('pending', 'claimed')"
                )
            if not left[0][0]:
                break
        virtual = (clock.now() - virtual0).total_seconds()
        async with library.snapshot() as conn:
            rows = await conn.fetch("SELECT status, count(*) FROM delivery_items GROUP BY status")
        print(
            f"delivery: {discord.posts} posts in {virtual:.0f} s of Discord time "
            f"({discord.posts / virtual:.1f} posts/s; "
            f"{time.perf_counter() - began:.1f} s real at x{SCALE:.0f})"
        )
        print(
            f"items by status: {dict((r[0], r[1]) for r in rows)}; "
            f"over Discord's limits: {discord.violations}"
        )
        await library.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=1000)
    parser.add_argument("--entries", type=int, default=10)
    parser.add_argument("--channels", type=int, default=100)
    args = parser.parse_args()
    asyncio.run(main(args.feeds, args.entries, args.channels))

"""SourcesService end to end below Discord: a loopback feed server, SafeFetcher, the real library."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest
from aiohttp import web

from bot.runtime.fetch import SafeFetcher
from briefs.errors import FetchRefused
from briefs.model import Brief, StoredBrief
from briefs.service import BriefService, in_thread
from briefs.sources.feeds import MAX_FEED_ENTRIES
from briefs.sources.service import SourcesService
from storage.sources import SourcesStore
from storage.sqlite import SqliteBriefStore

# The real extractor (a colleague's briefs/extract.py); these tests wait for it.
extract = pytest.importorskip("briefs.extract", reason="needs briefs.extract.build_brief")

NOW = dt.datetime(2026, 1, 21, 12, 0, tzinfo=dt.UTC)
GUILD = 111
CHANNEL = 555


def article(n: int, person: str = "Pam Bondi") -> str:
    """An article page with navigation around the text, as news sites have."""
    return f"""<!doctype html><html><head><title>Story {n}</title></head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Mexico sends {30 + n} prisoners to the United States</h1>
<p>Mexico sent {30 + n} prisoners to the United States on Tuesday, officials said, in the
largest such transfer this year. The prisoners include leaders of several cartels.</p>
<p>Attorney General {person} said the transfer was "a historic step" for both countries and
thanked the Mexican government for its cooperation over many months of talks.</p>
<p>Security minister Omar García Harfuch said the transfer would weaken the cartels. Story
number {n} continues with more detail on tariffs and the border.</p>
</article><footer>© News Example</footer></body></html>"""


@dataclass
class Site:
    """What the loopback news site serves, changed by the tests as they go."""

    items: list[str] = field(default_factory=lambda: ["1", "2", "3"])  # page names, oldest first
    feed_body: bytes | None = None  # overrides the generated feed
    etag: str = '"v1"'
    asked: list[str] = field(default_factory=list)
    base: str = ""

    def rss(self) -> bytes:
        items = "".join(
            f"<item><guid>story-{n}</guid><title>Story {n}</title>"
            f"<link>{self.base}/a/{n}</link>"
            f"<pubDate>Wed, {10 + i:02d} Jan 2026 08:00:00 GMT</pubDate></item>"
            for i, n in enumerate(self.items)
        )
        return (
            f'<?xml version="1.0"?><rss version="2.0"><channel><title>News</title>{items}'
            "</channel></rss>"
        ).encode()


@pytest.fixture
async def site() -> AsyncIterator[Site]:
    state = Site()

    async def feed(request: web.Request) -> web.StreamResponse:
        state.asked.append(request.path_qs)
        if request.headers.get("If-None-Match") == state.etag:
            return web.Response(status=304)
        body = state.feed_body if state.feed_body is not None else state.rss()
        return web.Response(
            body=body, content_type="application/rss+xml", headers={"ETag": state.etag}
        )

    async def page(request: web.Request) -> web.StreamResponse:
        state.asked.append(request.path_qs)
        n = request.match_info["n"]
        if n == "huge":
            return web.Response(text="<p>" + "x" * 300_000 + "</p>", content_type="text/html")
        if n == "binary":
            return web.Response(body=b"\x89PNG\r\n\x1a\n" + b"\0" * 64, content_type="image/png")
        if n == "private":
            raise web.HTTPFound("http://169.254.169.254/latest/meta-data/")
        if n == "poison":
            return web.Response(
                text=article(9).replace("Story", "POISON"), content_type="text/html"
            )
        return web.Response(text=article(int(n)), content_type="text/html")

    async def redirect_private(request: web.Request) -> web.StreamResponse:
        state.asked.append(request.path_qs)
        raise web.HTTPFound("http://10.0.0.1/feed.xml")

    app = web.Application()
    app.router.add_get("/feed.xml", feed)
    app.router.add_get("/a/{n}", page)
    app.router.add_get("/private-feed", redirect_private)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    state.base = f"http://127.0.0.1:{runner.addresses[0][1]}"
    yield state
    await runner.cleanup()


@dataclass
class World:
    library: SqliteBriefStore
    sources: SourcesStore
    service: SourcesService
    new: list[StoredBrief]


@pytest.fixture
async def world(tmp_path) -> AsyncIterator[World]:
    library = await SqliteBriefStore.open(tmp_path / "lib.db")
    fetcher = SafeFetcher(allowed_hosts=["127.0.0.1"], timeout=20, max_bytes=100_000)
    sources = SourcesStore(library)
    service = SourcesService(
        fetcher=fetcher,
        repository=sources,
        briefs=BriefService(library, in_thread(extract.build_brief)),
        build=in_thread(extract.build_brief),
        first_take=2,
    )
    new: list[StoredBrief] = []
    service.on_new_brief(new.append)
    yield World(library, sources, service, new)
    await fetcher.close()
    await library.close()


async def test_new_feed_takes_newest_entries_as_briefs_in_the_guild(site, world) -> None:
    added = await world.service.add_feed(f"{site.base}/feed.xml", guild_id=GUILD, now=NOW)
    assert added.poll.outcome == "2 new"
    assert [s.ref.source for s in world.new] == [f"{site.base}/a/2", f"{site.base}/a/3"]
    assert all(s.ref.guild_id == GUILD for s in world.new)
    assert "/a/1" not in site.asked  # history beyond the newest entries is never fetched
    stored = await world.library.latest(5, guild_id=GUILD)
    assert len(stored) == 2
    assert "prisoners" in stored[0].headline
    assert await world.library.latest(5, guild_id=None) == []  # not global
    [feed] = await world.service.list_feeds(guild_id=GUILD)
    assert (feed.entries_added, feed.last_outcome, feed.failing, feed.title) == (
        2,
        "2 new",
        None,
        "News",
    )


async def test_same_entries_again_and_304_add_nothing(site, world) -> None:
    added = await world.service.add_feed(f"{site.base}/feed.xml", guild_id=GUILD, now=NOW)
    later = NOW + dt.timedelta(minutes=20)
    [result] = await world.service.poll_due(now=later)  # the server answers 304
    assert result.not_modified
    site.etag = '"v2"'  # same entries, new ETag: fetched, parsed, nothing new
    result = await world.service.poll(added.feed, now=later)
    assert result.outcome == "0 new"
    assert len(await world.library.latest(10, guild_id=GUILD)) == 2
    site.items = ["1", "2", "3", "4"]
    site.etag = '"v3"'
    result = await world.service.poll(added.feed, now=later)
    assert result.outcome == "1 new"
    assert [s.ref.source for s in world.new][-1] == f"{site.base}/a/4"


async def test_refused_pages_are_skipped_with_reasons_and_store_nothing(site, world) -> None:
    added = await world.service.add_feed(f"{site.base}/feed.xml", guild_id=GUILD, now=NOW)
    site.items = ["1", "2", "3", "private", "huge", "binary"]
    site.etag = '"v2"'
    result = await world.service.poll(added.feed, now=NOW + dt.timedelta(minutes=20))
    assert result.added == ()
    assert sorted(result.skipped) == [
        "not text: image/png",
        "refused: cloud metadata address",
        "too large",
    ]
    [feed] = await world.service.list_feeds(guild_id=GUILD)
    assert "too large" in feed.last_outcome
    assert "not text: image/png" in feed.last_outcome
    assert len(await world.library.latest(10, guild_id=GUILD)) == 2  # only the first two


async def test_malformed_feed_is_refused_at_once_and_nothing_is_stored(site, world) -> None:
    site.feed_body = b"<rss><channel><title>cut off"
    with pytest.raises(FetchRefused) as info:
        await world.service.add_feed(f"{site.base}/feed.xml", guild_id=GUILD, now=NOW)
    assert info.value.reason == "malformed feed"
    assert await world.service.list_feeds(guild_id=GUILD) == []


async def test_failing_feed_backs_off_says_why_and_does_not_stop_others(site, world) -> None:
    good = await world.service.add_feed(f"{site.base}/feed.xml", guild_id=GUILD, now=NOW)
    broken = await world.sources.add_feed(
        f"{site.base}/private-feed", guild_id=GUILD, interval=15, added_by=None, now=NOW
    )
    site.items = ["1", "2", "3", "4"]
    site.etag = '"v2"'
    at = NOW + dt.timedelta(minutes=15)
    results = {r.feed_id: r for r in await world.service.poll_due(now=at)}
    assert results[broken.id].failing == "refused: private address"
    assert results[good.feed.id].outcome == "1 new"
    failing = await world.sources.get_feed(broken.id)
    assert failing.failing == "refused: private address"
    assert failing.next_due == at + dt.timedelta(minutes=30)  # doubled after one failure
    await world.service.poll(failing, now=at)
    assert (await world.sources.get_feed(broken.id)).next_due == at + dt.timedelta(minutes=60)
    assert site.asked.count("/private-feed") == 2  # 10.0.0.1 itself was never asked


async def test_new_brief_raises_a_follow_alert_once(site, world) -> None:
    await world.service.follow(
        guild_id=GUILD, channel_id=CHANNEL, kind="person", name="Bondi", now=NOW
    )
    await world.service.follow(
        guild_id=GUILD, channel_id=CHANNEL, kind="topic", name="tariffs", now=NOW
    )
    await world.service.add_feed(f"{site.base}/feed.xml", guild_id=GUILD, now=NOW)
    [batch] = await world.service.alerts_for(world.new, now=NOW)
    assert batch.channel_id == CHANNEL
    assert {(a.kind, a.name) for a in batch.alerts} >= {
        ("person", "Pam Bondi"),
        ("topic", "tariffs"),
    }
    bondi = next(a for a in batch.alerts if a.kind == "person")
    assert "Bondi" in bondi.sentence
    assert bondi.link.startswith(f"{site.base}/a/")
    assert await world.service.alerts_for(world.new, now=NOW) == []  # never twice


async def test_add_url_fetches_one_page_safely(site, world) -> None:
    result = await world.service.add_url(f"{site.base}/a/7", GUILD)
    assert result.status == "added"
    assert result.brief.guild_id == GUILD
    with pytest.raises(FetchRefused) as info:
        await world.service.add_url(f"{site.base}/a/binary", GUILD)
    assert info.value.reason == "not text: image/png"
    with pytest.raises(FetchRefused) as info:
        await world.service.add_url("http://10.0.0.1/story", GUILD)
    assert info.value.reason == "refused: private address"


# --- Issue 16: bounded polling --------------------------------------------------------------


def poisoned_build(text: str | bytes, source: str | None) -> Brief:
    """The real builder, except that a marked page raises as a hostile article once did."""
    if "POISON" in (text if isinstance(text, str) else text.decode("utf-8", "replace")):
        raise ValueError("number reader: 'one hundred hundred'")
    return extract.build_brief(text, source)


async def _entries(library: SqliteBriefStore, feed_id: int) -> list[tuple[str, str | None]]:
    async with library.snapshot() as conn:
        rows = await conn.fetch(
            "SELECT entry_id, skipped FROM feed_entries WHERE feed_id = ?", (feed_id,)
        )
    return [(r[0], r[1]) for r in rows]


async def test_a_100000_entry_feed_is_read_up_to_its_bound_and_polled_again(site, tmp_path) -> None:
    site.feed_body = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Big</title>'
        + "".join(
            f"<item><guid>e{n}</guid><link>{site.base}/a/{n}</link></item>"
            for n in range(100_000, 0, -1)
        )
        + "</channel></rss>"
    ).encode()
    library = await SqliteBriefStore.open(tmp_path / "big.db")
    fetcher = SafeFetcher(allowed_hosts=["127.0.0.1"], timeout=60, max_bytes=20_000_000)
    service = SourcesService(
        fetcher=fetcher,
        repository=SourcesStore(library),
        briefs=BriefService(library, in_thread(extract.build_brief)),
        build=in_thread(extract.build_brief),
        first_take=2,
    )
    try:
        added = await service.add_feed(f"{site.base}/feed.xml", guild_id=GUILD, now=NOW)
        assert added.poll.outcome == "2 new"
        assert len(await _entries(library, added.feed.id)) == MAX_FEED_ENTRIES
        for poll in (1, 2):
            site.etag = f'"v{poll + 1}"'  # a changed ETag: the whole feed is read again
            (feed,) = await service.list_feeds(guild_id=GUILD)
            result = await service.poll(feed, now=NOW + dt.timedelta(hours=poll))
            assert result.outcome == "0 new"
        assert len(await _entries(library, added.feed.id)) == MAX_FEED_ENTRIES
    finally:
        await fetcher.close()
        await library.close()


async def test_a_poisoned_entry_is_skipped_and_the_entries_after_it_are_taken(
    site, world, tmp_path
) -> None:
    service = SourcesService(
        fetcher=world.service._fetcher,  # the same real fetcher, another builder
        repository=world.sources,
        briefs=BriefService(world.library, in_thread(extract.build_brief)),
        build=in_thread(poisoned_build),
        first_take=2,
    )
    added = await service.add_feed(f"{site.base}/feed.xml", guild_id=GUILD, now=NOW)
    site.items = ["1", "2", "3", "poison", "4", "5"]
    result = await service.poll(added.feed, now=NOW + dt.timedelta(hours=1))
    assert result.failing is None
    assert [b.ref.source for b in result.added] == [f"{site.base}/a/4", f"{site.base}/a/5"]
    assert result.skipped == ("could not be read (ValueError)",)
    assert ("story-poison", "could not be read (ValueError)") in await _entries(
        world.library, added.feed.id
    )
    site.items.append("6")
    site.etag = '"v2"'
    (feed,) = await service.list_feeds(guild_id=GUILD)
    again = await service.poll(feed, now=NOW + dt.timedelta(hours=2))
    assert [b.ref.source for b in again.added] == [f"{site.base}/a/6"]
    assert site.asked.count("/a/poison") == 1  # recorded once, never asked again

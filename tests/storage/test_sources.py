"""SourcesStore on a real SQLite file with the real migrations."""

from __future__ import annotations

import datetime as dt

import aiosqlite
import pytest

from briefs.errors import AlreadySubscribed, LimitReached, NotFound, StorageError
from briefs.model import Brief
from briefs.sources.feeds import FeedEntry, FeedSource
from briefs.sources.follows import Alert
from storage.migrate import migrate, schema_version
from storage.sources import SourcesStore
from storage.store import LibraryStore

NOW = dt.datetime(2026, 1, 21, 12, 0, tzinfo=dt.UTC)
GUILD = 111
OTHER = 222


def brief(headline: str, body: str) -> Brief:
    return Brief(
        headline=headline,
        published=None,
        source=None,
        highlights=(),
        highlights_derived=True,
        sections=(),
        analysis="",
        body=body,
    )


def entry(n: int) -> FeedEntry:
    return FeedEntry(id=f"e{n}", link=f"https://news.example/a/{n}", title=f"T{n}", published=None)


@pytest.fixture
async def library(store: LibraryStore) -> LibraryStore:
    return store


@pytest.fixture
def sources(library) -> SourcesStore:
    return SourcesStore(library, max_feeds=2, max_follows=2)


async def test_migrates_from_schema_2_to_3(tmp_path) -> None:
    path = tmp_path / "old.db"
    async with aiosqlite.connect(path, isolation_level=None) as conn:
        assert await migrate(conn, target=2) == 2
        assert await migrate(conn) >= 3
        assert await schema_version(conn) >= 3
        async with conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'") as cur:
            tables = {r[0] for r in await cur.fetchall()}
    assert {"feeds", "feed_entries", "follows", "alert_log"} <= tables


async def test_add_list_and_remove_feeds_per_guild(sources) -> None:
    feed = await sources.add_feed(
        "https://news.example/rss", guild_id=GUILD, interval=15, added_by=5, now=NOW
    )
    assert feed.guild_id == GUILD
    assert feed.next_due == NOW
    assert feed.added_by == 5
    assert feed.last_fetch is None
    assert [f.id for f in await sources.list_feeds(guild_id=GUILD)] == [feed.id]
    assert await sources.list_feeds(guild_id=OTHER) == []
    with pytest.raises(AlreadySubscribed) as info:
        await sources.add_feed(
            "https://news.example/rss", guild_id=GUILD, interval=15, added_by=5, now=NOW
        )
    assert info.value.ident == feed.id
    # another guild may subscribe to the same feed
    await sources.add_feed(
        "https://news.example/rss", guild_id=OTHER, interval=15, added_by=6, now=NOW
    )
    with pytest.raises(NotFound):
        await sources.remove_feed(feed.id, guild_id=OTHER)
    assert (await sources.remove_feed(feed.id, guild_id=GUILD)).url == feed.url
    assert await sources.get_feed(feed.id) is None


async def test_feeds_per_guild_are_bounded(sources) -> None:
    for n in range(2):
        await sources.add_feed(
            f"https://n{n}.example/rss", guild_id=GUILD, interval=15, added_by=None, now=NOW
        )
    with pytest.raises(LimitReached):
        await sources.add_feed(
            "https://n9.example/rss", guild_id=GUILD, interval=15, added_by=None, now=NOW
        )


async def test_operator_feeds_follow_the_config(sources) -> None:
    await sources.sync_operator_feeds(
        [("https://a.example/rss", 15), ("https://b.example/rss", 30)], now=NOW
    )
    feeds = await sources.sync_operator_feeds(
        [("https://b.example/rss", 60), ("https://c.example/rss", 15)], now=NOW
    )
    assert [(f.url, f.interval, f.guild_id) for f in feeds] == [
        ("https://b.example/rss", 60, None),
        ("https://c.example/rss", 15, None),
    ]


async def test_due_feeds_and_fetch_records(sources) -> None:
    feed = await sources.add_feed(
        "https://news.example/rss", guild_id=GUILD, interval=15, added_by=None, now=NOW
    )
    assert [f.id for f in await sources.due_feeds(now=NOW)] == [feed.id]
    later = NOW + dt.timedelta(minutes=30)
    await sources.record_fetch(
        feed.id, now=NOW, outcome="failed: HTTP 500", next_due=later, failing="HTTP 500"
    )
    await sources.record_fetch(
        feed.id, now=NOW, outcome="failed: HTTP 500", next_due=later, failing="HTTP 500"
    )
    failing = await sources.get_feed(feed.id)
    assert (failing.failing, failing.failures, failing.next_due) == ("HTTP 500", 2, later)
    assert await sources.due_feeds(now=NOW) == []
    await sources.record_fetch(
        feed.id, now=later, outcome="2 new", next_due=later, etag='"x"', title="News"
    )
    ok = await sources.get_feed(feed.id)
    assert (ok.failing, ok.failures, ok.etag, ok.title, ok.last_fetch) == (
        None,
        0,
        '"x"',
        "News",
        later,
    )


async def test_ingest_entry_stores_brief_in_feed_scope_and_marks_it_seen(library, sources) -> None:
    feed = await sources.add_feed(
        "https://news.example/rss", guild_id=GUILD, interval=15, added_by=None, now=NOW
    )
    result = await sources.ingest_entry(
        feed, entry(1), "Some text.", brief("Hello", "Some text."), sha256="abc", now=NOW
    )
    assert result.status == "added"
    assert result.brief.guild_id == GUILD
    assert result.brief.source == "https://news.example/a/1"
    assert await library.get(result.brief.id, guild_id=GUILD) is not None
    assert await library.get(result.brief.id, guild_id=OTHER) is None
    seen = await sources.seen(feed.id, [entry(1), entry(2)])
    assert [(s.entry_id, s.link, s.brief_id) for s in seen] == [
        ("e1", entry(1).link, result.brief.id)
    ]
    assert await sources.has_entries(feed.id)
    assert await sources.content_seen("abc", guild_id=GUILD) == result.brief.id
    assert await sources.content_seen("abc", guild_id=OTHER) is None
    assert (await sources.get_feed(feed.id)).entries_added == 1


async def test_ingest_entry_stores_nothing_when_any_part_fails(library, sources) -> None:
    ghost = FeedSource(
        id=999, guild_id=GUILD, url="https://gone.example/rss", interval=15, next_due=NOW
    )
    with pytest.raises(StorageError):
        await sources.ingest_entry(
            ghost, entry(1), "Some text.", brief("Hello", "Some text."), sha256="abc", now=NOW
        )
    assert await library.latest(5, guild_id=GUILD) == []


async def test_skipped_entries_are_seen_without_a_brief(sources) -> None:
    feed = await sources.add_feed(
        "https://news.example/rss", guild_id=GUILD, interval=15, added_by=None, now=NOW
    )
    await sources.skip_entry(feed.id, entry(3), reason="too large", now=NOW)
    seen = await sources.seen(feed.id, [entry(3)])
    assert [(s.entry_id, s.link) for s in seen] == [("e3", entry(3).link)]
    assert (await sources.get_feed(feed.id)).entries_added == 0


async def test_follows_are_scoped_unique_and_bounded(sources) -> None:
    bondi = await sources.add_follow(
        guild_id=GUILD, channel_id=10, kind="person", name="Pam Bondí", created_by=5, now=NOW
    )
    assert bondi.key == "pam bondi"
    with pytest.raises(AlreadySubscribed):
        await sources.add_follow(
            guild_id=GUILD, channel_id=10, kind="person", name="pam bondi", created_by=6, now=NOW
        )
    await sources.add_follow(
        guild_id=GUILD, channel_id=11, kind="topic", name="tariffs", created_by=5, now=NOW
    )
    with pytest.raises(LimitReached):
        await sources.add_follow(
            guild_id=GUILD, channel_id=12, kind="topic", name="oil", created_by=5, now=NOW
        )
    other = await sources.add_follow(
        guild_id=OTHER, channel_id=20, kind="topic", name="oil", created_by=7, now=NOW
    )
    assert [f.name for f in await sources.list_follows(guild_id=GUILD)] == ["Pam Bondí", "tariffs"]
    assert len(await sources.follows_in_scope(None)) == 3
    assert [f.id for f in await sources.follows_in_scope(OTHER)] == [other.id]
    with pytest.raises(NotFound):
        await sources.remove_follow(other.id, guild_id=GUILD)
    assert (await sources.remove_follow(other.id, guild_id=OTHER)).name == "oil"
    assert await sources.list_follows(guild_id=OTHER) == []


async def test_alert_log_counts_per_channel_and_remembers_pairs(sources) -> None:
    follow = await sources.add_follow(
        guild_id=GUILD, channel_id=10, kind="topic", name="oil", created_by=None, now=NOW
    )
    alert = Alert(follow.id, 10, "topic", "oil", "Headline", None, None, brief_id=42)
    await sources.record_alerts([alert, alert], now=NOW)
    assert await sources.alerted([(follow.id, 42), (follow.id, 43)]) == {(follow.id, 42)}
    hour_ago = NOW - dt.timedelta(hours=1)
    assert await sources.alerts_since([10, 11], hour_ago) == {10: 1, 11: 0}
    assert await sources.alerts_since([10], NOW) == {10: 0}

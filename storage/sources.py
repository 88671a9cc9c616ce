"""Feeds and their seen entries in the library's transactions; follows and the alert log come
from `storage.follows.FollowStore`, which this store extends."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence

from briefs.errors import AlreadySubscribed, LimitReached, NotFound, StorageError
from briefs.model import Brief, IngestResult
from briefs.sources.feeds import FeedEntry, FeedSource, SeenEntry
from storage.db import Connection, Row
from storage.delivery_items import enqueue_entry, revise_items
from storage.follows import FollowStore
from storage.ingest import ingest
from storage.people import keys_param
from storage.rows import sql
from storage.runs import Library

log = logging.getLogger(__name__)

_FEED = (
    "id, guild_id, url, interval_min, next_due, title, etag, last_modified, last_fetch, "
    "last_outcome, entries_added, failing, failures, added_by"
)
FEED_LEASE = dt.timedelta(seconds=60)  # how long a claimed poll keeps the feed from others


def _text(moment: dt.datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("datetimes must be timezone-aware")
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f+00:00")


def _time(text: str | None) -> dt.datetime | None:
    return None if text is None else dt.datetime.fromisoformat(text).astimezone(dt.UTC)


def _feed(row: Row) -> FeedSource:
    return FeedSource(
        id=row[0],
        guild_id=row[1],
        url=row[2],
        interval=row[3],
        next_due=dt.datetime.fromisoformat(row[4]).astimezone(dt.UTC),
        title=row[5],
        etag=row[6],
        last_modified=row[7],
        last_fetch=_time(row[8]),
        last_outcome=row[9],
        entries_added=row[10],
        failing=row[11],
        failures=row[12],
        added_by=row[13],
    )


class SourcesStore(FollowStore):
    """Feeds and their entries, with the follows and alerts of `FollowStore`, sharing the brief
    library's connection and transactions."""

    def __init__(self, library: Library, *, max_feeds: int = 25, max_follows: int = 50) -> None:
        super().__init__(library, max_follows=max_follows)
        self.max_feeds = max_feeds

    # --- feeds ---------------------------------------------------------------------------

    async def add_feed(
        self,
        url: str,
        *,
        guild_id: int | None,
        interval: int,
        added_by: int | None,
        now: dt.datetime,
    ) -> FeedSource:
        """Subscribe a scope to a feed, due at once; AlreadySubscribed or LimitReached."""
        async with self._transaction() as conn:
            same = await self._rows(
                "SELECT id FROM feeds WHERE ifnull(guild_id, 0) = ? AND url = ?",
                (guild_id or 0, url),
            )
            if same:
                raise AlreadySubscribed("feed", same[0][0])
            if guild_id is not None and await self._count("feeds", guild_id) >= self.max_feeds:
                raise LimitReached("feeds", self.max_feeds)
            feed_id = await self._insert(
                conn,
                "INSERT INTO feeds (guild_id, url, interval_min, added_by, created_at, next_due) "
                "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                (guild_id, url, interval, added_by, _text(now), _text(now)),
            )
        feed = await self.get_feed(feed_id)
        if feed is None:
            raise StorageError(f"feed {feed_id} vanished while it was written")
        return feed

    async def get_feed(self, feed_id: int) -> FeedSource | None:
        """One feed by id, in any scope."""
        rows = await self._rows(f"SELECT {_FEED} FROM feeds WHERE id = ?", (feed_id,))  # noqa: S608  # constant columns
        return _feed(rows[0]) if rows else None

    async def list_feeds(self, *, guild_id: int | None) -> list[FeedSource]:
        """A guild's feeds (None: the operator's), oldest first."""
        rows = await self._rows(
            f"SELECT {_FEED} FROM feeds WHERE ifnull(guild_id, 0) = ? ORDER BY id",  # noqa: S608  # constant columns
            (guild_id or 0,),
        )
        return [_feed(r) for r in rows]

    async def remove_feed(self, feed_id: int, *, guild_id: int) -> FeedSource:
        """Unsubscribe a guild's feed (its briefs stay); NotFound if not this guild's."""
        feed = await self.get_feed(feed_id)
        if feed is None or feed.guild_id != guild_id:
            raise NotFound("feed", feed_id)
        async with self._transaction() as conn:
            await conn.execute(
                "DELETE FROM delivery_items WHERE delivery_id IN "
                "(SELECT id FROM feed_deliveries WHERE feed_id = ?)",
                (feed_id,),
            )
            await conn.execute("DELETE FROM feed_deliveries WHERE feed_id = ?", (feed_id,))
            await conn.execute("DELETE FROM feed_entries WHERE feed_id = ?", (feed_id,))
            await conn.execute("DELETE FROM feeds WHERE id = ?", (feed_id,))
        return feed

    async def sync_operator_feeds(
        self, feeds: Sequence[tuple[str, int]], *, now: dt.datetime
    ) -> list[FeedSource]:
        """Make the global feeds match the config: add new ones, update intervals, drop others."""
        wanted = dict(feeds)
        async with self._transaction() as conn:
            for feed in await self.list_feeds(guild_id=None):
                if feed.url not in wanted:
                    await conn.execute("DELETE FROM feed_entries WHERE feed_id = ?", (feed.id,))
                    await conn.execute("DELETE FROM feeds WHERE id = ?", (feed.id,))
                elif feed.interval != wanted[feed.url]:
                    await conn.execute(
                        "UPDATE feeds SET interval_min = ? WHERE id = ?",
                        (wanted[feed.url], feed.id),
                    )
            await self._write_operator_feeds(conn, wanted, now)
        return await self.list_feeds(guild_id=None)

    @staticmethod
    async def _write_operator_feeds(
        conn: Connection, wanted: dict[str, int], now: dt.datetime
    ) -> None:
        for url, interval in wanted.items():
            await conn.execute(
                "INSERT INTO feeds (guild_id, url, interval_min, created_at, next_due) "
                "VALUES (NULL, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                (url, interval, _text(now), _text(now)),
            )

    async def due_feeds(self, *, now: dt.datetime, limit: int = 20) -> list[FeedSource]:
        """Feeds due for a poll, the most overdue first, each claimed for this caller.

        A claim moves the feed's due time FEED_LEASE ahead (record_fetch then sets the real
        one), so other processes skip it; if this one dies mid-poll, the feed is due again."""
        async with self._transaction() as conn:
            lock = " FOR UPDATE SKIP LOCKED" if conn.dialect == "postgres" else ""
            rows = await conn.fetch(
                f"SELECT {_FEED} FROM feeds WHERE next_due <= ? "  # noqa: S608  # constant columns
                f"ORDER BY next_due, id LIMIT ?{lock}",
                (_text(now), limit),
            )
            await conn.executemany(
                "UPDATE feeds SET next_due = ? WHERE id = ?",
                [(_text(now + FEED_LEASE), r[0]) for r in rows],
            )
        return [_feed(r) for r in rows]

    async def record_fetch(
        self,
        feed_id: int,
        *,
        now: dt.datetime,
        outcome: str,
        next_due: dt.datetime,
        failing: str | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
        title: str | None = None,
    ) -> None:
        """Record one poll: its outcome, cache headers, and the failure streak."""
        async with self._transaction() as conn:
            await conn.execute(
                "UPDATE feeds SET last_fetch = ?, last_outcome = ?, next_due = ?, failing = ?, "
                "failures = CASE WHEN CAST(? AS TEXT) IS NULL THEN 0 ELSE failures + 1 END, "
                "etag = coalesce(?, etag), last_modified = coalesce(?, last_modified), "
                "title = coalesce(?, title) WHERE id = ?",
                (
                    _text(now),
                    outcome,
                    _text(next_due),
                    failing,
                    failing,
                    etag,
                    last_modified,
                    title,
                    feed_id,
                ),
            )

    # --- entries -------------------------------------------------------------------------

    async def seen(self, feed_id: int, entries: Sequence[FeedEntry]) -> list[SeenEntry]:
        """Which of these entries the feed has stored, by id or link: one query per poll.

        The ids and links travel as one parameter each (JSON for SQLite's json_each, an array
        for PostgreSQL), so a feed of any length is one statement."""
        async with self._library.snapshot() as conn:
            ids = keys_param(conn, [e.id for e in entries])
            links = keys_param(conn, [e.link for e in entries if e.link])
            rows = await conn.fetch(
                sql(
                    "SELECT entry_id, link, fingerprint, brief_id FROM feed_entries "
                    "WHERE feed_id = ?1 AND entry_id IN (SELECT value FROM {KEYS}) UNION "
                    "SELECT entry_id, link, fingerprint, brief_id FROM feed_entries "
                    "WHERE feed_id = ?1 AND link IN (SELECT value FROM {KEYS})",
                    dialect=conn.dialect,
                ),
                (feed_id, ids, links),
            )
        return [SeenEntry(r[0], r[1], r[2], r[3]) for r in rows]

    async def has_entries(self, feed_id: int) -> bool:
        """True once the feed has any seen entry (so later polls are not first polls)."""
        rows = await self._rows("SELECT 1 FROM feed_entries WHERE feed_id = ? LIMIT 1", (feed_id,))
        return bool(rows)

    async def content_seen(self, sha256: str, *, guild_id: int | None) -> int | None:
        """The brief id of a page with this content already taken from a feed in the scope."""
        rows = await self._rows(
            "SELECT e.brief_id FROM feed_entries e JOIN feeds f ON f.id = e.feed_id "
            "WHERE e.sha256 = ? AND ifnull(f.guild_id, 0) = ? AND e.brief_id IS NOT NULL LIMIT 1",
            (sha256, guild_id or 0),
        )
        return int(rows[0][0]) if rows else None

    async def ingest_entry(
        self,
        feed: FeedSource,
        entry: FeedEntry,
        text: str,
        brief: Brief,
        *,
        sha256: str,
        now: dt.datetime,
        image: str | None = None,
    ) -> IngestResult:
        """Store an entry's brief, mark it seen and queue it for the feed's channels, atomically."""
        async with self._transaction() as conn:
            result = await ingest(
                conn, text, brief, guild_id=feed.guild_id, source=entry.link, now=now
            )
            await self._mark(
                conn, feed.id, entry, sha256=sha256, brief_id=result.brief.id, now=now, image=image
            )
            await enqueue_entry(conn, feed.id, entry.id, result.brief.id, now=now)
            if result.status != "duplicate":
                await conn.execute(
                    "UPDATE feeds SET entries_added = entries_added + 1 WHERE id = ?", (feed.id,)
                )
        return result

    async def skip_entry(
        self,
        feed_id: int,
        entry: FeedEntry,
        *,
        reason: str,
        now: dt.datetime,
        sha256: str | None = None,
        brief_id: int | None = None,
    ) -> None:
        """Mark an entry seen without a new brief (a duplicate, or a page that was refused).

        A duplicate of a brief taken elsewhere is still queued for this feed's channels (a
        channel gets one article once, however many of its feeds carry it)."""
        async with self._transaction() as conn:
            await self._mark(
                conn, feed_id, entry, sha256=sha256, brief_id=brief_id, now=now, skipped=reason
            )
            if brief_id is not None:
                await enqueue_entry(conn, feed_id, entry.id, brief_id, now=now)

    async def mark_history(
        self, feed_id: int, entries: Sequence[FeedEntry], *, now: dt.datetime
    ) -> None:
        """Mark a new feed's older entries seen (not taken), in one statement."""
        async with self._transaction() as conn:
            await conn.executemany(
                "INSERT INTO feed_entries (feed_id, entry_id, link, skipped, seen_at, title, "
                "fingerprint) VALUES (?, ?, ?, 'history', ?, ?, ?) ON CONFLICT DO NOTHING",
                [(feed_id, e.id, e.link, _text(now), e.title, e.fingerprint) for e in entries],
            )

    async def touch_entry(self, feed_id: int, entry: FeedEntry) -> None:
        """Remember the entry's new fingerprint (its page did not change)."""
        async with self._transaction() as conn:
            await conn.execute(
                "UPDATE feed_entries SET fingerprint = ?, title = ? "
                "WHERE feed_id = ? AND entry_id = ?",
                (entry.fingerprint, entry.title, feed_id, entry.id),
            )

    async def revise_entry(
        self,
        feed: FeedSource,
        entry: FeedEntry,
        text: str,
        brief: Brief,
        *,
        sha256: str,
        old_brief_id: int,
        now: dt.datetime,
    ) -> IngestResult:
        """Store an updated article as its brief's new revision; posted items await a reply."""
        async with self._transaction() as conn:
            result = await ingest(
                conn, text, brief, guild_id=feed.guild_id, source=entry.link, now=now
            )
            await conn.execute(
                "UPDATE feed_entries SET fingerprint = ?, title = ?, sha256 = ?, brief_id = ? "
                "WHERE feed_id = ? AND entry_id = ?",
                (entry.fingerprint, entry.title, sha256, result.brief.id, feed.id, entry.id),
            )
            if result.brief.id != old_brief_id:
                await revise_items(conn, old_brief_id, result.brief.id, now=now)
        return result

    @staticmethod
    async def _mark(
        conn: Connection,
        feed_id: int,
        entry: FeedEntry,
        *,
        sha256: str | None,
        brief_id: int | None,
        now: dt.datetime,
        skipped: str | None = None,
        image: str | None = None,
    ) -> None:
        published = _text(entry.published) if entry.published else None
        await conn.execute(
            "INSERT INTO feed_entries (feed_id, entry_id, link, sha256, brief_id, skipped, "
            "seen_at, title, published, image, fingerprint) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (
                feed_id, entry.id, entry.link, sha256, brief_id, skipped, _text(now),
                entry.title, published, image, entry.fingerprint,
            ),
        )  # fmt: skip

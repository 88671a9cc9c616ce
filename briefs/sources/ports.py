"""What the sources service needs from the library: feeds, entries seen, follows, alerts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Protocol

from briefs.model import Brief, IngestResult
from briefs.sources.feeds import FeedEntry, FeedSource, SeenEntry
from briefs.sources.follows import Alert, Follow, FollowKind


class SourcesRepository(Protocol):
    """Where feeds, seen entries, follows and sent alerts are kept (storage/sources.py and
    storage/follows.py)."""

    async def add_feed(
        self,
        url: str,
        *,
        guild_id: int | None,
        interval: int,
        added_by: int | None,
        now: dt.datetime,
    ) -> FeedSource:
        """Subscribe a scope to a feed; AlreadySubscribed or LimitReached."""
        ...

    async def list_feeds(self, *, guild_id: int | None) -> list[FeedSource]:
        """A guild's feeds (None: the operator's)."""
        ...

    async def remove_feed(self, feed_id: int, *, guild_id: int) -> FeedSource:
        """Unsubscribe one of a guild's feeds; NotFound otherwise."""
        ...

    async def sync_operator_feeds(
        self, feeds: Sequence[tuple[str, int]], *, now: dt.datetime
    ) -> list[FeedSource]:
        """Make the global feeds match the config."""
        ...

    async def due_feeds(self, *, now: dt.datetime, limit: int = 20) -> list[FeedSource]:
        """Feeds due for a poll."""
        ...

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
        """Record one poll's outcome."""
        ...

    async def seen(self, feed_id: int, entries: Sequence[FeedEntry]) -> list[SeenEntry]:
        """Which of these entries the feed has stored, by id or link (one query)."""
        ...

    async def mark_history(
        self, feed_id: int, entries: Sequence[FeedEntry], *, now: dt.datetime
    ) -> None:
        """Mark a new feed's older entries seen, not taken."""
        ...

    async def touch_entry(self, feed_id: int, entry: FeedEntry) -> None:
        """Remember an entry's new fingerprint (its page did not change)."""
        ...

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
        """Store an updated article as a new revision of its brief."""
        ...

    async def has_entries(self, feed_id: int) -> bool:
        """True once the feed has any seen entry."""
        ...

    async def content_seen(self, sha256: str, *, guild_id: int | None) -> int | None:
        """The brief id of a page with this content already taken in the scope."""
        ...

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
        """Store the brief, mark the entry seen and queue it for the feed's channels, at once."""
        ...

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
        """Mark an entry seen without a new brief."""
        ...

    async def add_follow(
        self,
        *,
        guild_id: int,
        channel_id: int,
        kind: FollowKind,
        name: str,
        created_by: int | None,
        now: dt.datetime,
    ) -> Follow:
        """Add a follow; AlreadySubscribed or LimitReached."""
        ...

    async def list_follows(self, *, guild_id: int) -> list[Follow]:
        """A guild's follows."""
        ...

    async def remove_follow(self, follow_id: int, *, guild_id: int) -> Follow:
        """Remove one of a guild's follows; NotFound otherwise."""
        ...

    async def follows_in_scope(self, guild_id: int | None) -> list[Follow]:
        """The follows a brief in this scope can alert."""
        ...

    async def alerted(self, pairs: Iterable[tuple[int, int]]) -> set[tuple[int, int]]:
        """Which (follow id, brief id) pairs were alerted already."""
        ...

    async def alerts_since(self, channel_ids: Iterable[int], since: dt.datetime) -> dict[int, int]:
        """Alerts per channel since a moment."""
        ...

    async def record_alerts(self, alerts: Sequence[Alert], *, now: dt.datetime) -> None:
        """Log alerts as sent."""
        ...


class BriefIngester(Protocol):
    """Builds and stores one article (BriefService.ingest)."""

    async def ingest(
        self, data: str | bytes, source: str | None, *, guild_id: int | None
    ) -> IngestResult:
        """Build the brief of one article and store it in the scope."""
        ...


class ArticleFetcher(Protocol):
    """Fetches a web page or feed safely (size, type, address checks)."""

    async def fetch(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> FetchedPage | None:
        """The page, or None for 304 Not Modified. Raises FetchRefused with the reason."""
        ...


class FetchedPage(Protocol):
    """A fetched page: final URL after redirects, content type, text and cache headers."""

    url: str
    content_type: str
    text: str
    etag: str | None
    last_modified: str | None

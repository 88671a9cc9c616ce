"""RSS and Atom feeds: parse into entries, newest first, and pick the entries not seen yet."""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import html
import logging
import re
import time
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

import feedparser

from briefs.errors import FetchRefused

log = logging.getLogger(__name__)

FIRST_TAKE = 5  # a new feed starts with its newest entries, not its whole history
MAX_PER_POLL = 20  # bounds the work after a long outage
MAX_FEED_ENTRIES = 500  # a feed is read up to this many entries; the rest of the document is cut
MAX_REVISIONS_PER_POLL = 10  # updated entries re-read per poll


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One feed item: a stable id, the article link, its title and when it was published."""

    id: str
    link: str | None
    title: str
    published: dt.datetime | None  # timezone-aware UTC
    updated: str | None = None  # the feed's own updated stamp, as written

    @property
    def fingerprint(self) -> str:
        """What the feed says about this entry's version: its updated stamp and title."""
        return f"{self.updated or ''}\n{self.title}"


@dataclass(frozen=True, slots=True)
class SeenEntry:
    """A stored entry: its id, link, the fingerprint it was taken with, its brief if any."""

    entry_id: str
    link: str | None
    fingerprint: str | None
    brief_id: int | None


@dataclass(frozen=True, slots=True)
class Feed:
    """A parsed feed: its title and its entries, newest first."""

    title: str
    entries: tuple[FeedEntry, ...]


def parse_feed(data: str | bytes, *, url: str) -> Feed:
    """Parse RSS or Atom; a document with no entries that feedparser flags as broken is refused."""
    parsed: Any = feedparser.parse(bounded(data))  # Any: feedparser returns an untyped dict
    raw_entries = list(parsed.get("entries") or [])
    if parsed.get("bozo") and not raw_entries:
        error = parsed.get("bozo_exception")
        log.debug("malformed feed %s: %s", url, error)
        raise FetchRefused(url, "malformed feed")
    if not raw_entries and not parsed.get("version"):
        raise FetchRefused(url, "not a feed")
    entries = []
    for raw in raw_entries[:MAX_FEED_ENTRIES]:
        try:
            entries.append(_entry(raw, url))
        except (TypeError, ValueError, OverflowError) as e:  # one odd entry never stops the rest
            log.info("feed %s: unreadable entry skipped (%s)", url, e)
    title = str(parsed.get("feed", {}).get("title") or url)
    return Feed(title=title, entries=tuple(newest_first(entries)))


def _entry(raw: Any, feed_url: str) -> FeedEntry:  # Any: one feedparser entry dict
    link = raw.get("link") or None
    title = " ".join(str(raw.get("title") or "").split())
    ident = raw.get("id") or link
    if not ident:
        digest = hashlib.sha256(f"{feed_url}\n{title}".encode()).hexdigest()[:16]
        ident = f"title:{digest}"
    updated = dict.get(raw, "updated") or dict.get(raw, "published")  # no feedparser remapping
    return FeedEntry(
        id=str(ident)[:2000],
        link=str(link)[:2000] if link else None,
        title=title[:500],
        published=_published(raw),
        updated=str(updated)[:100] if updated else None,
    )


_CLOSERS = ((b"</item>", b"</channel></rss>"), (b"</entry>", b"</feed>"))


def bounded(data: str | bytes, *, limit: int = MAX_FEED_ENTRIES) -> bytes:
    """The document cut after its `limit`-th entry (and closed again), so parsing stays bounded.

    A feed of 100,000 entries is read as its first `limit`: feeds list their newest first."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    for closer, tail in _CLOSERS:
        at, count = 0, 0
        while count < limit:
            found = raw.find(closer, at)
            if found < 0:
                break
            at, count = found + len(closer), count + 1
        if count == limit and raw.find(closer, at) >= 0:
            return raw[:at] + tail
    return raw


_OG_IMAGE = re.compile(
    rb"<meta\s[^>]{0,300}?(?:property|name)\s*=\s*[\"']og:image(?::url)?[\"'][^>]{0,2300}?>", re.I
)
_CONTENT = re.compile(rb"content\s*=\s*[\"']([^\"'<>]{1,2000})[\"']", re.I)


def og_image(page: str, *, url: str) -> str | None:
    """The page's sharing image (og:image) as an absolute http(s) URL; the bot never fetches it."""
    head = page[:200_000].encode("utf-8", "replace")
    match = _OG_IMAGE.search(head)
    content = _CONTENT.search(match.group(0)) if match else None
    if content is None:
        return None
    image = urljoin(url, html.unescape(content.group(1).decode("utf-8", "replace")).strip())
    return image if image.startswith(("https://", "http://")) and len(image) <= 2000 else None


def _published(raw: Any) -> dt.datetime | None:  # Any: one feedparser entry dict
    stamp: time.struct_time | None = raw.get("published_parsed") or raw.get("updated_parsed")
    if stamp is None:
        return None
    return dt.datetime.fromtimestamp(calendar.timegm(stamp), tz=dt.UTC)


def newest_first(entries: Sequence[FeedEntry]) -> list[FeedEntry]:
    """Entries sorted newest first; undated entries keep their feed order after the dated ones."""
    order = {id(e): i for i, e in enumerate(entries)}
    dated = sorted(
        (e for e in entries if e.published is not None),
        key=lambda e: (e.published, -order[id(e)]),
        reverse=True,
    )
    return dated + [e for e in entries if e.published is None]


def new_entries(
    feed: Feed,
    *,
    seen_ids: Collection[str],
    seen_links: Collection[str],
    first: bool,
    first_take: int = FIRST_TAKE,
    limit: int = MAX_PER_POLL,
) -> list[FeedEntry]:
    """The entries not seen by id or link, newest first; a first fetch takes only `first_take`."""
    fresh: list[FeedEntry] = []
    links: set[str] = set()
    for entry in feed.entries:
        if entry.id in seen_ids or (entry.link and entry.link in seen_links):
            continue
        if entry.link and entry.link in links:
            continue  # the same article twice in one feed
        if entry.link:
            links.add(entry.link)
        fresh.append(entry)
    return fresh[: first_take if first else limit]


DEFAULT_INTERVAL = 15  # minutes
MIN_INTERVAL = 5
MAX_BACKOFF = dt.timedelta(hours=24)


@dataclass(frozen=True, slots=True)
class FeedSource:
    """A subscribed feed and how its polling went (guild_id None: an operator feed, global)."""

    id: int
    guild_id: int | None
    url: str
    interval: int  # minutes
    next_due: dt.datetime
    title: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    last_fetch: dt.datetime | None = None
    last_outcome: str | None = None
    entries_added: int = 0
    failing: str | None = None  # why the last fetch failed; None when it worked
    failures: int = 0  # consecutive
    added_by: int | None = None


def next_due(interval: int, *, now: dt.datetime, failures: int = 0) -> dt.datetime:
    """When to poll next: the interval, doubled for each consecutive failure (at most a day)."""
    delay = dt.timedelta(minutes=max(interval, MIN_INTERVAL)) * int(2 ** min(failures, 10))
    return now + min(delay, MAX_BACKOFF)


def _ago(moment: dt.datetime | None, now: dt.datetime) -> str:
    if moment is None:
        return "never"
    minutes = int((now - moment).total_seconds() // 60)
    if minutes < 1:
        return "just now"
    if minutes < 120:
        return f"{minutes} min ago"
    hours = minutes // 60
    return f"{hours} h ago" if hours < 48 else f"{hours // 24} days ago"


def render_feed_list(feeds: Sequence[FeedSource], *, now: dt.datetime) -> str:
    """The `/feed list` answer as Markdown: each feed with its last fetch, outcome and failures."""
    if not feeds:
        return "No feeds yet. Add one with `/feed add`."
    blocks = []
    for feed in feeds:
        scope = " (operator)" if feed.guild_id is None else ""
        lines = [f"**#{feed.id}** <{feed.url}>{scope} · every {feed.interval} min"]
        lines.append(
            f"Last fetch: {_ago(feed.last_fetch, now)} · {feed.last_outcome or '—'}"
            f" · {feed.entries_added} added"
        )
        if feed.failing:
            lines.append(
                f"⚠️ Failing ({feed.failures}×): {feed.failing}; next try {_ago_until(feed, now)}"
            )
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def _ago_until(feed: FeedSource, now: dt.datetime) -> str:
    minutes = max(0, int((feed.next_due - now).total_seconds() // 60))
    return f"in {minutes} min" if minutes < 120 else f"in {minutes // 60} h"

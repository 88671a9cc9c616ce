"""RSS and Atom feeds: parse into entries, newest first, and pick the entries not seen yet."""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import logging
import time
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

import feedparser

from briefs.errors import FetchRefused

log = logging.getLogger(__name__)

FIRST_TAKE = 5  # a new feed starts with its newest entries, not its whole history
MAX_PER_POLL = 20  # bounds the work after a long outage


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One feed item: a stable id, the article link, its title and when it was published."""

    id: str
    link: str | None
    title: str
    published: dt.datetime | None  # timezone-aware UTC


@dataclass(frozen=True, slots=True)
class Feed:
    """A parsed feed: its title and its entries, newest first."""

    title: str
    entries: tuple[FeedEntry, ...]


def parse_feed(data: str | bytes, *, url: str) -> Feed:
    """Parse RSS or Atom; a document with no entries that feedparser flags as broken is refused."""
    parsed: Any = feedparser.parse(data)  # Any: feedparser returns an untyped dict
    raw_entries = list(parsed.get("entries") or [])
    if parsed.get("bozo") and not raw_entries:
        error = parsed.get("bozo_exception")
        log.debug("malformed feed %s: %s", url, error)
        raise FetchRefused(url, "malformed feed")
    if not raw_entries and not parsed.get("version"):
        raise FetchRefused(url, "not a feed")
    entries = [_entry(raw, url) for raw in raw_entries]
    title = str(parsed.get("feed", {}).get("title") or url)
    return Feed(title=title, entries=tuple(newest_first(entries)))


def _entry(raw: Any, feed_url: str) -> FeedEntry:  # Any: one feedparser entry dict
    link = raw.get("link") or None
    title = " ".join(str(raw.get("title") or "").split())
    ident = raw.get("id") or link
    if not ident:
        digest = hashlib.sha256(f"{feed_url}\n{title}".encode()).hexdigest()[:16]
        ident = f"title:{digest}"
    return FeedEntry(id=str(ident), link=link, title=title, published=_published(raw))


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

"""Sources: poll feeds into briefs, add pages by URL, and turn new briefs into follow alerts."""

from __future__ import annotations

import datetime as dt
import hashlib
import inspect
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from briefs.article_text import normalize_text
from briefs.errors import AlreadySubscribed, ArticleUnreadable, BriefingError, FetchRefused
from briefs.model import Brief, IngestResult, StoredBrief
from briefs.sources.feeds import (
    DEFAULT_INTERVAL,
    FIRST_TAKE,
    MAX_REVISIONS_PER_POLL,
    MIN_INTERVAL,
    Feed,
    FeedEntry,
    FeedSource,
    SeenEntry,
    new_entries,
    next_due,
    og_image,
    parse_feed,
)
from briefs.sources.following import FollowService
from briefs.sources.ports import ArticleFetcher, BriefIngester, FetchedPage, SourcesRepository

log = logging.getLogger(__name__)

BriefBuilder = Callable[[str | bytes, str | None], Awaitable[Brief]]  # off the event loop
# Failures worth retrying on the next poll; anything else (too large, not text, 404) is final.
_TRANSIENT = ("timed out", "connection failed", "HTTP 5", "HTTP 429")


@dataclass(frozen=True, slots=True)
class PollResult:
    """What one poll of one feed did."""

    feed_id: int
    added: tuple[StoredBrief, ...] = ()
    skipped: tuple[str, ...] = ()  # why entries were not taken
    failing: str | None = None
    not_modified: bool = False

    @property
    def outcome(self) -> str:
        """A short line for `/feed list`."""
        if self.failing:
            return f"failed: {self.failing}"
        if self.not_modified:
            return "not modified"
        text = f"{len(self.added)} new"
        if self.skipped:
            text += f", {len(self.skipped)} skipped ({'; '.join(sorted(set(self.skipped)))})"
        return text


@dataclass(frozen=True, slots=True)
class FeedAdded:
    """A new subscription and what its first fetch added."""

    feed: FeedSource
    poll: PollResult


def sha256_text(text: str) -> str:
    """The content hash entries are deduplicated by."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


NewBriefListener = Callable[[StoredBrief], object]


class SourcesService(FollowService):
    """Feeds and follows for the bot: subscribe, poll, ingest, and match new briefs to follows."""

    def __init__(
        self,
        *,
        fetcher: ArticleFetcher,
        repository: SourcesRepository,
        briefs: BriefIngester,
        build: BriefBuilder,
        first_take: int = FIRST_TAKE,
        max_alerts_per_hour: int = 10,
    ) -> None:
        super().__init__(repository=repository, max_alerts_per_hour=max_alerts_per_hour)
        self._fetcher = fetcher
        self._briefs = briefs
        self._build = build
        self._first_take = first_take
        self._listeners: list[NewBriefListener] = []

    def on_new_brief(self, listener: NewBriefListener) -> None:
        """Call `listener` with every brief a feed adds (after it is committed)."""
        self._listeners.append(listener)

    # --- feeds ---------------------------------------------------------------------------

    async def add_feed(
        self,
        url: str,
        *,
        guild_id: int,
        now: dt.datetime,
        interval: int = DEFAULT_INTERVAL,
        added_by: int | None = None,
        first_take: int | None = None,
    ) -> FeedAdded:
        """Subscribe the guild to a feed: it must fetch and parse now; takes its newest entries."""
        url = url.strip()
        for feed in await self._repo.list_feeds(guild_id=guild_id):
            if feed.url == url:
                raise AlreadySubscribed("feed", feed.id)
        page = await self._fetcher.fetch(url)
        if page is None:
            raise FetchRefused(url, "HTTP 304 without a cached copy")
        parsed = parse_feed(page.text, url=url)
        feed = await self._repo.add_feed(
            url,
            guild_id=guild_id,
            interval=max(interval, MIN_INTERVAL),
            added_by=added_by,
            now=now,
        )
        log.info("Guild %s: feed %s added (%s)", guild_id, feed.id, url)
        poll = await self._take(feed, parsed, now=now, first_take=first_take)
        await self._record(feed, poll, page, title=parsed.title, now=now)
        return FeedAdded(feed, poll)

    async def feed_by_url(self, url: str, *, guild_id: int) -> FeedSource | None:
        """The guild's own feed with this address, if it has one."""
        url = url.strip()
        return next(
            (f for f in await self._repo.list_feeds(guild_id=guild_id) if f.url == url), None
        )

    async def list_feeds(self, *, guild_id: int) -> list[FeedSource]:
        """The guild's feeds, then the operator's (which it also receives)."""
        own = await self._repo.list_feeds(guild_id=guild_id)
        return own + await self._repo.list_feeds(guild_id=None)

    async def remove_feed(self, feed_id: int, *, guild_id: int) -> FeedSource:
        """Unsubscribe one of the guild's feeds; the briefs it added stay."""
        return await self._repo.remove_feed(feed_id, guild_id=guild_id)

    async def sync_operator_feeds(
        self, feeds: Sequence[tuple[str, int]], *, now: dt.datetime
    ) -> list[FeedSource]:
        """Make the global feeds match the config (`[[feeds]]` url and interval)."""
        wanted = [(url.strip(), max(interval, MIN_INTERVAL)) for url, interval in feeds]
        return await self._repo.sync_operator_feeds(wanted, now=now)

    async def poll_due(self, *, now: dt.datetime, limit: int = 20) -> list[PollResult]:
        """Poll every due feed; one failing feed is recorded and never stops the others."""
        results = []
        for feed in await self._repo.due_feeds(now=now, limit=limit):
            try:
                results.append(await self.poll(feed, now=now))
            except Exception:  # a bug in one feed must not stop the rest; logged here, finally
                log.exception("Polling feed %s (%s) failed", feed.id, feed.url)
                failing = PollResult(feed.id, failing="internal error")
                await self._record(feed, failing, None, now=now)
                results.append(failing)
        return results

    async def poll(self, feed: FeedSource, *, now: dt.datetime) -> PollResult:
        """Fetch one feed (conditionally), take its new entries, record the outcome."""
        page: FetchedPage | None = None
        title = None
        try:
            page = await self._fetcher.fetch(
                feed.url, etag=feed.etag, last_modified=feed.last_modified
            )
            if page is None:
                result = PollResult(feed.id, not_modified=True)
            else:
                parsed = parse_feed(page.text, url=feed.url)
                title = parsed.title
                result = await self._take(feed, parsed, now=now)
        except FetchRefused as e:
            result = PollResult(feed.id, failing=e.reason)
        await self._record(feed, result, page, title=title, now=now)
        if result.failing:
            log.warning("Feed %s failing (%s): %s", feed.id, feed.url, result.failing)
        return result

    async def _record(
        self,
        feed: FeedSource,
        result: PollResult,
        page: FetchedPage | None,
        *,
        now: dt.datetime,
        title: str | None = None,
    ) -> None:
        failures = feed.failures + 1 if result.failing else 0
        await self._repo.record_fetch(
            feed.id,
            now=now,
            outcome=result.outcome,
            next_due=next_due(feed.interval, now=now, failures=failures),
            failing=result.failing,
            etag=page.etag if page and not result.failing else None,
            last_modified=page.last_modified if page and not result.failing else None,
            title=title,
        )

    async def _take(
        self, feed: FeedSource, parsed: Feed, *, now: dt.datetime, first_take: int | None = None
    ) -> PollResult:
        entries = parsed.entries
        first = not await self._repo.has_entries(feed.id)
        stored = await self._repo.seen(feed.id, entries)  # one query for the whole feed
        ids = {s.entry_id for s in stored}
        links = {s.link for s in stored if s.link}
        take = max(first_take or 0, self._first_take)
        fresh = new_entries(parsed, seen_ids=ids, seen_links=links, first=first, first_take=take)
        added: list[StoredBrief] = []
        skipped: list[str] = []
        for entry in reversed(fresh):  # oldest first, so brief ids follow publication order
            outcome = await self._guarded_entry(feed, entry, now=now)
            if isinstance(outcome, str):
                skipped.append(outcome)
            elif outcome is not None:
                added.append(outcome)
        if first:  # older history is seen, not taken, so the next poll does not take it either
            taken = {e.id for e in fresh}
            history = [e for e in entries if e.id not in taken and e.id not in ids]
            await self._repo.mark_history(feed.id, history, now=now)
        else:
            await self._revisions(feed, entries, stored, now=now)
        return PollResult(feed.id, added=tuple(added), skipped=tuple(skipped))

    async def _guarded_entry(
        self, feed: FeedSource, entry: FeedEntry, *, now: dt.datetime
    ) -> StoredBrief | str | None:
        """One entry; one that cannot be read is recorded as skipped and never blocks the rest."""
        try:
            return await self._take_entry(feed, entry, now=now)
        except BriefingError:
            raise  # storage trouble: the poll fails and is retried, nothing is marked
        except Exception as e:  # a bug or hostile page in one entry; logged here, finally
            reason = f"could not be read ({type(e).__name__})"
            log.exception("Feed %s: entry %s %s", feed.id, entry.link or entry.id, reason)
            await self._repo.skip_entry(feed.id, entry, reason=reason, now=now)
            return reason

    async def _revisions(
        self,
        feed: FeedSource,
        entries: Sequence[FeedEntry],
        stored: Sequence[SeenEntry],
        *,
        now: dt.datetime,
    ) -> None:
        """Re-read entries whose feed says they changed (updated stamp or title)."""
        by_id = {s.entry_id: s for s in stored}
        changed = [
            (entry, seen)
            for entry in entries
            if (seen := by_id.get(entry.id)) is not None
            and seen.brief_id is not None
            and seen.fingerprint is not None
            and seen.fingerprint != entry.fingerprint
            and entry.link
        ]
        for entry, seen in changed[:MAX_REVISIONS_PER_POLL]:
            try:
                await self._revise(feed, entry, seen, now=now)
            except BriefingError:
                raise
            except Exception:  # one unreadable revision never blocks the others
                log.exception("Feed %s: revision of %s failed", feed.id, entry.link)
                await self._repo.touch_entry(feed.id, entry)

    async def _revise(
        self, feed: FeedSource, entry: FeedEntry, seen: SeenEntry, *, now: dt.datetime
    ) -> None:
        if entry.link is None or seen.brief_id is None:
            return
        try:
            page = await self._fetcher.fetch(entry.link)
        except FetchRefused as e:
            log.info("Feed %s: revision of %s not fetched: %s", feed.id, entry.link, e.reason)
            return  # tried again next poll
        if page is None:
            return
        sha = sha256_text(page.text)
        if await self._repo.content_seen(sha, guild_id=feed.guild_id) is not None:
            await self._repo.touch_entry(feed.id, entry)
            return
        try:
            brief = await self._build(page.text, entry.link)
        except ArticleUnreadable:
            await self._repo.touch_entry(feed.id, entry)
            return
        result = await self._repo.revise_entry(
            feed, entry, page.text, brief, sha256=sha, old_brief_id=seen.brief_id, now=now
        )
        log.info("Feed %s: %s revised as brief %s", feed.id, entry.link, result.brief.id)

    async def _take_entry(
        self, feed: FeedSource, entry: FeedEntry, *, now: dt.datetime
    ) -> StoredBrief | str | None:
        """A new brief, the reason the entry was skipped, or None for a duplicate."""
        if not entry.link:
            await self._repo.skip_entry(feed.id, entry, reason="no link", now=now)
            return "no link"
        try:
            page = await self._fetcher.fetch(entry.link)
            if page is None:
                raise FetchRefused(entry.link, "HTTP 304 without a cached copy")
        except FetchRefused as e:
            if not e.reason.startswith(_TRANSIENT):  # a final answer: never ask again
                await self._repo.skip_entry(feed.id, entry, reason=e.reason, now=now)
            return e.reason
        text = normalize_text(page.text)  # the one decoding: a BOM or CRLF copy is a duplicate
        sha = sha256_text(text)
        earlier = await self._repo.content_seen(sha, guild_id=feed.guild_id)
        if earlier is not None:
            await self._repo.skip_entry(
                feed.id, entry, reason="duplicate", sha256=sha, brief_id=earlier, now=now
            )
            return None
        try:
            brief = await self._build(text, entry.link)
        except ArticleUnreadable as e:
            await self._repo.skip_entry(feed.id, entry, reason=e.reason, sha256=sha, now=now)
            return e.reason
        image = og_image(page.text, url=page.url)
        result = await self._repo.ingest_entry(
            feed, entry, text, brief, sha256=sha, now=now, image=image
        )
        if result.status == "duplicate":
            return None
        log.info("Feed %s: brief %s from %s", feed.id, result.brief.id, entry.link)
        stored = StoredBrief(result.brief, brief)
        await self._notify(stored)
        return stored

    async def _notify(self, stored: StoredBrief) -> None:
        for listener in self._listeners:
            outcome = listener(stored)
            if inspect.isawaitable(outcome):
                await outcome

    async def add_url(self, url: str, guild_id: int | None) -> IngestResult:
        """`/briefs add url`: fetch one article page safely, then build and store its brief."""
        url = url.strip()
        page = await self._fetcher.fetch(url)
        if page is None:
            raise FetchRefused(url, "HTTP 304 without a cached copy")
        return await self._briefs.ingest(page.text, page.url, guild_id=guild_id)

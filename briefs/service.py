"""The brief service: what the bot, the console and the command line ask of the library."""

from __future__ import annotations

import asyncio
import re
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from dataclasses import dataclass

from briefs.article_text import decode_article, source_name
from briefs.errors import BriefingError, BriefNotFound, LibraryEmpty, PersonNotFound
from briefs.model import (
    Brief,
    BriefRef,
    FigureHit,
    IngestResult,
    NameChoice,
    PersonCard,
    QuoteHit,
    RelatedBrief,
    SearchHit,
    StoredBrief,
)
from briefs.ports import BriefStore

MAX_QUERY = 200  # longer user text is cut before it reaches the library
_ID = re.compile(r"^\s*#?(\d{1,12})\s*$")

BriefBuilder = Callable[[str | bytes, str | None], Awaitable[Brief]]
BriefListener = Callable[[StoredBrief], object]
ArticleReader = Callable[[], Awaitable[str | bytes]]
# Briefs stored per transaction by ingest_many, or fewer when BATCH_SECONDS pass first (so a
# stopped ingest loses at most that much work; a rerun adds it). Bigger transactions write each
# shared page (indexes, full-text segments) once for more briefs: storing 100,000 briefs 2,048
# per transaction writes about 4× the final database, 512 about 6.7×, one at a time about 35×.
BATCH = 2048
BATCH_SECONDS = 8.0


def in_thread(build: Callable[[str | bytes, str | None], Brief]) -> BriefBuilder:
    """A builder running `build` in a thread: for one-off commands and tests, not hostile input."""

    async def run(data: str | bytes, source: str | None) -> Brief:
        return await asyncio.to_thread(build, data, source)

    return run


@dataclass(frozen=True, slots=True)
class PendingArticle:
    """An article to ingest: a label to report it by, its source, and how to read it."""

    label: str
    source: str | None
    read: ArticleReader


@dataclass(frozen=True, slots=True)
class _Built:
    text: str
    brief: Brief
    source: str | None


class BriefService:
    """Ingest articles and answer questions about briefs, within a scope (a guild, or global)."""

    def __init__(self, store: BriefStore, build: BriefBuilder, *, max_bytes: int = 2_000_000):
        self._store = store
        self._build = build
        self._max_bytes = max_bytes
        self._listeners: list[BriefListener] = []

    @property
    def store(self) -> BriefStore:
        """The library behind the service."""
        return self._store

    def on_new_brief(self, listener: BriefListener) -> None:
        """Call `listener` with every brief added or replaced (follows, alerts)."""
        self._listeners.append(listener)

    async def ingest(
        self, data: str | bytes, source: str | None, *, guild_id: int | None
    ) -> IngestResult:
        """Build the brief of one article and store it; raises ArticleUnreadable for bad input."""
        built = await self._prepare(data, source)
        result = await self._store.add(
            built.text, built.brief, guild_id=guild_id, source=built.source
        )
        await self._announce(result, built.brief)
        return result

    async def ingest_many(
        self,
        articles: Iterable[PendingArticle],
        *,
        guild_id: int | None,
        in_flight: int = 8,
        batch: int = BATCH,
    ) -> AsyncIterator[tuple[PendingArticle, IngestResult | BriefingError]]:
        """Ingest many articles: up to `in_flight` read and built at once (the builder spreads
        them over its workers), stored `batch` per transaction while the next ones are built;
        each outcome in input order, once stored. Stopping midway keeps every batch already
        stored, and nothing else."""
        waiting: deque[tuple[PendingArticle, asyncio.Task[_Built]]] = deque()
        source = iter(articles)
        done: list[tuple[PendingArticle, _Built | BriefingError]] = []
        storing: asyncio.Task[list[tuple[PendingArticle, IngestResult | BriefingError]]] | None
        storing = None
        opened = time.monotonic()
        try:
            while True:
                while len(waiting) < in_flight and (article := next(source, None)) is not None:
                    waiting.append((article, asyncio.create_task(self._read_and_build(article))))
                if not waiting:
                    break
                if done and (len(done) >= batch or time.monotonic() - opened > BATCH_SECONDS):
                    if storing is not None:  # one batch stored at a time, in order
                        for outcome in await storing:
                            yield outcome
                    storing = asyncio.create_task(self._store_batch(done, guild_id))
                    done, opened = [], time.monotonic()
                article, task = waiting.popleft()
                try:
                    done.append((article, await task))
                except BriefingError as e:
                    done.append((article, e))
            if storing is not None:
                for outcome in await storing:
                    yield outcome
                storing = None
            for outcome in await self._store_batch(done, guild_id):
                yield outcome
        finally:
            for _, task in waiting:
                task.cancel()
            if storing is not None:  # a batch not yet committed is rolled back
                storing.cancel()
            await asyncio.gather(
                *(t for _, t in waiting), *filter(None, [storing]), return_exceptions=True
            )

    async def _read_and_build(self, article: PendingArticle) -> _Built:
        return await self._prepare(await article.read(), article.source)

    async def _prepare(self, data: str | bytes, source: str | None) -> _Built:
        """Decode and check the article, build its brief (the builder keeps CPU work off the
        event loop)."""
        source = source_name(source)
        text = decode_article(data, source, self._max_bytes)  # the same text hashes the same
        return _Built(text, await self._build(text, source), source)

    async def _store_batch(
        self, done: list[tuple[PendingArticle, _Built | BriefingError]], guild_id: int | None
    ) -> list[tuple[PendingArticle, IngestResult | BriefingError]]:
        """Store the built ones in one transaction (one by one if that fails), then announce."""
        built = [(b.text, b.brief, b.source) for _, b in done if isinstance(b, _Built)]
        results: list[IngestResult | BriefingError] = []
        try:
            results.extend(await self._store.add_many(built, guild_id=guild_id))
        except BriefingError:
            for text, brief, source in built:  # find the one that fails; store the others
                try:
                    results.append(
                        await self._store.add(text, brief, guild_id=guild_id, source=source)
                    )
                except BriefingError as e:
                    results.append(e)
        stored = iter(results)
        outcomes: list[tuple[PendingArticle, IngestResult | BriefingError]] = []
        for article, item in done:
            outcome = next(stored) if isinstance(item, _Built) else item
            if isinstance(outcome, IngestResult) and isinstance(item, _Built):
                await self._announce(outcome, item.brief)
            outcomes.append((article, outcome))
        return outcomes

    async def _announce(self, result: IngestResult, brief: Brief) -> None:
        """Tell the listeners about a brief added or replaced."""
        if result.status == "duplicate":
            return
        stored = StoredBrief(result.brief, brief)
        for listener in self._listeners:
            outcome = listener(stored)
            if hasattr(outcome, "__await__"):
                await outcome

    async def build(self, data: str | bytes, source: str | None) -> Brief:
        """The brief of one article, not stored; raises ArticleUnreadable for bad input."""
        return (await self._prepare(data, source)).brief

    async def remove(self, which: str, *, guild_id: int | None) -> BriefRef:
        """Remove one of the scope's own briefs by id or headline."""
        stored = await self.brief(which, guild_id=guild_id)
        if not await self._store.remove(stored.ref.id, guild_id=guild_id):
            raise BriefNotFound(which)
        return stored.ref

    async def who(self, name: str, *, guild_id: int | None) -> list[PersonCard]:
        """People matching a name, best first; raises PersonNotFound with suggestions."""
        name = _clean(name)
        matches = await self._store.who(name, guild_id=guild_id) if name else []
        if not matches:
            if await self.is_empty(guild_id=guild_id):
                raise LibraryEmpty
            suggestions = await self._store.closest_names(name, guild_id=guild_id) if name else []
            raise PersonNotFound(name, tuple(suggestions))
        return matches

    async def brief(self, which: str | None, *, guild_id: int | None) -> StoredBrief:
        """A brief by id or headline words; the latest when `which` is empty."""
        which = _clean(which or "")
        if not which:
            latest = await self._store.latest(1, guild_id=guild_id)
            if not latest:
                raise LibraryEmpty
            which = str(latest[0].id)
        match = _ID.match(which)
        found = (
            await self._store.get(int(match.group(1)), guild_id=guild_id)
            if match
            else await self._store.find(which, guild_id=guild_id)
        )
        if found is None:
            raise LibraryEmpty if await self.is_empty(guild_id=guild_id) else BriefNotFound(which)
        return found

    async def figures(
        self, *, guild_id: int | None, brief: str | None = None, topic: str | None = None
    ) -> list[FigureHit]:
        """Key figures of a brief (latest by default) or of recent briefs on a topic."""
        topic = _clean(topic or "") or None
        if topic is None:
            stored = await self.brief(brief, guild_id=guild_id)
            return await self._store.figures(guild_id=guild_id, brief_id=stored.ref.id)
        brief_id = (await self.brief(brief, guild_id=guild_id)).ref.id if brief else None
        return await self._store.figures(guild_id=guild_id, brief_id=brief_id, topic=topic)

    async def quotes(
        self, *, guild_id: int | None, person: str | None = None, brief: str | None = None
    ) -> list[QuoteHit]:
        """Quotes of a person, of a brief, or the latest ones."""
        person = _clean(person or "") or None
        brief_id = (await self.brief(brief, guild_id=guild_id)).ref.id if brief else None
        if person is not None:
            await self.who(person, guild_id=guild_id)  # PersonNotFound with suggestions
        return await self._store.quotes(guild_id=guild_id, person=person, brief_id=brief_id)

    async def search(self, text: str, *, guild_id: int | None, limit: int = 25) -> list[SearchHit]:
        """Ranked full-text search; user text is cut to a sane length first."""
        text = _clean(text)
        return await self._store.search(text, guild_id=guild_id, limit=limit) if text else []

    async def latest(self, n: int, *, guild_id: int | None) -> list[BriefRef]:
        """The newest n briefs (1 to 50)."""
        return await self._store.latest(max(1, min(n, 50)), guild_id=guild_id)

    async def is_empty(self, *, guild_id: int | None) -> bool:
        """Whether the scope sees no brief at all."""
        return not await self._store.latest(1, guild_id=guild_id)

    async def related(self, stored: StoredBrief, *, guild_id: int | None) -> list[RelatedBrief]:
        """Up to three briefs of the scope, within 60 days, sharing the most with this one."""
        return await self._store.related(stored.ref.id, guild_id=guild_id, limit=3)

    async def complete_names(self, prefix: str, *, guild_id: int | None) -> list[NameChoice]:
        """People for autocomplete (at most 25), one entry each."""
        return await self._store.complete_names(_clean(prefix), guild_id=guild_id, limit=25)

    async def complete_headlines(self, prefix: str, *, guild_id: int | None) -> list[BriefRef]:
        """Headlines for autocomplete (at most 25)."""
        return await self._store.complete_headlines(_clean(prefix), guild_id=guild_id, limit=25)


def _clean(text: str) -> str:
    return " ".join(text.split())[:MAX_QUERY]

"""The brief library's queries, the same on every engine: `LibraryStore`, the BriefStore base.

An engine's store (storage/sqlite.py, storage/postgres.py) supplies `transaction()` and
`snapshot()`, each yielding a `storage.db.Connection`, and the module of text queries it uses."""

from __future__ import annotations

import datetime as dt
import logging
from abc import ABC, abstractmethod
from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from typing import Protocol

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
from briefs.ports import Clock
from storage import cards, library, search, who
from storage import related as related_briefs
from storage.db import Connection
from storage.ingest import ingest

log = logging.getLogger(__name__)

_MAX_ID = 2**63 - 1


class TextQueries(Protocol):
    """An engine's full-text queries (the module storage.search or storage.pg_search)."""

    async def search(
        self, conn: Connection, text: str, guild_id: int | None, limit: int
    ) -> list[SearchHit]: ...
    async def find(
        self, conn: Connection, text: str, guild_id: int | None
    ) -> StoredBrief | None: ...
    async def complete_headlines(
        self, conn: Connection, prefix: str, guild_id: int | None, limit: int
    ) -> list[BriefRef]: ...


class LibraryStore(ABC):
    """Every BriefStore query, written once over `transaction()` and `snapshot()`."""

    def __init__(self, clock: Clock, text: TextQueries) -> None:
        self._clock = clock
        self._text = text

    @abstractmethod
    def transaction(self) -> AbstractAsyncContextManager[Connection]:
        """A write transaction; nests as a savepoint."""

    @abstractmethod
    def snapshot(self) -> AbstractAsyncContextManager[Connection]:
        """A read transaction: every query inside sees the same committed state."""

    def reading(self) -> AbstractAsyncContextManager[Connection]:
        """The connection for a read whose statements need not see one state (a search: one
        statement, and a rare fallback); an engine may skip opening a transaction for it."""
        return self.snapshot()

    @abstractmethod
    async def close(self) -> None:
        """Close the library (idempotent)."""

    # --- BriefStore -------------------------------------------------------------------------

    async def add(
        self, text: str, brief: Brief, *, guild_id: int | None, source: str | None
    ) -> IngestResult:
        """Store one article and its brief in one transaction (duplicate / replaced / added)."""
        async with self.transaction() as conn:
            result = await ingest(
                conn, text, brief, guild_id=guild_id, source=source, now=self._clock.now()
            )
        log.debug("ingest %s brief %s guild %s", result.status, result.brief.id, guild_id)
        return result

    async def add_many(
        self, articles: Sequence[tuple[str, Brief, str | None]], *, guild_id: int | None
    ) -> list[IngestResult]:
        """Store (text, brief, source) articles in order in one transaction (as `add` does each).

        One commit per batch instead of per brief: an ingest writes each shared page (indexes,
        full-text segments) once per batch, not once per brief."""
        if not articles:
            return []
        async with self.transaction() as conn:
            now = self._clock.now()
            results = [
                await ingest(conn, text, brief, guild_id=guild_id, source=source, now=now)
                for text, brief, source in articles
            ]
        log.debug("ingest batch of %d, guild %s", len(results), guild_id)
        return results

    async def remove(self, brief_id: int, *, guild_id: int | None) -> bool:
        """Remove a brief of exactly this scope. True if removed."""
        if not 0 < brief_id <= _MAX_ID:
            return False
        async with self.transaction() as conn:
            return await library.remove(conn, brief_id, guild_id)

    async def get(self, brief_id: int, *, guild_id: int | None) -> StoredBrief | None:
        """One brief by id, if visible in the scope."""
        async with self.snapshot() as conn:
            return await search.get(conn, brief_id, guild_id)

    async def find(self, text: str, *, guild_id: int | None) -> StoredBrief | None:
        """A brief by id ("12", "#12") or by headline words (best match); None if nothing."""
        async with self.snapshot() as conn:
            return await self._text.find(conn, text, guild_id)

    async def latest(self, n: int, *, guild_id: int | None) -> list[BriefRef]:
        """The newest briefs, newest first."""
        async with self.snapshot() as conn:
            return await library.latest(conn, n, guild_id)

    async def who(self, name: str, *, guild_id: int | None, limit: int = 5) -> list[PersonCard]:
        """People matching a name, ranked: exact full name, surname, prefix, then fuzzy.

        The best match's card lists up to 10 briefs, quotes and figures; the others up to 3."""
        async with self.snapshot() as conn:
            matches = await who.match_people(conn, name, guild_id, limit)
            return await cards.cards(conn, matches, guild_id)

    async def closest_names(self, name: str, *, guild_id: int | None, limit: int = 3) -> list[str]:
        """The closest known names, for a 'Did you mean …?' (may be loose matches)."""
        key = who.query_key(name)
        if not key or limit < 1:
            return []
        async with self.snapshot() as conn:
            matches = await who.fuzzy(conn, key, guild_id, who.LOOSE_CUTOFF)
            return await who.display_names(conn, [m.person_id for m in matches[:limit]], guild_id)

    async def figures(
        self,
        *,
        guild_id: int | None,
        brief_id: int | None = None,
        topic: str | None = None,
        limit: int = 25,
    ) -> list[FigureHit]:
        """Key figures of the latest brief, of one brief, or of recent briefs matching a topic."""
        if brief_id is not None and not 0 < brief_id <= _MAX_ID:
            return []
        async with self.snapshot() as conn:
            return await library.figures(conn, guild_id, brief_id, topic, limit)

    async def quotes(
        self,
        *,
        guild_id: int | None,
        person: str | None = None,
        brief_id: int | None = None,
        limit: int = 25,
    ) -> list[QuoteHit]:
        """Quotes, newest first: of a person (matched as `who` matches), of a brief, or latest."""
        if brief_id is not None and not 0 < brief_id <= _MAX_ID:
            return []
        async with self.snapshot() as conn:
            if person is None:
                return await library.quotes(conn, guild_id, brief_id, limit)
            matches = await who.match_people(conn, person, guild_id, 1)
            if not matches:
                return []
            hits = await cards.person_quotes(conn, matches[0].person_id, guild_id, limit)
            return [h for h in hits if brief_id is None or h.brief.id == brief_id]

    async def search(self, text: str, *, guild_id: int | None, limit: int = 10) -> list[SearchHit]:
        """Full-text search over headline, highlights, body and analysis; ranked with a snippet."""
        async with self.reading() as conn:
            return await self._text.search(conn, text, guild_id, limit)

    async def briefs_since(
        self, cursor: dt.datetime | None, *, guild_id: int | None, limit: int = 100
    ) -> list[StoredBrief]:
        """Briefs ingested strictly after `cursor` (all when None), newest first."""
        async with self.snapshot() as conn:
            return await library.since(conn, cursor, guild_id, limit)

    async def related(
        self, brief_id: int, *, guild_id: int | None, limit: int = 3
    ) -> list[RelatedBrief]:
        """Briefs of the scope within 60 days sharing people, organisations or places with it."""
        async with self.snapshot() as conn:
            stored = await search.get(conn, brief_id, guild_id) if 0 < brief_id <= _MAX_ID else None
            if stored is None:
                return []
            day = stored.brief.published or stored.ref.ingested_at.date()
            return await related_briefs.related(conn, brief_id, guild_id, day, limit)

    async def complete_names(
        self, prefix: str, *, guild_id: int | None, limit: int = 25
    ) -> list[NameChoice]:
        """One entry per person with a name starting with (any word of) the prefix."""
        async with self.snapshot() as conn:
            return await who.complete_names(conn, prefix, guild_id, limit)

    async def complete_headlines(
        self, prefix: str, *, guild_id: int | None, limit: int = 25
    ) -> list[BriefRef]:
        """Briefs whose headline has a word starting with the prefix, newest first."""
        async with self.snapshot() as conn:
            return await self._text.complete_headlines(conn, prefix, guild_id, limit)

    async def export(self, *, guild_id: int | None) -> list[StoredBrief]:
        """Every brief visible in the scope, oldest first."""
        async with self.snapshot() as conn:
            return await library.export(conn, guild_id)

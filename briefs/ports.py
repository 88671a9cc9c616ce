"""The interfaces the domain needs from the outside world, as Protocols."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
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


class BriefStore(Protocol):
    """The brief library. Every query takes a scope: `guild_id` sees global briefs plus that
    guild's own; `guild_id=None` sees global briefs only."""

    async def add(
        self, text: str, brief: Brief, *, guild_id: int | None, source: str | None
    ) -> IngestResult:
        """Store one article and its brief in one transaction.

        Same text (sha256) in the same scope: `duplicate`, nothing written. Same source with
        changed text: `replaced` (a new revision; the old brief is no longer answered)."""
        ...

    async def add_many(
        self, articles: Sequence[tuple[str, Brief, str | None]], *, guild_id: int | None
    ) -> list[IngestResult]:
        """Store (text, brief, source) articles in order, all in one transaction, as `add` does
        each; the results in the same order. On an error nothing of the batch is stored."""
        ...

    async def remove(self, brief_id: int, *, guild_id: int | None) -> bool:
        """Remove a brief of this scope (a guild cannot remove global briefs). True if removed."""
        ...

    async def get(self, brief_id: int, *, guild_id: int | None) -> StoredBrief | None:
        """One brief by id, if visible in the scope."""
        ...

    async def find(self, text: str, *, guild_id: int | None) -> StoredBrief | None:
        """A brief by id ("12", "#12") or by headline words (best match); None if nothing."""
        ...

    async def latest(self, n: int, *, guild_id: int | None) -> list[BriefRef]:
        """The newest briefs (by ingestion time), newest first."""
        ...

    async def who(self, name: str, *, guild_id: int | None, limit: int = 5) -> list[PersonCard]:
        """People matching a name, ranked: exact full name, surname, prefix, then fuzzy.

        Case-, accent- and typo-tolerant. Empty list when nothing matches well."""
        ...

    async def closest_names(self, name: str, *, guild_id: int | None, limit: int = 3) -> list[str]:
        """The closest known names, for a 'Did you mean …?' (may be loose matches)."""
        ...

    async def figures(
        self,
        *,
        guild_id: int | None,
        brief_id: int | None = None,
        topic: str | None = None,
        limit: int = 25,
    ) -> list[FigureHit]:
        """Key figures of the latest brief, of one brief, or of recent briefs matching a topic."""
        ...

    async def quotes(
        self,
        *,
        guild_id: int | None,
        person: str | None = None,
        brief_id: int | None = None,
        limit: int = 25,
    ) -> list[QuoteHit]:
        """Quotes, newest first: of a person (matched as `who` matches), of a brief, or latest."""
        ...

    async def search(self, text: str, *, guild_id: int | None, limit: int = 10) -> list[SearchHit]:
        """Full-text search over headline, highlights, body and analysis; ranked with a snippet."""
        ...

    async def briefs_since(
        self,
        cursor: dt.datetime | None,
        *,
        guild_id: int | None,
        limit: int = 100,
    ) -> list[StoredBrief]:
        """Briefs ingested strictly after `cursor` (all when None), newest first."""
        ...

    async def complete_names(
        self, prefix: str, *, guild_id: int | None, limit: int = 25
    ) -> list[NameChoice]:
        """One entry per person with a name starting with (any word of) the prefix, for
        autocomplete: the display name, with the role when listed people share a surname."""
        ...

    async def related(
        self, brief_id: int, *, guild_id: int | None, limit: int = 3
    ) -> list[RelatedBrief]:
        """Briefs of the scope within 60 days sharing people, organisations or places with
        the brief, strongest first."""
        ...

    async def complete_headlines(
        self, prefix: str, *, guild_id: int | None, limit: int = 25
    ) -> list[BriefRef]:
        """Briefs whose headline has a word starting with the prefix, newest first."""
        ...

    async def export(self, *, guild_id: int | None) -> list[StoredBrief]:
        """Every brief visible in the scope, oldest first."""
        ...

    async def close(self) -> None:
        """Close the connection."""
        ...


class Clock(Protocol):
    """Tells the time; tests pass a clock they control."""

    def now(self) -> dt.datetime:
        """The current time, timezone-aware UTC."""
        ...


class SystemClock:
    """The real time, in UTC."""

    def now(self) -> dt.datetime:
        """The current time, timezone-aware UTC."""
        return dt.datetime.now(dt.UTC)

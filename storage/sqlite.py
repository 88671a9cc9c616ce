"""The brief library on one SQLite file: `SqliteBriefStore`, the project's BriefStore."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import sqlite3
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path

import aiosqlite

from briefs.errors import BriefingError, StorageError
from briefs.model import (
    Brief,
    BriefRef,
    FigureHit,
    IngestResult,
    PersonCard,
    QuoteHit,
    SearchHit,
    StoredBrief,
)
from briefs.ports import Clock, SystemClock
from storage import cards, library, search, who
from storage.ingest import ingest
from storage.migrate import migrate

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 30_000
WAL_CHECKPOINT_PAGES = 10_000
_MAX_ID = 2**63 - 1


class SqliteBriefStore:
    """The brief library on aiosqlite; open it with `await SqliteBriefStore.open(path)`.

    One connection serves every caller: `transaction()` and `snapshot()` take turns on it, so
    no caller ever sees another's uncommitted writes."""

    def __init__(self, conn: aiosqlite.Connection, clock: Clock) -> None:
        self._conn = conn
        self._clock = clock
        self._lock = asyncio.Lock()
        self._owner: asyncio.Task[object] | None = None
        self._closed = False

    @classmethod
    async def open(cls, path: str | Path, *, clock: Clock | None = None) -> SqliteBriefStore:
        """Open (creating if needed) the library at `path` and migrate it to the newest schema."""
        _check_path(Path(path))
        try:
            conn = await aiosqlite.connect(str(path), isolation_level=None)
        except sqlite3.Error as e:
            raise StorageError(f"cannot open the library at {path}: {e}") from e
        try:
            await _configure(conn)
            version = await migrate(conn)
        except BaseException:
            await conn.close()
            raise
        log.info("opened library %s at schema version %s", path, version)
        return cls(conn, clock or SystemClock())

    @property
    def connection(self) -> aiosqlite.Connection:
        """The shared connection, for storage modules: use it inside transaction()/snapshot()."""
        return self._conn

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """A write transaction (BEGIN IMMEDIATE … COMMIT, ROLLBACK on error); nests as a savepoint.

        Driver errors leave it as StorageError; domain errors pass through unchanged."""
        async with self._turn() as outermost:
            begin, commit, rollback = (
                ("BEGIN IMMEDIATE", "COMMIT", "ROLLBACK")
                if outermost
                else ("SAVEPOINT nested", "RELEASE nested", "ROLLBACK TO nested; RELEASE nested")
            )
            await self._run(begin)
            try:
                yield self._conn
            except BaseException:
                await self._undo(rollback)
                raise
            try:
                await self._run(commit)
            except BaseException:
                await self._undo(rollback)
                raise

    @asynccontextmanager
    async def snapshot(self) -> AsyncIterator[aiosqlite.Connection]:
        """A read transaction: every query inside sees the same committed state."""
        async with self._turn() as outermost:
            if not outermost:
                yield self._conn
                return
            await self._run("BEGIN")
            try:
                yield self._conn
            finally:
                await self._run("COMMIT")

    @asynccontextmanager
    async def _turn(self) -> AsyncIterator[bool]:
        """Exclusive use of the connection for this task; True for the outermost turn."""
        if self._closed:
            raise StorageError("the library is closed")
        task = asyncio.current_task()
        if task is not None and self._owner is task:
            async with _domain_errors():
                yield False
            return
        async with self._lock:
            self._owner = task
            try:
                async with _domain_errors():
                    yield True
            finally:
                self._owner = None

    async def _undo(self, rollback: str) -> None:
        """Roll back, keeping the error that caused it if the rollback fails too."""
        try:
            for statement in rollback.split("; "):
                await self._conn.execute(statement)
        except sqlite3.Error:
            log.warning("rollback failed", exc_info=True)

    async def _run(self, sql: str) -> None:
        """One statement without results, errors converted."""
        async with _domain_errors():
            await self._conn.execute(sql)

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
            return await search.find(conn, text, guild_id)

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
            return await who.display_names(conn, [m.person_id for m in matches[:limit]])

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
        async with self.snapshot() as conn:
            return await search.search(conn, text, guild_id, limit)

    async def briefs_since(
        self, cursor: dt.datetime | None, *, guild_id: int | None, limit: int = 100
    ) -> list[StoredBrief]:
        """Briefs ingested strictly after `cursor` (all when None), newest first."""
        async with self.snapshot() as conn:
            return await library.since(conn, cursor, guild_id, limit)

    async def complete_names(
        self, prefix: str, *, guild_id: int | None, limit: int = 25
    ) -> list[str]:
        """Person names starting with (any word of) the prefix, for autocomplete."""
        async with self.snapshot() as conn:
            return await who.complete_names(conn, prefix, guild_id, limit)

    async def complete_headlines(
        self, prefix: str, *, guild_id: int | None, limit: int = 25
    ) -> list[BriefRef]:
        """Briefs whose headline has a word starting with the prefix, newest first."""
        async with self.snapshot() as conn:
            return await search.complete_headlines(conn, prefix, guild_id, limit)

    async def export(self, *, guild_id: int | None) -> list[StoredBrief]:
        """Every brief visible in the scope, oldest first."""
        async with self.snapshot() as conn:
            return await library.export(conn, guild_id)

    async def close(self) -> None:
        """Close the connection (idempotent)."""
        if self._closed:
            return
        async with self._lock:
            self._closed = True
            async with _domain_errors():
                await self._conn.close()


def _check_path(path: Path) -> None:
    """Refuse a folder or a missing parent folder before connecting.

    Checked first because a failed aiosqlite.connect leaves its worker thread to finish late."""
    if path.is_dir() or not path.parent.is_dir():
        raise StorageError(f"cannot open the library at {path}: not a file in a folder")


async def _configure(conn: aiosqlite.Connection) -> None:
    """Connection settings: WAL, foreign keys, busy timeout, NORMAL sync, checkpoint size."""
    async with _domain_errors():
        await conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS:d}")
        async with conn.execute("PRAGMA journal_mode = WAL") as cursor:
            row = await cursor.fetchone()
        if row is None or str(row[0]).lower() != "wal":
            raise StorageError(f"the library needs WAL journaling, got {row[0] if row else None}")
        await conn.execute("PRAGMA foreign_keys = ON")
        await conn.execute("PRAGMA synchronous = NORMAL")
        # Checkpoint every ~40 MB of WAL rather than every 4 MB: a page changed by many
        # transactions in between is copied into the database once, not once per checkpoint.
        await conn.execute(f"PRAGMA wal_autocheckpoint = {WAL_CHECKPOINT_PAGES:d}")


@asynccontextmanager
async def _domain_errors() -> AsyncIterator[None]:
    """Turn driver errors into StorageError; domain errors pass through."""
    try:
        yield
    except BriefingError:
        raise
    except sqlite3.Error as e:
        raise StorageError(f"library error: {e}") from e

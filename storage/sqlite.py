"""The brief library on one SQLite file: `SqliteBriefStore`, the project's BriefStore."""

from __future__ import annotations

import asyncio
import logging
import os
import sqlite3
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import aiosqlite

from briefs.errors import BriefingError, StorageError
from briefs.ports import Clock, SystemClock
from storage import search
from storage.db import SqliteConnection
from storage.migrate import migrate
from storage.store import LibraryStore

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 30_000
WAL_CHECKPOINT_PAGES = 50_000
WAL_KEEP_BYTES = 64 * 2**20


class SqliteBriefStore(LibraryStore):
    """The brief library on aiosqlite; open it with `await SqliteBriefStore.open(path)`.

    One connection serves every caller: `transaction()` and `snapshot()` take turns on it, so
    no caller ever sees another's uncommitted writes."""

    def __init__(self, conn: aiosqlite.Connection, clock: Clock) -> None:
        super().__init__(clock, search)
        self._conn = conn
        self._shared = SqliteConnection(conn)
        self._lock = asyncio.Lock()
        self._owner: asyncio.Task[object] | None = None
        self._closed = False

    @classmethod
    async def open(cls, path: str | Path, *, clock: Clock | None = None) -> SqliteBriefStore:
        """Open (creating if needed) the library at `path` and migrate it to the newest schema."""
        _check_path(Path(path))
        try:
            await asyncio.to_thread(_create_in_wal_mode, Path(path))
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
        """The aiosqlite connection itself, for SQLite-only checks (PRAGMAs); use it inside
        transaction()/snapshot()."""
        return self._conn

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[SqliteConnection]:
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
                yield self._shared
            except BaseException:
                await self._undo(rollback)
                raise
            try:
                await self._run(commit)
            except BaseException:
                await self._undo(rollback)
                raise

    @asynccontextmanager
    async def snapshot(self) -> AsyncIterator[SqliteConnection]:
        """A read transaction: every query inside sees the same committed state."""
        async with self._turn() as outermost:
            if not outermost:
                yield self._shared
                return
            await self._run("BEGIN")
            try:
                yield self._shared
            finally:
                await self._run("COMMIT")

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[SqliteConnection]:
        """The connection in autocommit: each statement reads one committed state by itself,
        without the two extra trips to the database thread of BEGIN and COMMIT."""
        async with self._turn():
            yield self._shared

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

    async def close(self) -> None:
        """Close the connection (idempotent)."""
        if self._closed:
            return
        async with self._lock:
            self._closed = True
            async with _domain_errors():
                await self._conn.close()


def path_problem(path: Path) -> str | None:
    """Why no SQLite library can be at `path` (a folder, or a file in a missing folder), or None."""
    if path.is_dir():
        return f"cannot open the library at {path}: that is a folder, not a file"
    if not path.parent.is_dir():
        return f"cannot open the library at {path}: the folder {path.parent} does not exist"
    return None


def _check_path(path: Path) -> None:
    """Refuse a folder or a missing parent folder before connecting.

    Checked first because a failed aiosqlite.connect leaves its worker thread to finish late."""
    problem = path_problem(path)
    if problem is not None:
        raise StorageError(problem)


def _create_in_wal_mode(path: Path) -> None:
    """Create a missing library file already in WAL mode, atomically; an existing file is left.

    `PRAGMA journal_mode = WAL` on a fresh file reads it, then upgrades to a write lock; when two
    openers do that at once, SQLite refuses one with "database is locked" straight away, without
    the busy timeout (its deadlock rule: a reader asking to write is not allowed to wait). So
    the file is made in WAL mode under a private name and linked into place: every opener then
    finds it in WAL mode, and the switch below is a no-op that takes no write lock."""
    if path.exists():
        return
    private = path.with_name(f".{path.name}.{uuid.uuid4().hex}.new")
    conn = sqlite3.connect(private, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = WAL")
    finally:
        conn.close()
    try:
        os.link(private, path)
    except FileExistsError:
        pass  # another opener created it first, the same way
    finally:
        private.unlink()


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
        # Checkpoint every ~200 MB of WAL rather than every 4 MB: a page changed by many
        # transactions in between is copied into the database once, not once per checkpoint;
        # the WAL file is cut back to 64 MB when it starts over.
        await conn.execute(f"PRAGMA wal_autocheckpoint = {WAL_CHECKPOINT_PAGES:d}")
        await conn.execute(f"PRAGMA journal_size_limit = {WAL_KEEP_BYTES:d}")


@asynccontextmanager
async def _domain_errors() -> AsyncIterator[None]:
    """Turn driver errors into StorageError; domain errors pass through."""
    try:
        yield
    except BriefingError:
        raise
    except sqlite3.Error as e:
        raise StorageError(f"library error: {e}") from e

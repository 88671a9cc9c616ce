"""The brief library on PostgreSQL: `PostgresBriefStore`, shared by any number of processes."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from contextvars import ContextVar
from urllib.parse import urlsplit, urlunsplit

import asyncpg

from briefs.errors import BriefingError, StorageError
from briefs.ports import Clock, SystemClock
from storage import pg_search
from storage.db import PostgresConnection
from storage.pg_migrate import migrate
from storage.store import LibraryStore

log = logging.getLogger(__name__)

POOL_SIZE = 10
COMMAND_TIMEOUT = 60.0  # seconds; a statement that takes longer fails as StorageError
DRIVER_ERRORS = (asyncpg.PostgresError, asyncpg.InterfaceError, OSError, TimeoutError)


def is_postgres_url(target: object) -> bool:
    """Whether a library location names a PostgreSQL server (else it is an SQLite file)."""
    return isinstance(target, str) and target.startswith(("postgresql://", "postgres://"))


def redact(url: str) -> str:
    """The URL without its password, for messages and logs."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    user = f"{parts.username}:***@" if parts.username else ":***@"
    netloc = f"{user}{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


class PostgresBriefStore(LibraryStore):
    """The brief library on an asyncpg pool; open it with `await PostgresBriefStore.open(url)`.

    Each outermost `transaction()` or `snapshot()` takes its own pooled connection, so tasks run
    side by side; inside one, the same task's nested calls reuse its connection (savepoints)."""

    def __init__(self, pool: asyncpg.Pool, clock: Clock, url: str) -> None:
        super().__init__(clock, pg_search)
        self._pool = pool
        self.url = redact(url)
        self._held: ContextVar[tuple[asyncio.Task[object] | None, PostgresConnection] | None] = (
            ContextVar(f"briefbot-pg-{id(self)}", default=None)
        )
        self._closed = False

    @classmethod
    async def open(
        cls, url: str, *, clock: Clock | None = None, pool_size: int = POOL_SIZE
    ) -> PostgresBriefStore:
        """Connect to the server at `url` and migrate the library to the newest schema."""
        try:
            pool = await asyncpg.create_pool(
                url, min_size=1, max_size=pool_size, command_timeout=COMMAND_TIMEOUT
            )
        except (*DRIVER_ERRORS, ValueError) as e:
            raise StorageError(f"cannot open the library at {redact(url)}: {e}") from e
        try:
            async with pool.acquire() as conn:
                version = await migrate(conn)
        except BaseException:
            await pool.close()
            raise
        log.info("opened library %s at schema version %s", redact(url), version)
        return cls(pool, clock or SystemClock(), url)

    def _current(self) -> PostgresConnection | None:
        """The connection this task holds in an open transaction or snapshot, if any."""
        held = self._held.get()
        if held is None or held[0] is not asyncio.current_task():
            return None  # a task started inside a transaction does not share its connection
        return held[1]

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[PostgresConnection]:
        """A write transaction (READ COMMITTED); nests as a savepoint.

        Driver errors leave it as StorageError; domain errors pass through unchanged."""
        current = self._current()
        if current is not None:
            async with _domain_errors(), current.raw.transaction():
                yield current
            return
        async with self._connection() as conn, _domain_errors(), conn.raw.transaction():
            yield conn

    @asynccontextmanager
    async def snapshot(self) -> AsyncIterator[PostgresConnection]:
        """A read-only REPEATABLE READ transaction: every query sees one committed state."""
        current = self._current()
        if current is not None:
            async with _domain_errors():
                yield current
            return
        async with (
            self._connection() as conn,
            _domain_errors(),
            conn.raw.transaction(isolation="repeatable_read", readonly=True),
        ):
            yield conn

    @asynccontextmanager
    async def _connection(self) -> AsyncIterator[PostgresConnection]:
        """A pooled connection, held by this task until the block ends."""
        if self._closed:
            raise StorageError("the library is closed")
        async with _domain_errors(), self._pool.acquire() as raw:
            conn = PostgresConnection(raw)
            token = self._held.set((asyncio.current_task(), conn))
            try:
                yield conn
            finally:
                self._held.reset(token)

    async def close(self) -> None:
        """Close the pool (idempotent); transactions still running are waited for."""
        if self._closed:
            return
        self._closed = True
        async with _domain_errors():
            await self._pool.close()


@asynccontextmanager
async def _domain_errors() -> AsyncIterator[None]:
    """Turn driver errors into StorageError; domain errors pass through."""
    try:
        yield
    except BriefingError:
        raise
    except DRIVER_ERRORS as e:
        raise StorageError(f"library error: {e}") from e

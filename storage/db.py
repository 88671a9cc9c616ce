"""One connection interface over both engines, so the storage modules are written once.

The modules write SQL with SQLite's `?` and `?N` placeholders; `PostgresConnection` rewrites them
to `$N` (the same numbering rule as SQLite's: a bare `?` takes the highest number used so far,
plus one). Where the engines' SQL really differs, a module asks `conn.dialect`."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from typing import Any, Literal, Protocol

import aiosqlite
import asyncpg

Dialect = Literal["sqlite", "postgres"]
Row = Sequence[Any]  # Any: a database row holds mixed column types
Params = Sequence[object]

# Outside quoted text: a placeholder, or a quoted literal / identifier to step over.
_TOKEN = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|\?(\d*)")


class Connection(Protocol):
    """What the storage modules use of a connection, on either engine."""

    @property
    def dialect(self) -> Dialect:
        """Which engine answers ("sqlite" or "postgres")."""
        ...

    async def fetch(self, sql: str, params: Params = ()) -> list[Row]:
        """Every row of a query."""
        ...

    async def execute(self, sql: str, params: Params = ()) -> int:
        """Run one statement; returns how many rows it changed."""
        ...

    async def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        """Run one statement for each set of parameters."""
        ...

    async def lock_library(self) -> None:
        """Serialise this write transaction with every other library writer, in any process."""
        ...


class SqliteConnection:
    """`Connection` on one aiosqlite connection (BEGIN IMMEDIATE already serialises writers)."""

    dialect: Dialect = "sqlite"

    def __init__(self, raw: aiosqlite.Connection) -> None:
        self.raw = raw

    async def fetch(self, sql: str, params: Params = ()) -> list[Row]:
        """Every row, in one hop to aiosqlite's thread."""
        return list(await self.raw.execute_fetchall(sql, tuple(params)))

    async def execute(self, sql: str, params: Params = ()) -> int:
        """One statement; its row count."""
        cursor = await self.raw.execute(sql, tuple(params))
        count = cursor.rowcount
        await cursor.close()
        return int(count)

    async def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        """One statement per parameter set."""
        await self.raw.executemany(sql, [tuple(r) for r in rows])

    async def lock_library(self) -> None:
        """Nothing to do: the write transaction holds SQLite's only write lock."""


LIBRARY_LOCK = 0x6272_6965_6662_6F74  # "briefbot": pg_advisory_xact_lock key of library writes


class PostgresConnection:
    """`Connection` on one asyncpg connection taken from the pool."""

    dialect: Dialect = "postgres"

    def __init__(self, raw: asyncpg.Connection) -> None:
        self.raw = raw

    async def fetch(self, sql: str, params: Params = ()) -> list[Row]:
        """Every row (asyncpg Records index like tuples)."""
        return list(await self.raw.fetch(dollar(sql), *_values(params)))

    async def execute(self, sql: str, params: Params = ()) -> int:
        """One statement; its row count, read from the command tag ("UPDATE 3")."""
        status = await self.raw.execute(dollar(sql), *_values(params))
        tail = status.rsplit(" ", 1)[-1]
        return int(tail) if tail.isdigit() else 0

    async def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        """One statement per parameter set, pipelined by asyncpg."""
        batch = [_values(r) for r in rows]
        if batch:
            await self.raw.executemany(dollar(sql), batch)

    async def lock_library(self) -> None:
        """Take the library's transaction-scoped advisory lock (ingest reads, then writes)."""
        await self.raw.execute("SELECT pg_advisory_xact_lock($1)", LIBRARY_LOCK)


def _values(params: Params) -> list[object]:
    """Parameters as PostgreSQL takes them: text cannot hold NUL, so it becomes U+FFFD."""
    return [p.replace("\x00", "\ufffd") if isinstance(p, str) else p for p in params]


@functools.lru_cache(maxsize=2048)
def dollar(sql: str) -> str:
    """SQLite placeholders (`?`, `?N`) as PostgreSQL's (`$N`); quoted text is left alone."""
    highest = 0

    def number(match: re.Match[str]) -> str:
        nonlocal highest
        if not match.group(0).startswith("?"):
            return match.group(0)
        n = int(match.group(1)) if match.group(1) else highest + 1
        highest = max(highest, n)
        return f"${n}"

    return _TOKEN.sub(number, sql)

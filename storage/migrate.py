"""Versioned schema migrations: `storage/migrations/NNNN_description.sql`, applied in order.

One numbered list serves both engines: `migrations/NNNN_name.sql` is SQLite's and
`migrations/postgres/NNNN_name.sql` PostgreSQL's, under the same number and name (checked here
and by tests/storage/test_migrate.py). A new table is one file in each folder. This module
applies SQLite's; storage/pg_migrate.py applies PostgreSQL's."""

from __future__ import annotations

import logging
import re
import sqlite3
from dataclasses import dataclass
from importlib import resources

import aiosqlite

from briefs.errors import SchemaTooNew, StorageError
from storage.db import Dialect

log = logging.getLogger(__name__)

_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


@dataclass(frozen=True, slots=True)
class Migration:
    """One numbered SQL file."""

    version: int
    name: str
    sql: str


def available(dialect: Dialect = "sqlite") -> list[Migration]:
    """Every migration shipped for an engine, in version order (checked: 1, 2, 3, … no gaps)."""
    folder = resources.files("storage").joinpath("migrations")
    if dialect == "postgres":
        folder = folder.joinpath("postgres")
    found = []
    for entry in folder.iterdir():
        match = _NAME.match(entry.name)
        if match:
            found.append(Migration(int(match.group(1)), entry.name, entry.read_text("utf-8")))
    found.sort(key=lambda m: m.version)
    versions = [m.version for m in found]
    if versions != list(range(1, len(found) + 1)):
        raise StorageError(f"migrations must be numbered 0001, 0002, … without gaps: {versions}")
    return found


def statements(sql: str) -> list[str]:
    """Split a script into complete statements (triggers with inner `;` stay whole)."""
    result: list[str] = []
    pending = ""
    for piece in sql.split(";"):
        pending += piece + ";"
        if sqlite3.complete_statement(pending):
            code = [ln for ln in pending.splitlines() if not ln.strip().startswith("--")]
            if "\n".join(code).strip("; \n\t"):
                result.append(pending.strip())
            pending = ""
    leftover = [ln for ln in pending.splitlines() if not ln.strip().startswith("--")]
    if "\n".join(leftover).strip("; \n\t"):
        raise StorageError("a migration ends with an incomplete statement")
    return result


async def schema_version(conn: aiosqlite.Connection) -> int:
    """The database's `PRAGMA user_version`."""
    async with conn.execute("PRAGMA user_version") as cursor:
        row = await cursor.fetchone()
    return int(row[0]) if row else 0


async def migrate(conn: aiosqlite.Connection, *, target: int | None = None) -> int:
    """Bring the schema up to `target` (default: the newest); returns the version reached.

    Each migration runs in one transaction ending with `PRAGMA user_version = N`; a failure
    rolls it back and raises StorageError. A database newer than the code raises SchemaTooNew."""
    migrations = available()
    known = len(migrations)
    target = known if target is None else target
    try:
        current = await schema_version(conn)
        if current > known:
            raise SchemaTooNew(current, known)
        for migration in migrations[current:target]:
            await apply(conn, migration)
        return max(current, target)
    except sqlite3.Error as e:
        raise StorageError(f"could not read or migrate the database: {e}") from e


async def apply(conn: aiosqlite.Connection, migration: Migration) -> None:
    """Run one migration in its own write transaction, unless another process just did."""
    await conn.execute("BEGIN IMMEDIATE")
    try:
        if await schema_version(conn) >= migration.version:
            await conn.execute("ROLLBACK")
            return
        for statement in statements(migration.sql):
            await conn.execute(statement)
        await conn.execute(f"PRAGMA user_version = {migration.version:d}")
        await conn.execute("COMMIT")
    except sqlite3.Error as e:
        await conn.execute("ROLLBACK")
        raise StorageError(f"migration {migration.name} failed, nothing applied: {e}") from e
    log.info("applied migration %s", migration.name)

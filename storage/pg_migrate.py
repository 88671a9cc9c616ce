"""PostgreSQL's schema migrations: `storage/migrations/postgres/NNNN_name.sql`, in order.

The version lives in `schema_version` (one row). Each migration runs in its own transaction
holding an advisory lock, so processes starting together apply each migration once."""

from __future__ import annotations

import logging

import asyncpg

from briefs.errors import SchemaTooNew, StorageError
from storage.migrate import Migration, available

log = logging.getLogger(__name__)

MIGRATE_LOCK = 0x6272_6965_666D_6967  # pg_advisory_xact_lock key: one migrator at a time


async def schema_version(conn: asyncpg.Connection) -> int:
    """The database's schema version (0 when never migrated)."""
    exists = await conn.fetchval("SELECT to_regclass('schema_version') IS NOT NULL")
    if not exists:
        return 0
    version = await conn.fetchval("SELECT max(version) FROM schema_version")
    return int(version or 0)


async def migrate(conn: asyncpg.Connection, *, target: int | None = None) -> int:
    """Bring the schema up to `target` (default: the newest); returns the version reached.

    A failed migration is rolled back whole and raises StorageError; a database newer than the
    code raises SchemaTooNew."""
    migrations = available("postgres")
    known = len(migrations)
    target = known if target is None else target
    try:
        current = await schema_version(conn)
        if current > known:
            raise SchemaTooNew(current, known)
        for migration in migrations[current:target]:
            await apply(conn, migration)
        return max(await schema_version(conn), min(current, target))
    except (asyncpg.PostgresError, asyncpg.InterfaceError) as e:
        raise StorageError(f"could not read or migrate the database: {e}") from e


async def apply(conn: asyncpg.Connection, migration: Migration) -> None:
    """Run one migration in its own transaction, unless another process just did."""
    try:
        async with conn.transaction():
            await conn.execute("SELECT pg_advisory_xact_lock($1)", MIGRATE_LOCK)
            await conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)"
            )
            if await schema_version(conn) >= migration.version:
                return
            await conn.execute(migration.sql)
            await conn.execute(
                "INSERT INTO schema_version (version) VALUES ($1)", migration.version
            )
    except asyncpg.PostgresError as e:
        raise StorageError(f"migration {migration.name} failed, nothing applied: {e}") from e
    log.info("applied migration %s", migration.name)

"""The storage engines tests run on: an SQLite file, and a PostgreSQL database per session.

The server comes from BRIEFBOT_TEST_POSTGRES_URL (default: postgres on 127.0.0.1:5432). Each test
session creates its own database there, migrates it once, empties it before each test, and
drops it at the end. Without a reachable server, the PostgreSQL half is skipped with one reason."""

from __future__ import annotations

import asyncio
import os
import secrets
from collections.abc import Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import pytest

from storage.pg_migrate import migrate
from storage.postgres import redact

SERVER_URL = os.environ.get(
    "BRIEFBOT_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
ENGINES = ("sqlite", "postgres")
T = TypeVar("T")


def run_apart(coroutine: Coroutine[Any, Any, T]) -> T:  # Any: any coroutine
    """Run a coroutine on its own loop in a thread (the fixture may be asked for inside a loop)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def database_url(server_url: str, name: str) -> str:
    """The server URL naming another database."""
    return urlunsplit(urlsplit(server_url)._replace(path=f"/{name}"))


async def create_database(name: str) -> str:
    """Create and migrate database `name` on the test server; its URL."""
    admin = await asyncpg.connect(SERVER_URL, timeout=5)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    url = database_url(SERVER_URL, name)
    conn = await asyncpg.connect(url)
    try:
        await migrate(conn)
    finally:
        await conn.close()
    return url


async def drop_database(name: str) -> None:
    """Drop database `name` (connections to it are ended)."""
    admin = await asyncpg.connect(SERVER_URL, timeout=5)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """The URL of a fresh, migrated database for this test session (dropped afterwards)."""
    name = f"briefbot_test_{os.getpid()}_{secrets.token_hex(3)}"
    try:
        url = run_apart(create_database(name))
    except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError, TimeoutError) as e:
        pytest.skip(f"PostgreSQL half skipped: no server at {redact(SERVER_URL)} ({e})")
    try:
        yield url
    finally:
        run_apart(drop_database(name))


async def empty_database(url: str) -> None:
    """Remove every row and restart every id, so a test starts from an empty library.

    DELETE with foreign-key triggers off, not TRUNCATE: on a few small tables it takes
    milliseconds where TRUNCATE's new files take a second or more."""
    conn = await asyncpg.connect(url)
    try:
        tables = await conn.fetch(
            "SELECT quote_ident(t.tablename), pg_get_serial_sequence(quote_ident(t.tablename), c.name) "
            "FROM pg_tables t LEFT JOIN (SELECT table_name, column_name::text AS name "
            "FROM information_schema.columns WHERE is_identity = 'YES') c "
            "ON c.table_name = t.tablename "
            "WHERE t.schemaname = 'public' AND t.tablename <> 'schema_version'"
        )
        async with conn.transaction():
            await conn.execute("SET LOCAL session_replication_role = replica")
            for table, sequence in tables:
                await conn.execute(f"DELETE FROM {table}")
                if sequence is not None:
                    await conn.execute("SELECT setval($1, 1, false)", sequence)
    finally:
        await conn.close()

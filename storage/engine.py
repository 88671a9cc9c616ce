"""Opening the library on the engine its location names: a file path, or a PostgreSQL URL."""

from __future__ import annotations

from pathlib import Path

from briefs.ports import Clock
from storage.postgres import POOL_SIZE, PostgresBriefStore, is_postgres_url
from storage.sqlite import SqliteBriefStore
from storage.store import LibraryStore


async def open_library(
    location: str | Path, *, clock: Clock | None = None, pool_size: int = POOL_SIZE
) -> LibraryStore:
    """The library at `location`: a `postgresql://` URL, else an SQLite file."""
    if is_postgres_url(location):
        return await PostgresBriefStore.open(str(location), clock=clock, pool_size=pool_size)
    return await SqliteBriefStore.open(location, clock=clock)

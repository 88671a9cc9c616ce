"""Opening the library: the one place, with the bot's composition root, that names storage/."""

from __future__ import annotations

import functools

from bot.config import Settings
from bot.runtime.build_pool import BuildPool
from briefs.extract import build_brief
from briefs.ports import Clock
from briefs.service import BriefBuilder, BriefService, in_thread
from storage.copy import copy_library
from storage.engine import open_library as open_store
from storage.postgres import PostgresBriefStore, redact
from storage.sqlite import SqliteBriefStore, path_problem
from storage.store import LibraryStore


def library_problem(settings: Settings) -> str | None:
    """Why the configured SQLite library cannot be opened (say, its folder is missing), or None.
    Checked before any work starts: the bot would otherwise log in first and fail later."""
    return None if settings.storage.url else path_problem(settings.db_path)


async def open_library(
    settings: Settings, *, clock: Clock | None = None, build: BriefBuilder | None = None
) -> tuple[LibraryStore, BriefService]:
    """Open (creating if needed) the library and the brief service on it.

    Briefs are built by `build` (the bot and `ingest` pass a BuildPool's), else in a thread."""
    store = await open_store(
        settings.library_location, clock=clock, pool_size=settings.storage.pool_size
    )
    max_bytes = settings.limits.max_article_bytes
    if build is None:
        build = in_thread(functools.partial(build_brief, max_bytes=max_bytes))
    return store, BriefService(store, build, max_bytes=max_bytes)


def build_pool(settings: Settings) -> BuildPool:
    """The worker processes that build briefs, with the configured limits (started lazily)."""
    limits = settings.limits
    return BuildPool(
        workers=limits.build_workers,
        time_limit=limits.build_seconds,
        memory_mb=limits.build_memory_mb,
        max_bytes=limits.max_article_bytes,
    )


async def migrate_library(settings: Settings) -> str:
    """Open the library (which migrates it to the newest schema), close it; where it is."""
    store = await open_store(settings.library_location)
    await store.close()
    return redact(settings.library_location)


async def copy_sqlite_to_postgres(source: str, target: str) -> dict[str, int]:
    """Copy an SQLite library into an empty PostgreSQL library; rows per table."""
    old = await SqliteBriefStore.open(source)
    try:
        new = await PostgresBriefStore.open(target)
        try:
            return (await copy_library(old, new)).rows
        finally:
            await new.close()
    finally:
        await old.close()

"""Opening the library: the one place, with the bot's composition root, that names storage/."""

from __future__ import annotations

import functools

from bot.config import Settings
from briefs.extract import build_brief
from briefs.ports import Clock
from briefs.service import BriefService
from storage.engine import open_library as open_store
from storage.store import LibraryStore


async def open_library(
    settings: Settings, *, clock: Clock | None = None
) -> tuple[LibraryStore, BriefService]:
    """Open (creating if needed) the library and the brief service on it."""
    store = await open_store(
        settings.library_location, clock=clock, pool_size=settings.storage.pool_size
    )
    max_bytes = settings.limits.max_article_bytes
    build = functools.partial(build_brief, max_bytes=max_bytes)
    return store, BriefService(store, build, max_bytes=max_bytes)

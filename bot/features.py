"""Digests, feeds and follows, wired into the bot by the composition root."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot.fetch import SafeFetcher
from bot.scheduler import install_digests
from bot.sources_runtime import SourcesRuntime
from bot.sources_runtime import install as install_sources
from briefs.extract import build_brief
from briefs.model import IngestResult
from briefs.sources_service import SourcesService
from storage.schedules import ScheduleStore
from storage.sources import SourcesStore

if TYPE_CHECKING:
    from bot.app import BriefBot
    from bot.config import Settings
    from briefs.ports import Clock
    from briefs.service import BriefService
    from storage.store import LibraryStore

Closer = Callable[[], Awaitable[None]]
UrlAdder = Callable[[str, int], Awaitable[IngestResult]]


@dataclass
class Features:
    """What the features give back to the bot: how to stop them, and /briefs add url."""

    closers: list[Closer] = field(default_factory=list)
    add_url: UrlAdder | None = None
    sources: SourcesRuntime | None = None


async def install(
    bot: BriefBot,
    store: LibraryStore,
    service: BriefService,
    settings: Settings,
    *,
    clock: Clock | None = None,
) -> Features:
    """Add the feature cogs and start their background work."""
    limits = settings.limits
    lease = dt.timedelta(seconds=settings.digests.lease_seconds)
    schedules = ScheduleStore(store, max_per_guild=limits.max_schedules_per_guild, lease=lease)
    stop_digests = await install_digests(bot, schedules, store, settings, clock=clock)
    fetch = settings.fetch
    fetcher = SafeFetcher(
        allowed_hosts=fetch.allowed_hosts,
        timeout=fetch.timeout,
        max_bytes=fetch.max_bytes,
        user_agent=fetch.user_agent,
    )

    sources = SourcesService(
        fetcher=fetcher,
        repository=SourcesStore(
            store, max_feeds=limits.max_feeds_per_guild, max_follows=limits.max_follows_per_guild
        ),
        briefs=service,
        build=functools.partial(build_brief, max_bytes=limits.max_article_bytes),
        max_alerts_per_hour=settings.follows.max_alerts_per_hour,
    )
    runtime, closers = await install_sources(
        bot, sources, fetcher, operator_feeds=[(f.url, f.interval) for f in settings.feeds]
    )
    service.on_new_brief(runtime.queue)  # briefs added by moderators raise follow alerts too
    return Features([stop_digests, *closers], sources.add_url, runtime)

"""Digests, feeds and follows, wired into the bot by the composition root."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot.runtime.digests import install_digests
from bot.runtime.fetch import SafeFetcher
from bot.runtime.sources import SourcesRuntime
from bot.runtime.sources import install as install_sources
from briefs.model import IngestResult
from briefs.sources.service import SourcesService
from storage.schedules import ScheduleStore
from storage.sources import SourcesStore

if TYPE_CHECKING:
    from bot.app import BriefBot
    from bot.config import Settings
    from briefs.ports import Clock
    from briefs.service import BriefService
    from storage.sqlite import SqliteBriefStore

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
    store: SqliteBriefStore,
    service: BriefService,
    settings: Settings,
    *,
    clock: Clock | None = None,
) -> Features:
    """Add the feature cogs and start their background work."""
    limits = settings.limits
    schedules = ScheduleStore(store, max_per_guild=limits.max_schedules_per_guild)
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
        build=service.build,  # the bot's build pool: time and memory limits
        max_alerts_per_hour=settings.follows.max_alerts_per_hour,
    )
    runtime, closers = await install_sources(
        bot, sources, fetcher, operator_feeds=[(f.url, f.interval) for f in settings.feeds]
    )
    service.on_new_brief(runtime.queue)  # briefs added by moderators raise follow alerts too
    return Features([stop_digests, *closers], sources.add_url, runtime)

"""What the composition root builds once and every cog's `setup()` takes its part of."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from discord.ext import commands

from bot.config import Settings
from bot.runtime.digests import DigestScheduler
from bot.runtime.sources import SourcesRuntime
from briefs.digests.ports import ScheduleRepository
from briefs.digests.service import DigestService
from briefs.model import IngestResult
from briefs.ports import Clock
from briefs.service import BriefService
from briefs.sources.channels import ChannelService
from briefs.sources.service import SourcesService

UrlAdder = Callable[[str, int], Awaitable[IngestResult]]


@dataclass(frozen=True, slots=True)
class Services:
    """The services and background runtimes of one running bot (one scheduler, one clock)."""

    settings: Settings
    clock: Clock
    scheduler: AsyncIOScheduler
    briefs: BriefService
    schedules: ScheduleRepository
    digests: DigestService
    digest_scheduler: DigestScheduler
    sources: SourcesService
    sources_runtime: SourcesRuntime
    channels: ChannelService

    @property
    def add_url(self) -> UrlAdder:
        """/briefs add url: fetch one page through the guarded fetcher and ingest it."""
        return self.sources.add_url


def services_of(bot: commands.Bot) -> Services:
    """The services a cog's `setup()` is given by the bot that loads it."""
    services = getattr(bot, "services", None)
    if not isinstance(services, Services):
        raise RuntimeError("cogs are loaded by the composition root after it built the services")
    return services

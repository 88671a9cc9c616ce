"""The composition root: builds the library, the services and the bot; runs it until stopped."""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import json
import logging
import signal
import sys
from dataclasses import dataclass
from typing import Any

import discord
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from discord.ext import commands

from bot.config import ConfigError, Settings, read_token
from bot.library import build_pool, open_library
from bot.runtime.api_base import ApiBaseClient, configure_api_base
from bot.runtime.build_pool import BuildPool
from bot.runtime.digests import DigestScheduler, DiscordDigestPoster
from bot.runtime.fetch import SafeFetcher
from bot.runtime.items import DiscordItemPoster
from bot.runtime.redact import redact_logs
from bot.runtime.sources import SourcesRuntime
from bot.services import Services
from bot.ui.errors import BriefTree
from briefs.digests.policy import DeliveryPolicy
from briefs.digests.service import DigestService
from briefs.errors import BriefingError
from briefs.ports import Clock, SystemClock
from briefs.service import BriefService
from briefs.sources.channels import ChannelService
from briefs.sources.service import SourcesService
from storage.deliveries import DeliveryStore
from storage.meta import MetaStore
from storage.schedules import ScheduleStore
from storage.sources import SourcesStore
from storage.store import LibraryStore

log = logging.getLogger(__name__)

EXTENSIONS = (
    "bot.cogs.members",
    "bot.cogs.briefs_admin",
    "bot.cogs.digest",
    "bot.cogs.settings",
    "bot.cogs.feed",
    "bot.cogs.follow",
)

TOKEN_REFUSED = "briefbot: Discord refused the token (check DISCORD_TOKEN)"  # noqa: S105  # a message
HOW_TO_GET_STARTED = (
    "briefbot: no bot token. Create a bot at https://discord.com/developers/applications, "
    "then set DISCORD_TOKEN (or [discord] token_file); "
    "to try briefbot without one: briefbot console"
)


class BriefBot(ApiBaseClient, commands.Bot):
    """The Discord bot: slash commands only, no privileged intents, nothing that can ping."""

    def __init__(
        self,
        settings: Settings,
        *,
        sync_only: bool = False,
        sync_guild: int | None = None,
        clock: Clock | None = None,
        **sharding: Any,  # Any: shard_ids and shard_count, for ShardedBriefBot only
    ):
        intents = discord.Intents.none()
        intents.guilds = True  # channels and guilds for digests and permission checks
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents,
            tree_cls=BriefTree,
            allowed_mentions=discord.AllowedMentions.none(),
            help_command=None,
            guild_ready_timeout=settings.discord.guild_ready_timeout,
            # A long 429 (crossposts: ~10 per channel per hour) raises RateLimited instead of
            # stalling the bot; the publish queue retries it later.
            max_ratelimit_timeout=30.0,
            **sharding,
        )
        self.settings = settings
        # With several processes, the one running shard 0 syncs the commands (or `briefbot sync`).
        self.syncs_commands = 0 in sharding.get("shard_ids", [0])
        self.sync_only = sync_only
        self.sync_guild = sync_guild
        self.clock: Clock = clock or SystemClock()
        self.store: LibraryStore | None = None
        self.services: Services | None = None
        self.pool: BuildPool | None = None
        self._closers: list[Any] = []  # Any: async callables run on close

    @property
    def service(self) -> BriefService | None:
        """The brief service, once the library is open."""
        return self.services.briefs if self.services else None

    @property
    def sources_runtime(self) -> SourcesRuntime | None:
        """Feed polling and follow alerts, once started."""
        return self.services.sources_runtime if self.services else None

    async def setup_hook(self) -> None:
        """Open the library, build the services, load every cog, sync commands when changed."""
        self.pool = build_pool(self.settings)
        self.store, briefs = await open_library(
            self.settings, clock=self.clock, build=self.pool.build
        )
        self.services = self._build(self.store, briefs)
        for extension in EXTENSIONS:
            await self.load_extension(extension)
        scheduler = self.services.scheduler
        await self.services.digest_scheduler.start()
        operator_feeds = [(f.url, f.interval) for f in self.settings.feeds]
        await self.services.sources_runtime.start(operator_feeds=operator_feeds)
        scheduler.start()
        self._closers.append(self._stop_background)
        guild = self.sync_guild or self.settings.discord.dev_guild or None
        if self.syncs_commands or self.sync_only:
            await self.sync_commands(guild=guild, force=self.sync_only)

    def _build(self, store: LibraryStore, briefs: BriefService) -> Services:
        settings, limits = self.settings, self.settings.limits
        scheduler = AsyncIOScheduler(timezone=dt.UTC)
        lease = dt.timedelta(seconds=settings.digests.lease_seconds)
        schedules = ScheduleStore(store, max_per_guild=limits.max_schedules_per_guild, lease=lease)
        grace = dt.timedelta(minutes=settings.digests.grace_minutes)
        digests = DigestService(
            schedules,
            store,
            DiscordDigestPoster(self),
            policy=DeliveryPolicy(grace=grace, clock=self.clock.now),
        )
        fetch = settings.fetch
        self._fetcher = SafeFetcher(
            allowed_hosts=fetch.allowed_hosts,
            timeout=fetch.timeout,
            max_bytes=fetch.max_bytes,
            user_agent=fetch.user_agent,
        )
        sources = SourcesService(
            fetcher=self._fetcher,
            repository=SourcesStore(
                store,
                max_feeds=limits.max_feeds_per_guild,
                max_follows=limits.max_follows_per_guild,
            ),
            briefs=briefs,
            build=briefs.build,  # the build pool, with its time and memory limits
            max_alerts_per_hour=settings.follows.max_alerts_per_hour,
        )
        channels = ChannelService(
            DeliveryStore(store),
            DiscordItemPoster(self),
            store,
            sources,
            log_channels=schedules,
            publish=digests.publish_due,
            clock=self.clock,
        )
        runtime = SourcesRuntime(
            self, sources, scheduler=scheduler, clock=self.clock, channels=channels
        )
        sources.on_new_brief(runtime.queue)
        briefs.on_new_brief(runtime.queue)  # briefs added by moderators raise follow alerts too
        return Services(
            settings=settings,
            clock=self.clock,
            scheduler=scheduler,
            briefs=briefs,
            schedules=schedules,
            digests=digests,
            digest_scheduler=DigestScheduler(
                self, digests, scheduler, clock=self.clock, grace=grace, lease=lease
            ),
            sources=sources,
            sources_runtime=runtime,
            channels=channels,
        )

    async def _stop_background(self) -> None:
        if self.services is None:
            return
        await self.services.digest_scheduler.stop()
        await self.services.sources_runtime.stop()
        if self.services.scheduler.running:
            self.services.scheduler.shutdown(wait=False)
        await self._fetcher.close()

    async def sync_commands(self, *, guild: int | None, force: bool) -> bool:
        """Sync the command tree if its definition changed since the last sync, or when forced."""
        if self.store is None:
            raise RuntimeError("the library must be open before syncing")
        target = discord.Object(id=guild) if guild else None
        if target is not None:
            self.tree.copy_global_to(guild=target)
        payload = [c.to_dict(self.tree) for c in self.tree.get_commands(guild=target)]
        digest = hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()
        meta = MetaStore(self.store)
        key = f"command-sync:{self.application_id}:{guild or 'global'}"
        if not force and await meta.get(key) == digest:
            log.info("Slash commands unchanged since the last sync; not syncing")
            return False
        synced = await self.tree.sync(guild=target)
        await meta.set(key, digest)
        log.info(
            "Synced %d slash commands (%s)", len(synced), f"guild {guild}" if guild else "global"
        )
        return True

    async def on_ready(self) -> None:
        """Log who we are once connected."""
        log.info(
            "Connected as %s (%s) in %d guild(s)", self.user, self.application_id, len(self.guilds)
        )

    async def close(self) -> None:
        """Stop background work, close the library, then disconnect."""
        for closer in reversed(self._closers):
            try:
                await closer()
            except (BriefingError, OSError, RuntimeError):
                log.exception("Error while stopping a background task")
        self._closers.clear()
        if self.pool is not None:  # builds in progress are refused, their workers killed
            await self.pool.close()
        if self.store is not None:
            await self.store.close()
            self.store = None
        await super().close()


class ShardedBriefBot(BriefBot, commands.AutoShardedBot):
    """The bot running some of the shards (`briefbot run --shards 0-3 --shard-count 8`)."""


@dataclass(frozen=True, slots=True)
class Shards:
    """Which of how many gateway shards this process runs."""

    ids: tuple[int, ...]
    count: int


def run_bot(
    settings: Settings,
    *,
    sync_only: bool = False,
    sync_guild: int | None = None,
    shards: Shards | None = None,
) -> int:
    """`briefbot run` / `briefbot sync`: exit 0 on SIGTERM or Ctrl-C, 2 without a token."""
    try:
        token = read_token(settings)
    except ConfigError as e:
        print(f"briefbot: {e}", file=sys.stderr)
        return 2
    if not token:
        print(HOW_TO_GET_STARTED, file=sys.stderr)
        return 2
    redact_logs(token)
    configure_api_base(settings.discord.api_base or None)
    return asyncio.run(
        _run(settings, token, sync_only=sync_only, sync_guild=sync_guild, shards=shards)
    )


async def _run(
    settings: Settings,
    token: str,
    *,
    sync_only: bool,
    sync_guild: int | None,
    shards: Shards | None = None,
) -> int:
    if shards is not None and not sync_only:
        bot: BriefBot = ShardedBriefBot(
            settings, sync_guild=sync_guild, shard_ids=list(shards.ids), shard_count=shards.count
        )
    else:
        bot = BriefBot(settings, sync_only=sync_only, sync_guild=sync_guild)
    if sync_only:
        return await _sync_once(bot, token)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    runner = asyncio.create_task(bot.start(token))
    waiter = asyncio.create_task(stop.wait())
    done, _ = await asyncio.wait({runner, waiter}, return_when=asyncio.FIRST_COMPLETED)
    if waiter in done:
        log.info("Stopping")
    else:
        waiter.cancel()
    await bot.close()
    if runner in done and runner.exception() is not None:
        error = runner.exception()
        if isinstance(error, discord.LoginFailure):
            print(TOKEN_REFUSED, file=sys.stderr)
            return 2
        log.error("The bot stopped: %s", error)
        return 1
    runner.cancel()
    return 0


async def _sync_once(bot: BriefBot, token: str) -> int:
    """`briefbot sync`: log in over HTTP (setup_hook syncs), never open the gateway."""
    try:
        await bot.login(token)
    except discord.LoginFailure:
        print(TOKEN_REFUSED, file=sys.stderr)
        return 2
    finally:
        await bot.close()
    return 0

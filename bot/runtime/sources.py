"""Background work for sources: poll due feeds on a schedule and post follow alerts."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Awaitable, Callable, Sequence

import discord
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.runtime.redact import api_error
from bot.ui.embeds import NO_MENTIONS, content_text
from briefs.errors import BriefingError
from briefs.model import StoredBrief
from briefs.ports import Clock
from briefs.sources.channels import ChannelService
from briefs.sources.follows import AlertBatch, render_batch
from briefs.sources.service import SourcesService

log = logging.getLogger(__name__)

Closer = Callable[[], Awaitable[None]]
POLL_EVERY = 60.0  # seconds between looks for due feeds; each feed keeps its own interval
BATCH_DELAY = 2.0  # seconds to gather briefs that arrive together outside a poll
DELIVER_EVERY = 5.0  # seconds between looks for feed items to post (each channel drains alone)


class SourcesRuntime:
    """Polls feeds with an apscheduler job and delivers batched follow alerts to channels."""

    def __init__(
        self,
        client: discord.Client,
        sources: SourcesService,
        *,
        poll_every: float = POLL_EVERY,
        batch_delay: float = BATCH_DELAY,
        scheduler: AsyncIOScheduler,
        clock: Clock,
        channels: ChannelService | None = None,
        deliver_every: float = DELIVER_EVERY,
    ) -> None:
        self._client = client
        self._sources = sources
        self._channels = channels
        self._deliver_every = deliver_every
        self._settle_task: asyncio.Task[None] | None = None
        self._poll_every = poll_every
        self._batch_delay = batch_delay
        self._clock = clock
        self._pending: list[StoredBrief] = []
        self._flush_task: asyncio.Task[None] | None = None
        self._polling = False
        self._scheduler = scheduler

    def queue(self, stored: StoredBrief) -> None:
        """A new brief (from a feed or a moderator): check it against follows soon."""
        self._pending.append(stored)
        if not self._polling and (self._flush_task is None or self._flush_task.done()):
            self._flush_task = asyncio.get_running_loop().create_task(self._flush_later())

    async def _flush_later(self) -> None:
        await asyncio.sleep(self._batch_delay)  # briefs arriving together make one message
        await self._guarded(self.flush)

    async def tick(self, *, now: dt.datetime) -> None:
        """Poll every due feed, then deliver the alerts its new briefs raise."""
        self._polling = True
        try:
            results = await self._sources.poll_due(now=now)
        finally:
            self._polling = False
        if results:
            log.info("Polled %d feed(s): %s", len(results), "; ".join(r.outcome for r in results))
        await self.deliver(now=now)
        await self.flush(now=now)

    async def deliver(self, *, now: dt.datetime | None = None) -> None:
        """Start posting the feed items that are due (each channel in its own task)."""
        if self._channels is not None:
            await self._channels.deliver_due(now=now or self._clock.now())

    async def delivered(self) -> None:
        """Wait until the items being posted are posted (tests, shutdown)."""
        if self._channels is not None:
            await self._channels.idle()

    async def _deliver_job(self) -> None:
        await self._guarded(self.deliver)

    async def _settle(self) -> None:
        await self._client.wait_until_ready()
        if self._channels is not None:
            await self._guarded(self._channels.settle)
            await self._guarded(self.deliver)

    async def flush(self, *, now: dt.datetime | None = None) -> int:
        """Deliver alerts for the briefs queued so far; returns how many messages were posted."""
        pending, self._pending = self._pending, []
        if not pending:
            return 0
        batches = await self._sources.alerts_for(pending, now=now or self._clock.now())
        posted = 0
        for batch in batches:
            posted += await self._deliver(batch)
        return posted

    async def _deliver(self, batch: AlertBatch) -> int:
        """Post one batch in its channel (published in announcement channels)."""
        channel = self._client.get_channel(batch.channel_id)
        if not isinstance(channel, discord.TextChannel):
            log.warning("Alert channel %s is gone or not a text channel", batch.channel_id)
            return 0
        try:
            message = await channel.send(
                content_text(render_batch(batch)), allowed_mentions=NO_MENTIONS
            )
            if channel.is_news():
                await message.publish()
        except discord.HTTPException as e:
            log.warning("Could not post alerts in channel %s: %s", batch.channel_id, api_error(e))
            return 0
        log.info("Posted %d alert(s) in channel %s", len(batch.alerts), batch.channel_id)
        return 1

    async def _guarded(self, job: Callable[..., Awaitable[object]], **kwargs: object) -> None:
        """Run one background job; its errors are logged here and never stop the next run."""
        try:
            await job(**kwargs)
        except (BriefingError, discord.DiscordException, OSError):
            log.exception("Sources job %s failed", getattr(job, "__name__", job))

    async def _job(self) -> None:
        await self._guarded(self.tick, now=self._clock.now())

    async def start(self, *, operator_feeds: Sequence[tuple[str, int]] = ()) -> None:
        """Sync the config's feeds, then poll every `poll_every` seconds (first poll at once)."""
        await self._sources.sync_operator_feeds(operator_feeds, now=self._clock.now())
        self._scheduler.add_job(
            self._job,
            "interval",
            seconds=self._poll_every,
            id="sources-poll",
            next_run_time=self._clock.now(),
            coalesce=True,
            max_instances=1,
            misfire_grace_time=max(1, int(self._poll_every)),
            replace_existing=True,
        )
        self._scheduler.add_job(
            self._deliver_job,
            "interval",
            seconds=self._deliver_every,
            id="sources-deliver",
            coalesce=True,
            max_instances=1,
            misfire_grace_time=max(1, int(self._deliver_every)),
            replace_existing=True,
        )
        self._settle_task = asyncio.get_running_loop().create_task(self._settle())

    async def stop(self) -> None:
        """Stop polling and cancel a pending delivery."""
        for job in ("sources-poll", "sources-deliver"):
            if self._scheduler.get_job(job) is not None:
                self._scheduler.remove_job(job)
        if self._flush_task is not None and not self._flush_task.done():
            self._flush_task.cancel()
        if self._settle_task is not None and not self._settle_task.done():
            self._settle_task.cancel()
        if self._channels is not None:
            await self._channels.stop()

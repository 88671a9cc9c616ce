"""Digest jobs on APScheduler 3.x, and the discord.py side of delivery (posting, publishing).

The database is the truth: at start-up every schedule gets one job, rebuilt from its row, and a
catch-up pass posts (or skips) what was missed while the bot was down. A job only wakes the
service up; what is due, and whether it was already delivered, is decided from the database."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import secrets
from collections.abc import Awaitable, Callable

import aiohttp
import discord
from apscheduler.job import Job
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.runtime.channels import POST_PERMISSIONS, postable_channel
from bot.runtime.redact import api_error, scrub
from bot.ui.embeds import NO_MENTIONS, content_text, digest_parts
from briefs.digests.compose import DigestMessage, Posted
from briefs.digests.ports import (
    DeliveryFailed,
    PublishRateLimited,
    TransientDeliveryError,
)
from briefs.digests.schedule import ScheduleSpec, next_runs
from briefs.digests.service import DigestService
from briefs.ports import Clock

log = logging.getLogger(__name__)

PUBLISH_EVERY = 60.0  # seconds between passes over the publish queue
# Seconds between passes that bring the jobs in line with the schedules' rows, so a schedule
# made, edited, paused or removed by another process has its timer here within this time.
RECONCILE_EVERY = 15.0
PUBLISH_TIMEOUT = 20.0  # discord.py waits out 429s itself; past this, queue the publish for later
PUBLISH_RETRY_AFTER = 300.0
FORUM_POSTS_LOOKED_AT = 10  # a restart looks for an interrupted run in the newest forum posts
# A job fires when the real clock reaches the run; the clocks are read microseconds apart, so
# the run is looked up a second ahead to be sure the run being fired counts as due.
EARLY_FIRE_TOLERANCE = dt.timedelta(seconds=1)
Closer = Callable[[], Awaitable[None]]


class SpecTrigger(BaseTrigger):  # type: ignore[misc]  # apscheduler ships no type hints
    """Fires at a schedule's run times, as told by `clock` (tests run it ahead of real time)."""

    def __init__(self, spec: ScheduleSpec, tz: str, clock: Clock) -> None:
        self._spec, self._tz, self._clock = spec, tz, clock

    def get_next_fire_time(
        self, previous_fire_time: dt.datetime | None, now: dt.datetime
    ) -> dt.datetime | None:
        """The next run after the previous one (or now), in real time."""
        offset = self._clock.now() - dt.datetime.now(dt.UTC)  # clock time minus real time
        start = previous_fire_time if previous_fire_time is not None else now
        runs = next_runs(self._spec, self._tz, after=start + offset, n=1)
        return runs[0] - offset if runs else None

    def __str__(self) -> str:
        return _trigger_name(self._spec, self._tz)


def _trigger_name(spec: ScheduleSpec, tz: str) -> str:
    return f"digest[{spec.text} {tz}]"


class DiscordDigestPoster:
    """DigestPoster on discord.py: no mentions, Discord's errors turned into delivery errors."""

    def __init__(self, bot: discord.Client) -> None:
        self._bot = bot

    async def _channel(self, channel_id: int) -> discord.abc.Messageable | discord.ForumChannel:
        channel = self._bot.get_channel(channel_id)
        if channel is None:
            try:
                channel = await self._bot.fetch_channel(channel_id)
            except discord.HTTPException as e:
                raise _delivery_error(channel_id, e, "see the channel") from e
        if not isinstance(channel, discord.abc.Messageable | discord.ForumChannel):
            raise DeliveryFailed(channel_id, "the channel cannot hold messages")
        return channel

    async def check(self, channel_id: int, *, thread: bool) -> None:
        """Refuse a channel the bot cannot post digests in: the one channel check, with the
        digest's thread, and its later messages inside a forum post."""
        postable_channel(self._bot, channel_id, thread=thread, posts_in_post=True)

    async def post(self, channel_id: int, message: DigestMessage, *, title: str) -> Posted:
        """Post one digest message; True `announcement` when it should be published. In a
        forum the message opens a forum post named `title`."""
        channel = await self._channel(channel_id)
        content, embeds = digest_parts(message)  # what /digest preview shows, too
        try:
            if isinstance(channel, discord.ForumChannel):
                created = await channel.create_thread(
                    name=title, content=content, embeds=embeds, allowed_mentions=NO_MENTIONS
                )
                return Posted(created.message.id, False, created.thread.id)
            # discord.py 2.7 sends a given nonce with enforce_nonce: Discord then answers a
            # repeat within its dedup window with the first message instead of a second one.
            sent = await channel.send(
                content=content,
                embeds=embeds,
                allowed_mentions=NO_MENTIONS,
                nonce=message.nonce or secrets.randbits(64),  # what discord.py picks if unset
            )
        except (discord.HTTPException, aiohttp.ClientError, TimeoutError) as e:
            raise _delivery_error(channel_id, e, f"post ({', '.join(POST_PERMISSIONS)})") from e
        announcement = isinstance(channel, discord.TextChannel) and channel.is_news()
        thread = channel.id if isinstance(channel, discord.Thread) else None
        return Posted(sent.id, announcement, thread)

    async def open_thread(self, channel_id: int, message_id: int, name: str) -> int:
        """A public thread under the digest's first message (or the one it has already)."""
        channel = await self._channel(channel_id)
        if not isinstance(channel, discord.TextChannel):
            raise DeliveryFailed(channel_id, "threads open under text channel messages only")
        try:
            message = await channel.fetch_message(message_id)
            if message.thread is not None:
                return message.thread.id
            thread = await message.create_thread(name=name)
        except (discord.HTTPException, aiohttp.ClientError, TimeoutError) as e:
            raise _delivery_error(channel_id, e, "open a thread (Create Public Threads)") from e
        return thread.id

    async def publish(self, channel_id: int, message_id: int) -> None:
        """Crosspost a message; a limit that would make us wait is handed back to the queue."""
        channel = await self._channel(channel_id)
        if not isinstance(channel, discord.TextChannel):
            raise DeliveryFailed(channel_id, "only announcement channels publish")
        try:
            async with asyncio.timeout(PUBLISH_TIMEOUT):
                await channel.get_partial_message(message_id).publish()
        except TimeoutError as e:
            raise PublishRateLimited(channel_id, PUBLISH_RETRY_AFTER) from e
        except discord.RateLimited as e:
            raise PublishRateLimited(channel_id, e.retry_after) from e
        except (discord.HTTPException, aiohttp.ClientError) as e:
            raise _delivery_error(channel_id, e, "publish its own message (Send Messages)") from e

    async def report(self, channel_id: int, text: str) -> None:
        """Post a notice in a log channel."""
        channel = await self._channel(channel_id)
        if isinstance(channel, discord.ForumChannel):
            raise DeliveryFailed(channel_id, "a forum cannot be the log channel")
        try:
            await channel.send(content=content_text(text), allowed_mentions=NO_MENTIONS)
        except (discord.HTTPException, aiohttp.ClientError, TimeoutError) as e:
            raise _delivery_error(channel_id, e, "post") from e

    async def find_posted(self, channel_id: int, marker: str, *, limit: int = 100) -> list[Posted]:
        """The bot's own recent messages in the channel carrying `marker`, oldest first."""
        channel = await self._channel(channel_id)
        me = self._bot.user
        if me is None:
            raise TransientDeliveryError(channel_id, "not logged in yet")
        if isinstance(channel, discord.ForumChannel):
            return await self._find_in_forum(channel, me.id, marker, limit)
        try:
            found = [
                m.id
                async for m in channel.history(limit=limit)
                if m.author.id == me.id and _carries(m, marker)
            ]
        except (discord.HTTPException, aiohttp.ClientError, TimeoutError) as e:
            raise _delivery_error(channel_id, e, "read message history") from e
        announcement = isinstance(channel, discord.TextChannel) and channel.is_news()
        thread = channel.id if isinstance(channel, discord.Thread) else None
        return [Posted(i, announcement, thread) for i in sorted(found)]

    async def _find_in_forum(
        self, forum: discord.ForumChannel, me: int, marker: str, limit: int
    ) -> list[Posted]:
        """The run's messages in the bot's newest forum posts (a run is one post)."""
        mine = sorted((t for t in forum.threads if t.owner_id == me), key=lambda t: -t.id)
        for thread in mine[:FORUM_POSTS_LOOKED_AT]:
            try:
                found = [
                    m.id
                    async for m in thread.history(limit=limit)
                    if m.author.id == me and _carries(m, marker)
                ]
            except (discord.HTTPException, aiohttp.ClientError, TimeoutError) as e:
                raise _delivery_error(forum.id, e, "read message history") from e
            if found:
                return [Posted(i, False, thread.id) for i in sorted(found)]
        return []


def _carries(message: discord.Message, marker: str) -> bool:
    """Whether a message shows the run marker (in its content or an embed footer)."""
    footers = (e.footer.text or "" for e in message.embeds)
    return marker in message.content or any(marker in text for text in footers)


def _delivery_error(channel_id: int, error: Exception, needs: str) -> DeliveryFailed:
    """Discord's answer as a delivery error: permanent (403/404/4xx) or worth retrying."""
    if isinstance(error, discord.Forbidden):
        return DeliveryFailed(channel_id, f"missing permission to {needs}")
    if isinstance(error, discord.NotFound):
        return DeliveryFailed(channel_id, "the channel (or message) was deleted")
    if isinstance(error, discord.HTTPException) and error.status < 500:
        return DeliveryFailed(channel_id, f"Discord refused it ({api_error(error)})")
    return TransientDeliveryError(channel_id, f"Discord is unavailable ({scrub(str(error))})")


class DigestScheduler:
    """One APScheduler job per schedule plus the publish queue, rebuilt from the database."""

    def __init__(
        self,
        bot: discord.Client,
        service: DigestService,
        scheduler: AsyncIOScheduler,
        *,
        clock: Clock,
        grace: dt.timedelta,
        lease: dt.timedelta = dt.timedelta(seconds=45),
    ) -> None:
        self._bot = bot
        self._lease = lease
        self.service = service
        self._clock = clock
        self._grace = grace
        self._scheduler = scheduler
        self._catch_up: asyncio.Task[None] | None = None
        self._versions: dict[int, int] = {}  # the schedule versions the jobs were built from

    async def start(self) -> None:
        """Add the jobs, rebuilt from the database; catch-up runs once the bot is ready."""
        await self.reconcile()
        self._scheduler.add_job(
            self._reconcile,
            IntervalTrigger(seconds=RECONCILE_EVERY, timezone=dt.UTC),
            id="digest-reconcile",
            coalesce=True,
            max_instances=1,
            misfire_grace_time=int(RECONCILE_EVERY),
            replace_existing=True,
        )
        self._scheduler.add_job(
            self._publish,
            IntervalTrigger(seconds=PUBLISH_EVERY, timezone=dt.UTC),
            id="digest-publish",
            coalesce=True,
            max_instances=1,
            misfire_grace_time=int(PUBLISH_EVERY),
            replace_existing=True,
        )
        every = max(1.0, self._lease.total_seconds() / 3)
        self._scheduler.add_job(
            self._leases,
            IntervalTrigger(seconds=every, timezone=dt.UTC),
            id="digest-leases",
            coalesce=True,
            max_instances=1,
            misfire_grace_time=int(every) + 1,
            replace_existing=True,
        )
        self._catch_up = asyncio.create_task(self._start_up(), name="digest-catch-up")
        log.info("Digest jobs added: %d", sum(j.id.startswith("digest:") for j in self._jobs()))

    def _jobs(self) -> list[Job]:
        return list(self._scheduler.get_jobs())

    async def _start_up(self) -> None:
        await self._bot.wait_until_ready()
        try:
            outcomes = await self.service.catch_up(now=self._clock.now())
            await self.service.publish_due(now=self._clock.now())
        except Exception:  # the job boundary: log, the scheduled jobs still run
            log.exception("Digest catch-up failed")
            return
        log.info("Digest catch-up: %d run(s) handled", len(outcomes))

    async def stop(self) -> None:
        """Remove the digest jobs (running ones are not awaited; their claims cover a restart)."""
        if self._catch_up is not None:
            self._catch_up.cancel()
        for job in self._jobs():
            if job.id.startswith("digest"):
                job.remove()
        log.info("Digest jobs stopped")

    async def reconcile(self) -> int:
        """Bring the jobs in line with the database: a job for each schedule that is new or
        changed since the last pass (by any process), none for a removed one; how many changed.

        Any process may change a schedule, and the one that did may die: each pass reads every
        schedule's id and version (one narrow scan) and refreshes the jobs whose versions differ
        from those they were built from. Reading all of them, not "changed since", sees removed
        rows, and cannot miss a change that committed late. A run firing in several processes
        is still posted once: the database decides who posts."""
        current = await self.service.schedules.versions()
        changed = {
            i for i in self._versions.keys() | current.keys()
            if self._versions.get(i) != current.get(i)
        }  # fmt: skip
        timed = {
            int(j.id.removeprefix("digest:")) for j in self._jobs() if j.id.startswith("digest:")
        }
        changed |= timed - current.keys()  # jobs added by `refresh` whose schedule is gone
        for schedule_id in sorted(changed):
            await self.refresh(schedule_id)
        self._versions = current
        if changed:
            log.info("Digest jobs reconciled: %d schedule(s) changed", len(changed))
        return len(changed)

    async def _reconcile(self) -> None:
        try:
            await self.reconcile()
        except Exception:  # the job boundary: log, try again next pass
            log.exception("Reconciling digest jobs failed")

    async def refresh(self, schedule_id: int) -> None:
        """Make the job match the schedule's row: added, replaced, or removed. A job whose
        time and zone are unchanged is kept as it is (its next fire time stays)."""
        schedule = await self.service.schedules.load(schedule_id)
        job_id = f"digest:{schedule_id}"
        job = self._scheduler.get_job(job_id)
        if schedule is None or schedule.paused:
            if job is not None:
                self._scheduler.remove_job(job_id)
            return
        if job is not None and str(job.trigger) == _trigger_name(schedule.spec, schedule.timezone):
            return
        self._scheduler.add_job(
            self._fire,
            SpecTrigger(schedule.spec, schedule.timezone, self._clock),
            args=(schedule_id,),
            id=job_id,
            name=f"digest {schedule_id}",
            coalesce=True,
            max_instances=1,
            misfire_grace_time=int(self._grace.total_seconds()),
            replace_existing=True,
        )

    def next_fire(self, schedule_id: int) -> dt.datetime | None:
        """When the job next fires (real time), or None when it has no job."""
        job = self._scheduler.get_job(f"digest:{schedule_id}")
        return job.next_run_time if job is not None else None

    async def _fire(self, schedule_id: int) -> None:
        outcome = await self.service.run_guarded(
            schedule_id, now=self._clock.now() + EARLY_FIRE_TOLERANCE
        )
        if outcome is not None:
            log.info("Digest %s run %s: %s", schedule_id, outcome.scheduled_for, outcome.status)
            if outcome.paused:
                await self.refresh(schedule_id)

    async def _leases(self) -> None:
        """Keep this process's claimed runs leased; take over those of a process that died."""
        try:
            now = self._clock.now()
            await self.service.schedules.renew_leases(now=now)
            for outcome in await self.service.resolve_interrupted(now=now):
                log.info(
                    "Digest %s run %s taken over: %s",
                    outcome.schedule_id, outcome.scheduled_for, outcome.status,
                )  # fmt: skip
        except Exception:  # the job boundary: log, try again next pass
            log.exception("Renewing or taking over digest runs failed")

    async def _publish(self) -> None:
        try:
            await self.service.publish_due(now=self._clock.now())
        except Exception:  # the job boundary: log, try again next pass
            log.exception("Publishing queued digests failed")

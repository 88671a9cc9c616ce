"""Around a digest run: the paced publish queue for announcement channels, and the lines the
bot writes to a guild's log channel."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging

from briefs.digests.compose import GuildSettings, PublishTask, RunRecord, Schedule
from briefs.digests.ports import (
    PAUSE_AFTER_FAILURES,
    DeliveryFailed,
    DigestPoster,
    PublishRateLimited,
    ScheduleRepository,
    TransientDeliveryError,
)

log = logging.getLogger(__name__)

PUBLISHES_PER_HOUR = 10  # Discord's crosspost limit per channel
HOUR = dt.timedelta(hours=1)


class Notices:
    """Publishes queued announcement messages and writes to guilds' log channels."""

    def __init__(self, schedules: ScheduleRepository, poster: DigestPoster) -> None:
        self.schedules = schedules
        self._poster = poster
        self._publish_lock = asyncio.Lock()

    async def publish_due(self, *, now: dt.datetime) -> int:
        """Publish queued announcement messages, at most 10 per channel per hour; the rest wait."""
        published = 0
        async with self._publish_lock:
            for task in await self.schedules.due_publishes(now=now):
                published += await self._publish_one(task, now)
        return published

    async def _publish_one(self, task: PublishTask, now: dt.datetime) -> int:
        recent = await self.schedules.recent_publishes(task.channel_id, since=now - HOUR)
        if len(recent) >= PUBLISHES_PER_HOUR:
            await self.schedules.retry_publish(
                task.id, not_before=min(recent) + HOUR, error="paced", attempt=False
            )
            return 0
        try:
            await self._poster.publish(task.channel_id, task.message_id)
        except PublishRateLimited as e:
            later = now + dt.timedelta(seconds=max(e.retry_after, 1.0))
            await self.schedules.retry_publish(task.id, not_before=later, error=e.reason)
        except TransientDeliveryError as e:
            later = now + min(dt.timedelta(minutes=2**task.attempts), HOUR)
            await self.schedules.retry_publish(task.id, not_before=later, error=e.reason)
        except DeliveryFailed as e:
            await self.schedules.refuse_publish(task.id, error=e.reason)
            log.warning("Could not publish message %s: %s", task.message_id, e.reason)
            await self.report(
                task.guild_id,
                f"A digest in <#{task.channel_id}> was posted but not published: {e.reason}",
            )
        else:
            await self.schedules.mark_published(task.id, now=now)
            return 1
        return 0

    async def report(self, guild_id: int, text: str) -> None:
        """A line in the guild's log channel, when it has one."""
        settings: GuildSettings = await self.schedules.settings(guild_id)
        if settings.log_channel_id is None:
            return
        try:
            await self._poster.report(settings.log_channel_id, text)
        except DeliveryFailed as e:
            log.warning("Guild %s log channel unusable: %s", guild_id, e.reason)


def failure_notice(schedule: Schedule, reason: str) -> str:
    """The log-channel line for a failed run, saying whether the schedule paused itself."""
    if schedule.paused:
        return (
            f"failed ({reason}). It has paused itself; fix it, then `/digest resume {schedule.id}`."
        )
    count = f"{schedule.failures} of {PAUSE_AFTER_FAILURES}"
    return f"failed ({reason}); failure {count} in a row before it pauses itself."


def stamp(moment: dt.datetime) -> str:
    """A Discord timestamp, shown in each reader's time zone."""
    return f"<t:{int(moment.timestamp())}:f>"


def log_lost(run: RunRecord) -> None:
    """Say that another process took this run over, so this one posts nothing more of it."""
    log.warning(
        "Digest %s run %s was taken over by another process (this one stalled past its "
        "lease); it posts nothing more of it",
        run.schedule_id, run.scheduled_for,
    )  # fmt: skip

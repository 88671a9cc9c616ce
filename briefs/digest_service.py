"""Scheduled digests: the records, the ports they need, and the service that runs and delivers them.

A run goes: compose (read only) → claim the run key → post each message, recording its id (and a
publish task for announcement channels) → finish (status, cursor, health). The claim makes a run
happen at most once; see storage/schedules.py for what a crash at each step leaves behind."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Literal, Protocol

from briefs.digest import (
    Digest,
    DigestMessage,
    GuildSettings,
    Posted,
    PublishTask,
    RunOutcome,
    RunRecord,
    RunStatus,
    Schedule,
    ScheduleDraft,
    Trigger,
    compose,
)
from briefs.errors import BriefingError
from briefs.ports import BriefStore
from briefs.schedule import DEFAULT_GRACE, due_run

log = logging.getLogger(__name__)

Health = Literal["ok", "failing", "unchanged"]  # what a finished run says about its schedule

PAUSE_AFTER_FAILURES = 5
PUBLISHES_PER_HOUR = 10  # Discord's crosspost limit per channel
FIRST_DIGEST_LOOKBACK = dt.timedelta(days=1)  # a new schedule's first digest: the last day
BRIEFS_PER_DIGEST_READ = 500
HOUR = dt.timedelta(hours=1)


# --- Errors the Discord side raises ----------------------------------------------------------


class DeliveryFailed(BriefingError):
    """A post or publish that cannot succeed as things are (deleted channel, missing permission)."""

    def __init__(self, channel_id: int, reason: str) -> None:
        self.channel_id = channel_id
        self.reason = reason
        super().__init__(f"channel {channel_id}: {reason}")


class TransientDeliveryError(DeliveryFailed):
    """A failure worth retrying (Discord 5xx, a dropped connection)."""


class PublishRateLimited(DeliveryFailed):
    """Discord refused a publish for now; try again after `retry_after` seconds."""

    def __init__(self, channel_id: int, retry_after: float) -> None:
        super().__init__(channel_id, f"publish rate limit, retry in {retry_after:.0f} s")
        self.retry_after = retry_after


# --- Ports -----------------------------------------------------------------------------------


class DigestPoster(Protocol):
    """The Discord side of delivery."""

    async def post(self, channel_id: int, message: DigestMessage) -> Posted:
        """Post one message with no mentions allowed; raises DeliveryFailed and subclasses."""
        ...

    async def publish(self, channel_id: int, message_id: int) -> None:
        """Crosspost a message of an announcement channel; raises DeliveryFailed and subclasses."""
        ...

    async def report(self, channel_id: int, text: str) -> None:
        """Post a plain notice to a guild's log channel."""
        ...


class ScheduleRepository(Protocol):
    """Schedules, runs and the publish queue (storage.schedules.ScheduleStore)."""

    max_per_guild: int

    async def settings(self, guild_id: int) -> GuildSettings: ...
    async def set_timezone(self, guild_id: int, tz: str, *, now: dt.datetime) -> GuildSettings: ...
    async def set_log_channel(
        self, guild_id: int, channel_id: int | None, *, now: dt.datetime
    ) -> GuildSettings: ...
    async def add(
        self, draft: ScheduleDraft, *, now: dt.datetime, cursor: dt.datetime | None
    ) -> Schedule: ...
    async def get(self, guild_id: int, schedule_id: int) -> Schedule: ...
    async def in_guild(self, guild_id: int) -> list[Schedule]: ...
    async def remove(self, guild_id: int, schedule_id: int) -> None: ...
    async def set_paused(self, guild_id: int, schedule_id: int, paused: bool) -> Schedule: ...
    async def load(self, schedule_id: int) -> Schedule | None: ...
    async def all_ids(self) -> list[int]: ...
    async def claim(
        self,
        schedule_id: int,
        scheduled_for: dt.datetime,
        *,
        trigger: Trigger,
        cursor_to: dt.datetime | None,
        now: dt.datetime,
    ) -> RunRecord | None: ...
    async def record_message(
        self, run_id: int, message_id: int, *, publish: bool, now: dt.datetime
    ) -> None: ...
    async def finish(
        self,
        run_id: int,
        status: RunStatus,
        *,
        now: dt.datetime,
        error: str | None = None,
        advance: bool = False,
        health: Health = "ok",
        pause_after: int = PAUSE_AFTER_FAILURES,
    ) -> Schedule: ...
    async def record_skip(
        self, schedule_id: int, scheduled_for: dt.datetime, *, reason: str, now: dt.datetime
    ) -> bool: ...
    async def unfinished_runs(self) -> list[RunRecord]: ...
    async def due_publishes(self, *, now: dt.datetime, limit: int = 50) -> list[PublishTask]: ...
    async def recent_publishes(
        self, channel_id: int, *, since: dt.datetime
    ) -> list[dt.datetime]: ...
    async def mark_published(self, task_id: int, *, now: dt.datetime) -> None: ...
    async def retry_publish(
        self, task_id: int, *, not_before: dt.datetime, error: str, attempt: bool = True
    ) -> None: ...
    async def refuse_publish(self, task_id: int, *, error: str) -> None: ...


Sleep = Callable[[float], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class DeliveryPolicy:
    """How hard delivery tries: grace window, retries, backoff, self-pause."""

    grace: dt.timedelta = DEFAULT_GRACE
    pause_after: int = PAUSE_AFTER_FAILURES
    retries: int = 3  # attempts per message on transient errors
    backoff: float = 2.0  # seconds before the 2nd attempt; doubles each time
    sleep: Sleep = field(default=asyncio.sleep)


class DigestService:
    """Creates, previews and runs digest schedules; delivers each run at most once."""

    def __init__(
        self,
        schedules: ScheduleRepository,
        library: BriefStore,
        poster: DigestPoster,
        *,
        policy: DeliveryPolicy | None = None,
    ) -> None:
        self.schedules = schedules
        self._library = library
        self._poster = poster
        self._policy = policy or DeliveryPolicy()
        self._locks: dict[int, asyncio.Lock] = {}
        self._publish_lock = asyncio.Lock()

    async def create(self, draft: ScheduleDraft, *, now: dt.datetime) -> Schedule:
        """Store a new schedule; its first digest covers the day before it was made."""
        return await self.schedules.add(draft, now=now, cursor=now - FIRST_DIGEST_LOOKBACK)

    async def preview(self, guild_id: int, schedule_id: int) -> Digest:
        """Exactly what a run would post now, without posting or recording anything."""
        return await self._compose(await self.schedules.get(guild_id, schedule_id))

    async def post_now(self, guild_id: int, schedule_id: int, *, now: dt.datetime) -> RunOutcome:
        """Run a schedule now, as a scheduled run would (advances its cursor)."""
        schedule = await self.schedules.get(guild_id, schedule_id)
        outcome = await self._run(schedule, now, "manual", now)
        return outcome or RunOutcome(schedule.id, now, "skipped", error="a run is already going")

    async def run_due(self, schedule_id: int, *, now: dt.datetime) -> RunOutcome | None:
        """The job: act on the schedule's due run at `now` (post it, or record it as skipped)."""
        schedule = await self.schedules.load(schedule_id)
        if schedule is None or schedule.paused:
            return None
        since = schedule.last_scheduled or schedule.created_at
        grace = self._policy.grace
        due = due_run(schedule.spec, schedule.timezone, since=since, now=now, grace=grace)
        if due is None:
            return None
        if due.action == "post":
            return await self._run(schedule, due.scheduled_for, "schedule", now)
        reason = f"missed by more than the {grace} grace window (bot offline?)"
        if await self.schedules.record_skip(schedule.id, due.scheduled_for, reason=reason, now=now):
            log.warning(
                "Digest %s skipped its run of %s: %s", schedule.id, due.scheduled_for, reason
            )
            await self._report(
                schedule, f"skipped the run of {_stamp(due.scheduled_for)}: {reason}"
            )
        return RunOutcome(schedule.id, due.scheduled_for, "skipped", error=reason)

    async def catch_up(self, *, now: dt.datetime) -> list[RunOutcome]:
        """At start-up: settle interrupted runs, then post (or skip) what was missed meanwhile."""
        await self.resolve_interrupted(now=now)
        ids = await self.schedules.all_ids()
        results = await asyncio.gather(*(self.run_guarded(i, now=now) for i in ids))
        return [r for r in results if r is not None]

    async def run_guarded(self, schedule_id: int, *, now: dt.datetime) -> RunOutcome | None:
        """`run_due`, logging instead of raising, so one schedule never stops the others."""
        try:
            return await self.run_due(schedule_id, now=now)
        except Exception:  # the job boundary: log it, keep the other schedules going
            log.exception("Digest %s run failed", schedule_id)
            return None

    async def resolve_interrupted(self, *, now: dt.datetime) -> list[RunRecord]:
        """Close runs a crash left claimed, never posting them again (see storage.schedules)."""
        runs = await self.schedules.unfinished_runs()
        for run in runs:
            if run.message_ids:
                note = f"interrupted after {len(run.message_ids)} message(s) were posted"
                await self.schedules.finish(
                    run.id, "posted", now=now, error=note, advance=True, health="unchanged"
                )
            else:
                note = "interrupted before Discord confirmed the post; not posted again"
                await self.schedules.finish(
                    run.id, "failed", now=now, error=note, health="unchanged"
                )
            log.warning("Digest %s run %s: %s", run.schedule_id, run.scheduled_for, note)
            schedule = await self.schedules.load(run.schedule_id)
            if schedule is not None:
                await self._report(schedule, f"run of {_stamp(run.scheduled_for)} {note}")
        return runs

    async def _run(
        self, schedule: Schedule, scheduled_for: dt.datetime, trigger: Trigger, now: dt.datetime
    ) -> RunOutcome | None:
        lock = self._locks.setdefault(schedule.id, asyncio.Lock())
        async with lock:
            digest = await self._compose(schedule)
            run = await self.schedules.claim(
                schedule.id, scheduled_for, trigger=trigger, cursor_to=digest.cursor, now=now
            )
            if run is None:
                return None  # this run key is taken: it was (or is being) delivered
            if not digest.messages:
                await self.schedules.finish(
                    run.id, "skipped", now=now, error="nothing new", advance=True
                )
                return RunOutcome(schedule.id, scheduled_for, "skipped", error="nothing new")
            ids, error = await self._post_all(schedule, run, digest.messages, now)
            status: RunStatus = "posted" if ids else "failed"
            updated = await self.schedules.finish(
                run.id,
                status,
                now=now,
                error=error,
                advance=bool(ids),
                health="failing" if error else "ok",
                pause_after=self._policy.pause_after,
            )
        if error:
            log.warning(
                "Digest %s failed in channel %s: %s", schedule.id, schedule.channel_id, error
            )
            await self._report(updated, _failure_notice(updated, error))
        if ids:
            await self.publish_due(now=now)
        return RunOutcome(schedule.id, scheduled_for, status, tuple(ids), error, updated.paused)

    async def _compose(self, schedule: Schedule) -> Digest:
        briefs = await self._library.briefs_since(
            schedule.cursor, guild_id=schedule.guild_id, limit=BRIEFS_PER_DIGEST_READ
        )
        return compose(briefs, schedule.options, since=schedule.last_posted, tz=schedule.timezone)

    async def _post_all(
        self,
        schedule: Schedule,
        run: RunRecord,
        messages: tuple[DigestMessage, ...],
        now: dt.datetime,
    ) -> tuple[list[int], str | None]:
        ids: list[int] = []
        for message in messages:
            try:
                posted = await self._post_with_retries(schedule.channel_id, message)
            except DeliveryFailed as e:
                return ids, e.reason
            ids.append(posted.message_id)
            await self.schedules.record_message(
                run.id, posted.message_id, publish=posted.announcement, now=now
            )
        return ids, None

    async def _post_with_retries(self, channel_id: int, message: DigestMessage) -> Posted:
        delay = self._policy.backoff
        for attempt in range(1, self._policy.retries):
            try:
                return await self._poster.post(channel_id, message)
            except TransientDeliveryError as e:
                log.warning("Channel %s: %s (attempt %s, retrying)", channel_id, e.reason, attempt)
                await self._policy.sleep(delay)
                delay *= 2
        return await self._poster.post(channel_id, message)

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
            await self._report_guild(
                task.guild_id,
                f"A digest in <#{task.channel_id}> was posted but not published: {e.reason}",
            )
        else:
            await self.schedules.mark_published(task.id, now=now)
            return 1
        return 0

    async def _report(self, schedule: Schedule, text: str) -> None:
        await self._report_guild(
            schedule.guild_id, f"Digest {schedule.id} in <#{schedule.channel_id}>: {text}"
        )

    async def _report_guild(self, guild_id: int, text: str) -> None:
        settings: GuildSettings = await self.schedules.settings(guild_id)
        if settings.log_channel_id is None:
            return
        try:
            await self._poster.report(settings.log_channel_id, text)
        except DeliveryFailed as e:
            log.warning("Guild %s log channel unusable: %s", guild_id, e.reason)


def _failure_notice(schedule: Schedule, reason: str) -> str:
    if schedule.paused:
        return (
            f"failed ({reason}). It has paused itself; fix it, then `/digest resume {schedule.id}`."
        )
    count = f"{schedule.failures} of {PAUSE_AFTER_FAILURES}"
    return f"failed ({reason}); failure {count} in a row before it pauses itself."


def _stamp(moment: dt.datetime) -> str:
    return f"<t:{int(moment.timestamp())}:f>"

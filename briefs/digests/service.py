"""Scheduled digests: the service that runs, delivers, recovers and publishes them.

A run goes: compose (read only) → claim the run key → post each message (tagged with the run's
marker and nonce), recording its id (and a publish task for announcement channels) → finish
(status, cursor, health). The claim makes a run happen at most once; a restart settles a claimed
run by looking for its marker in the channel (`resolve_interrupted`), so it is also not lost.
storage/schedules.py tells what a crash at each step leaves behind and what a restart does."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import logging
from collections.abc import Sequence
from functools import partial
from typing import TypeVar

from briefs.digests.compose import (
    NOTHING_NEW,
    Digest,
    DigestMessage,
    NextRun,
    RunOutcome,
    RunRecord,
    RunStatus,
    Schedule,
    ScheduleDraft,
    Trigger,
    compose,
    run_marker,
    run_posts,
    upcoming,
)
from briefs.digests.notices import Notices, failure_notice, log_lost, stamp
from briefs.digests.policy import DeliveryPolicy, retrying
from briefs.digests.ports import (
    ClaimLost,
    DeliveryFailed,
    DigestPoster,
    Health,
    ScheduleRepository,
)
from briefs.digests.schedule import due_run
from briefs.ports import BriefStore

log = logging.getLogger(__name__)

T = TypeVar("T")
FIRST_DIGEST_LOOKBACK = dt.timedelta(days=1)  # a new schedule's first digest: the last day
BRIEFS_PER_DIGEST_READ = 500


class DigestService:
    """Creates, previews and runs digest schedules; delivers each run exactly once."""

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
        self._notices = Notices(schedules, poster)

    async def create(self, draft: ScheduleDraft, *, now: dt.datetime) -> Schedule:
        """Store a new schedule; its first digest covers the day before it was made.

        A channel the bot cannot post in (or open threads in, when asked) is refused."""
        await self._poster.check(draft.channel_id, thread=draft.options.thread)
        return await self.schedules.add(draft, now=now, cursor=now - FIRST_DIGEST_LOOKBACK)

    async def edit(
        self, guild_id: int, schedule_id: int, draft: ScheduleDraft, *, now: dt.datetime
    ) -> Schedule:
        """Change a schedule's settings in place, refused as `create` refuses a channel."""
        await self.schedules.get(guild_id, schedule_id)  # NotFound before the channel check
        await self._poster.check(draft.channel_id, thread=draft.options.thread)
        async with self._locks.setdefault(schedule_id, asyncio.Lock()):  # not during a run
            return await self.schedules.update(guild_id, schedule_id, draft, now=now)

    async def preview(self, guild_id: int, schedule_id: int) -> Digest:
        """The digest a run would compose now, before the run tags it (`preview_next` shows the
        messages exactly as posted); nothing is posted or recorded."""
        return await self._compose(await self.schedules.get(guild_id, schedule_id))

    async def preview_next(self, guild_id: int, schedule_id: int, *, now: dt.datetime) -> NextRun:
        """The messages the schedule's next run would post, exactly as it posts them (its run
        marker, footer time and timestamps included), composed from the library as it is now."""
        schedule = await self.schedules.get(guild_id, schedule_id)
        runs = upcoming(schedule, now=now, n=1)
        if not runs:
            return NextRun(schedule.channel_id, None, ())
        posts = run_posts(await self._compose(schedule), schedule, runs[0])
        return NextRun(
            schedule.channel_id, runs[0], posts.messages, posts.name, schedule.options.thread
        )

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
        since = schedule.runs_after
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
            await self._report(schedule, f"skipped the run of {stamp(due.scheduled_for)}: {reason}")
        return RunOutcome(schedule.id, due.scheduled_for, "skipped", error=reason)

    async def catch_up(self, *, now: dt.datetime) -> list[RunOutcome]:
        """At start-up: settle interrupted runs, then post (or skip) what was missed meanwhile."""
        settled = await self.resolve_interrupted(now=now)
        ids = await self.schedules.all_ids()
        results = await asyncio.gather(*(self.run_guarded(i, now=now) for i in ids))
        return settled + [r for r in results if r is not None]

    async def run_guarded(self, schedule_id: int, *, now: dt.datetime) -> RunOutcome | None:
        """`run_due`, logging instead of raising, so one schedule never stops the others."""
        try:
            return await self.run_due(schedule_id, now=now)
        except Exception:  # the job boundary: log it, keep the other schedules going
            log.exception("Digest %s run failed", schedule_id)
            return None

    async def resolve_interrupted(self, *, now: dt.datetime) -> list[RunOutcome]:
        """Settle runs a crash left claimed: each ends posted once or skipped (see storage)."""
        outcomes = []
        for run in await self.schedules.take_over(now=now):
            schedule = await self.schedules.load(run.schedule_id)
            if schedule is None:
                continue  # removed meanwhile: its runs went with it
            async with self._locks.setdefault(schedule.id, asyncio.Lock()):
                try:
                    outcomes.append(await self._resolve(schedule, run, now))
                except ClaimLost:  # taken over again meanwhile: the taker settles it
                    log_lost(run)
        return outcomes

    async def _resolve(self, schedule: Schedule, run: RunRecord, now: dt.datetime) -> RunOutcome:
        """Record what Discord already has of the run, then post the rest once (within grace)."""
        marker = run_marker(run.schedule_id, run.scheduled_for)
        try:
            found = await retrying(
                self._policy,
                schedule.channel_id,
                lambda: self._poster.find_posted(schedule.channel_id, marker),
            )
        except DeliveryFailed as e:
            return await self._settle_unchecked(schedule, run, e.reason, now)
        ids = list(run.message_ids)
        forum = next((p.thread_id for p in found if p.thread_id is not None), None)
        if forum is not None and run.thread_id != forum:
            await self.schedules.record_thread(run.id, forum)
        for posted in found:
            if posted.message_id not in ids:
                ids.append(posted.message_id)
                if not await self.schedules.record_message(
                    run.id, posted.message_id, publish=posted.announcement, now=now
                ):
                    raise ClaimLost(run.id)
        # Messages go out one after another, so Discord holds a prefix of the run's messages.
        digest = await self._compose(schedule, upto=run)
        posts = run_posts(digest, schedule, run.scheduled_for)
        name, rest = posts.name, posts.messages[len(ids) :]
        late = now - run.scheduled_for > self._policy.grace
        log.warning(
            "Digest %s run %s was interrupted: %d message(s) found in the channel, %d to go%s",
            schedule.id, run.scheduled_for, len(ids), len(rest), " (too late)" if late else "",
        )  # fmt: skip
        if rest and not late:
            return await self._deliver(schedule, run, rest, name, now, posted=ids, forum=forum)
        if ids and not rest:
            await self._open_thread(schedule, run, ids[0], name, forum=forum)
        if ids:
            note = f"{len(rest)} message(s) past the grace window not posted" if rest else None
            health: Health = "unchanged" if rest else "ok"
            return await self._finish(
                schedule, run, "posted", ids, note, now, advance=True, health=health
            )
        if not digest.messages:
            note = NOTHING_NEW
            return await self._finish(schedule, run, "skipped", [], note, now, advance=True)
        reason = (
            f"interrupted before it was posted; restarted after the {self._policy.grace} "
            "grace window"
        )
        outcome = await self._finish(schedule, run, "skipped", [], reason, now, advance=False)
        await self._report(schedule, f"skipped the run of {stamp(run.scheduled_for)}: {reason}")
        return outcome

    async def _settle_unchecked(
        self, schedule: Schedule, run: RunRecord, reason: str, now: dt.datetime
    ) -> RunOutcome:
        """Without the channel's history, never post again: the run may already be there."""
        ids = list(run.message_ids)
        if ids:
            note = f"interrupted after {len(ids)} message(s); could not check for more: {reason}"
        else:
            note = (
                "interrupted before Discord confirmed the post, and the channel could not be "
                f"checked for it ({reason}); not posted again"
            )
        status: RunStatus = "posted" if ids else "failed"
        outcome = await self._finish(schedule, run, status, ids, note, now, advance=bool(ids))
        log.warning("Digest %s run %s: %s", run.schedule_id, run.scheduled_for, note)
        await self._report(schedule, f"run of {stamp(run.scheduled_for)} {note}")
        return outcome

    async def _finish(
        self,
        schedule: Schedule,
        run: RunRecord,
        status: RunStatus,
        ids: Sequence[int],
        note: str | None,
        now: dt.datetime,
        *,
        advance: bool,
        health: Health = "unchanged",
    ) -> RunOutcome:
        """Close a run a restart settled; its messages, if any, go to the publish queue."""
        await self.schedules.finish(
            run.id, status, now=now, error=note, advance=advance, health=health
        )
        if ids:
            await self.publish_due(now=now)
        return RunOutcome(schedule.id, run.scheduled_for, status, tuple(ids), note)

    async def _run(
        self, schedule: Schedule, scheduled_for: dt.datetime, trigger: Trigger, now: dt.datetime
    ) -> RunOutcome | None:
        async with self._locks.setdefault(schedule.id, asyncio.Lock()):
            # Claimed before it is composed: with several processes, only the claimant reads.
            run = await self.schedules.claim(
                schedule.id, scheduled_for, trigger=trigger, cursor_to=None, now=now
            )
            if run is None:
                return None  # this run key is taken: it was (or is being) delivered
            try:
                return await self._claimed(schedule, run, now)
            except ClaimLost:  # this process stalled past its lease and the run was taken over
                log_lost(run)
                return None

    async def _claimed(self, schedule: Schedule, run: RunRecord, now: dt.datetime) -> RunOutcome:
        """Compose and deliver a run this process claimed; ClaimLost once it is not its own."""
        scheduled_for = run.scheduled_for
        digest = await self._compose(schedule)
        await self.schedules.set_cursor(run.id, digest.cursor)
        run = dataclasses.replace(run, cursor_to=digest.cursor)
        if not digest.messages:
            await self.schedules.finish(run.id, "skipped", now=now, error=NOTHING_NEW, advance=True)
            return RunOutcome(schedule.id, scheduled_for, "skipped", error=NOTHING_NEW)
        posts = run_posts(digest, schedule, scheduled_for)
        return await self._deliver(schedule, run, posts.messages, posts.name, now)

    async def _deliver(
        self,
        schedule: Schedule,
        run: RunRecord,
        messages: Sequence[DigestMessage],
        name: str,
        now: dt.datetime,
        *,
        posted: Sequence[int] = (),
        forum: int | None = None,
    ) -> RunOutcome:
        """Post a claimed run's messages (then its thread), and finish it: status, cursor,
        health, reports. `name` titles its forum post or thread; `forum`: the run's forum
        post, when an interrupted run's first messages opened one."""
        new, forum, error = await self._post_all(schedule, run, messages, name, now, forum)
        ids = [*posted, *new]
        if ids and error is None:
            await self._hold(run, now)
            await self._open_thread(schedule, run, ids[0], name, forum=forum)
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
            await self._report(updated, failure_notice(updated, error))
        if ids:
            await self.publish_due(now=now)
        return RunOutcome(schedule.id, run.scheduled_for, status, tuple(ids), error, updated.paused)

    async def _compose(self, schedule: Schedule, *, upto: RunRecord | None = None) -> Digest:
        """The schedule's digest now, or (`upto`) as that claimed run composed it."""
        briefs = await self._library.briefs_since(
            schedule.cursor, guild_id=schedule.guild_id, limit=BRIEFS_PER_DIGEST_READ
        )
        if upto is not None and upto.cursor_to is not None:  # None: died before composing
            end = upto.cursor_to
            briefs = [b for b in briefs if end is not None and b.ref.ingested_at <= end]
        return compose(briefs, schedule.options, since=schedule.last_posted, tz=schedule.timezone)

    async def _post_all(
        self,
        schedule: Schedule,
        run: RunRecord,
        messages: Sequence[DigestMessage],
        name: str,
        now: dt.datetime,
        forum: int | None,
    ) -> tuple[list[int], int | None, str | None]:
        """Post in order; in a forum, the first message opens the post and the rest go in it."""
        ids: list[int] = []
        for message in messages:
            await self._hold(run, now)
            target = schedule.channel_id if forum is None else forum
            post = partial(self._poster.post, target, message, title=name)
            try:
                posted = await retrying(self._policy, target, post)
            except DeliveryFailed as e:
                return ids, forum, e.reason
            if forum is None and posted.thread_id is not None:
                forum = posted.thread_id
                await self.schedules.record_thread(run.id, forum)
            ids.append(posted.message_id)
            if not await self.schedules.record_message(
                run.id, posted.message_id, publish=posted.announcement, now=now
            ):
                raise ClaimLost(run.id)  # the taker finds this message in the channel
        return ids, forum, None

    async def _hold(self, run: RunRecord, now: dt.datetime) -> None:
        """Before posting: confirm the run is still this process's, renewing its lease.

        A process that stalled past its lease may have lost the run to another, which reads
        the channel for the run's messages and posts the rest: this one must post no more."""
        clock = self._policy.clock
        if not await self.schedules.hold(run.id, now=clock() if clock else now):
            raise ClaimLost(run.id)

    async def _open_thread(
        self, schedule: Schedule, run: RunRecord, first: int, name: str, *, forum: int | None
    ) -> None:
        """The discussion thread under a posted digest, when the schedule asks for one.

        The digest is posted and recorded already: a failure here is reported, never retried
        by posting again; a forum post is its own thread; a recorded thread is not reopened."""
        if not schedule.options.thread or forum is not None or run.thread_id is not None:
            return
        channel = schedule.channel_id
        try:
            thread_id = await retrying(
                self._policy, channel, partial(self._poster.open_thread, channel, first, name)
            )
        except DeliveryFailed as e:
            log.warning("Digest %s: thread not opened: %s", schedule.id, e.reason)
            await self._report(
                schedule,
                f"the run of {stamp(run.scheduled_for)} was posted, but its thread could not "
                f"be opened: {e.reason}",
            )
            return
        await self.schedules.record_thread(run.id, thread_id)

    async def publish_due(self, *, now: dt.datetime) -> int:
        """Publish queued announcement messages, at most 10 per channel per hour; the rest wait."""
        return await self._notices.publish_due(now=now)

    async def _report(self, schedule: Schedule, text: str) -> None:
        await self._notices.report(
            schedule.guild_id, f"Digest {schedule.id} in <#{schedule.channel_id}>: {text}"
        )

"""Guild settings, digest schedules, their runs and the publish queue, on the library's SQLite.

Exactly once: a run key (schedule id, scheduled time) is a row in `digest_runs`, UNIQUE
(storage/runs.py). Every message of a run carries the run's marker ("Digest #12 · run 2026-11-28
08:00 UTC", under its last embed) and a nonce derived from the key and its place in the run
(briefs.digests.compose.for_run), so Discord itself can answer "is this run already there?".
A run is

1. composed (read only), then **claimed**: the row is inserted in a write transaction with status
   `claimed` and the cursor the digest will move to. An insert that hits the UNIQUE key means the
   run was already taken, by an earlier start or a concurrent path: nothing is posted.
2. posted message by message, in order; after each one Discord confirms, its id is **recorded**
   on the run (and, in the same transaction, a publish task is queued for an announcement channel).
3. **finished**: status, error, the schedule's cursor and health change in one transaction.

What a crash leaves, and what the next start does (`DigestService.resolve_interrupted`):

- before the claim: nothing; the run is still due and catch-up posts it once (inside the grace
  window) or records it as skipped.
- claimed, not finished (with or without recorded ids): Discord may hold more of the run than
  the row says (a crash between Discord's answer and the write). The restart reads the channel's
  recent history (100 messages) for the bot's own messages carrying the run's marker and records
  those it finds, publish tasks included, exactly as the post would have. Messages go out in
  order, so what Discord holds is a prefix of the run: the digest is composed again from the
  same briefs (up to the claimed cursor) and only the messages after that prefix are posted,
  through the same record path, with the same nonces (a repeat inside Discord's dedup window
  returns the first message). Past the grace window nothing more is posted: a run with messages
  is closed as `posted`, one without as `skipped` (reason given, cursor kept, log channel told).
- claimed, and the history cannot be read (no Read Message History, channel gone): the old rule
  holds, a miss over a duplicate. A run with recorded ids is closed as `posted`, one without as
  `failed`; neither is posted again, the cursor stays for a failed one, and the log channel is
  told why.
- finished: nothing to do. Publish tasks are rows too, so publishing resumes after a restart.

So a crash or restart loses nothing and posts nothing twice, provided the bot can read the
channel's history and restarts within the grace window (default 1 h).

Several processes on one PostgreSQL: a claim is leased (storage/runs.py). Before each message
(and the run's thread) its owner confirms it still holds the run (`hold`, a conditional UPDATE
that renews the lease), and only the owner records messages and finishes the run. A process
that stalled past its lease and lost the run to another posts nothing more; the taker settles
it as a restart would, from the channel's history.
"""

from __future__ import annotations

import datetime as dt

from briefs.digests.compose import (
    DigestOptions,
    GuildSettings,
    PublishTask,
    RunRecord,
    RunStatus,
    Schedule,
    ScheduleDraft,
)
from briefs.digests.ports import PAUSE_AFTER_FAILURES, ClaimLost, Health
from briefs.errors import LimitReached, NotFound
from storage.db import Row
from storage.rows import from_utc_text, to_utc_text
from storage.runs import LEASE, RUN_COLUMNS, Library, RunStore, run_record, time_or_none

PUBLISH_LEASE = dt.timedelta(seconds=60)  # how long a claimed publish is kept from others
_SCHEDULE = (
    "s.id, s.guild_id, s.channel_id, s.spec, s.timezone, s.include_topics, s.exclude_topics, "
    "s.max_items, s.style, s.empty, s.created_at, s.paused, s.failing_reason, s.failures, "
    "s.cursor, "
    "(SELECT max(scheduled_for) FROM digest_runs "
    "WHERE schedule_id = s.id AND trigger = 'schedule'), "
    "(SELECT max(scheduled_for) FROM digest_runs WHERE schedule_id = s.id AND status = 'posted'), "
    "s.thread, s.retimed_at"
)
_LAST_RUN = (
    f"SELECT {RUN_COLUMNS} FROM digest_runs r "  # noqa: S608  # fixed fragment
    "WHERE r.schedule_id = ? ORDER BY r.id DESC LIMIT 1"
)


def _schedule(row: Row, last_run: RunRecord | None) -> Schedule:
    topics = (tuple(t for t in row[5].split(",") if t), tuple(t for t in row[6].split(",") if t))
    return Schedule(
        id=int(row[0]),
        guild_id=int(row[1]),
        channel_id=int(row[2]),
        when=row[3],
        timezone=row[4],
        options=DigestOptions(topics[0], topics[1], int(row[7]), row[8], row[9], bool(row[17])),
        created_at=from_utc_text(row[10]),
        paused=bool(row[11]),
        failing_reason=row[12],
        failures=int(row[13]),
        cursor=time_or_none(row[14]),
        last_run=last_run,
        last_scheduled=time_or_none(row[15]),
        last_posted=time_or_none(row[16]),
        retimed_at=time_or_none(row[18]),
    )


class ScheduleStore(RunStore):
    """Digest schedules scoped by guild, their run claims, and the persistent publish queue."""

    def __init__(
        self, library: Library, *, max_per_guild: int = 25, lease: dt.timedelta = LEASE
    ) -> None:
        super().__init__(library, lease=lease)
        self.max_per_guild = max_per_guild

    # --- Guild settings ---------------------------------------------------------------------

    async def settings(self, guild_id: int) -> GuildSettings:
        """The guild's time zone (UTC when unset) and log channel."""
        sql = "SELECT timezone, log_channel_id FROM guild_settings WHERE guild_id = ?"
        async with self._library.snapshot() as conn:
            rows = await conn.fetch(sql, (guild_id,))
        if not rows:
            return GuildSettings(guild_id)
        row = rows[0]
        return GuildSettings(guild_id, row[0] or "UTC", row[1])

    async def set_timezone(self, guild_id: int, tz: str, *, now: dt.datetime) -> GuildSettings:
        """Set the guild's default time zone for new schedules."""
        return await self._set(guild_id, "timezone", tz, now)

    async def set_log_channel(
        self, guild_id: int, channel_id: int | None, *, now: dt.datetime
    ) -> GuildSettings:
        """Set (or clear, with None) the channel where failures are reported."""
        return await self._set(guild_id, "log_channel_id", channel_id, now)

    async def _set(
        self, guild_id: int, column: str, value: object, now: dt.datetime
    ) -> GuildSettings:
        sql = (
            f"INSERT INTO guild_settings (guild_id, {column}, updated_at) VALUES (?, ?, ?) "  # noqa: S608  # column is one of two literals above
            f"ON CONFLICT (guild_id) DO UPDATE SET {column} = excluded.{column}, "
            "updated_at = excluded.updated_at"
        )
        async with self._library.transaction() as conn:
            await conn.execute(sql, (guild_id, value, to_utc_text(now)))
        return await self.settings(guild_id)

    # --- Schedules --------------------------------------------------------------------------

    async def add(
        self, draft: ScheduleDraft, *, now: dt.datetime, cursor: dt.datetime | None
    ) -> Schedule:
        """Store a schedule; LimitReached when the guild has `max_per_guild` already."""
        o = draft.options
        async with self._library.transaction() as conn:
            await conn.lock_library()  # the count and the insert, one guild at a time
            sql = "SELECT count(*) FROM digest_schedules WHERE guild_id = ?"
            count = await conn.fetch(sql, (draft.guild_id,))
            if count[0][0] >= self.max_per_guild:
                raise LimitReached("digest schedules", self.max_per_guild)
            inserted = await conn.fetch(
                "INSERT INTO digest_schedules (guild_id, channel_id, spec, timezone, "
                "include_topics, exclude_topics, max_items, style, empty, thread, cursor, "
                "created_by, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (
                    draft.guild_id, draft.channel_id, draft.when, draft.timezone,
                    ",".join(o.include), ",".join(o.exclude), o.max_items, o.style, o.empty,
                    int(o.thread), to_utc_text(cursor) if cursor else None, draft.created_by,
                    to_utc_text(now),
                ),
            )  # fmt: skip
            schedule_id = int(inserted[0][0])
        return await self.get(draft.guild_id, schedule_id)

    async def update(
        self, guild_id: int, schedule_id: int, draft: ScheduleDraft, *, now: dt.datetime
    ) -> Schedule:
        """Change one of the guild's schedules to `draft` (its runs, cursor and health stay);
        a new time or zone is noted, so runs of the new time before `now` are never due."""
        o = draft.options
        sql = (
            "UPDATE digest_schedules SET channel_id = ?, spec = ?, timezone = ?, "
            "include_topics = ?, exclude_topics = ?, max_items = ?, style = ?, empty = ?, "
            "thread = ?, retimed_at = CASE WHEN spec <> ? OR timezone <> ? THEN ? "
            "ELSE retimed_at END, version = version + 1 WHERE guild_id = ? AND id = ?"
        )
        params = (
            draft.channel_id, draft.when, draft.timezone, ",".join(o.include),
            ",".join(o.exclude), o.max_items, o.style, o.empty, int(o.thread), draft.when,
            draft.timezone, to_utc_text(now), guild_id, schedule_id,
        )  # fmt: skip
        async with self._library.transaction() as conn:
            if await conn.execute(sql, params) == 0:
                raise NotFound("digest schedule", schedule_id)
        return await self.get(guild_id, schedule_id)

    async def get(self, guild_id: int, schedule_id: int) -> Schedule:
        """One of the guild's schedules; NotFound for another guild's or a missing id."""
        found = await self._select("s.guild_id = ? AND s.id = ?", (guild_id, schedule_id))
        if not found:
            raise NotFound("digest schedule", schedule_id)
        return found[0]

    async def in_guild(self, guild_id: int) -> list[Schedule]:
        """The guild's schedules, oldest first."""
        return await self._select("s.guild_id = ?", (guild_id,))

    async def load(self, schedule_id: int) -> Schedule | None:
        """A schedule by id in any guild (for the scheduler's jobs only)."""
        found = await self._select("s.id = ?", (schedule_id,))
        return found[0] if found else None

    async def versions(self) -> dict[int, int]:
        """Every schedule's id and version, which each change to its timer raises: the
        scheduler's reconcile pass compares them with those its jobs were built from."""
        async with self._library.snapshot() as conn:
            rows = await conn.fetch("SELECT id, version FROM digest_schedules")
        return {int(r[0]): int(r[1]) for r in rows}

    async def all_ids(self) -> list[int]:
        """Every schedule id, for rebuilding the jobs at start-up."""
        async with self._library.snapshot() as conn:
            rows = await conn.fetch("SELECT id FROM digest_schedules ORDER BY id")
        return [int(r[0]) for r in rows]

    async def _select(self, where: str, params: tuple[int, ...]) -> list[Schedule]:
        sql = f"SELECT {_SCHEDULE} FROM digest_schedules s WHERE {where} ORDER BY s.id"  # noqa: S608  # fixed fragments
        async with self._library.snapshot() as conn:
            found = await conn.fetch(sql, params)
            result = []
            for row in found:
                last = await conn.fetch(_LAST_RUN, (row[0],))
                result.append(_schedule(row, run_record(last[0]) if last else None))
        return result

    async def remove(self, guild_id: int, schedule_id: int) -> None:
        """Delete one of the guild's schedules with its runs; NotFound otherwise."""
        async with self._library.transaction() as conn:
            deleted = await conn.execute(
                "DELETE FROM digest_schedules WHERE guild_id = ? AND id = ?",
                (guild_id, schedule_id),
            )
            if deleted == 0:
                raise NotFound("digest schedule", schedule_id)

    async def set_paused(self, guild_id: int, schedule_id: int, paused: bool) -> Schedule:
        """Pause or resume; resuming also clears the failure count and reason."""
        sql = (
            "UPDATE digest_schedules SET paused = ?, version = version + 1, "
            "failures = CASE WHEN ? THEN failures ELSE 0 END, "
            "failing_reason = CASE WHEN ? THEN failing_reason ELSE NULL END "
            "WHERE guild_id = ? AND id = ?"
        )
        async with self._library.transaction() as conn:
            changed = await conn.execute(sql, (int(paused), paused, paused, guild_id, schedule_id))
            if changed == 0:
                raise NotFound("digest schedule", schedule_id)
        return await self.get(guild_id, schedule_id)

    # --- Runs -------------------------------------------------------------------------------

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
    ) -> Schedule:
        """Close a run; move the cursor (advance) and the schedule's health, in one transaction."""
        async with self._library.transaction() as conn:
            closed = await conn.execute(
                "UPDATE digest_runs SET status = ?, error = ?, finished_at = ? "
                "WHERE id = ? AND status = 'claimed' AND lease_owner = ?",
                (status, error, to_utc_text(now), run_id, self.owner),
            )
            if closed == 0:  # taken over (or finished) by another process: theirs to close
                raise ClaimLost(run_id)
            target = "(SELECT schedule_id FROM digest_runs WHERE id = ?)"
            if advance:
                await conn.execute(
                    "UPDATE digest_schedules SET cursor = coalesce((SELECT cursor_to FROM "  # noqa: S608  # fixed fragment
                    f"digest_runs WHERE id = ?), cursor) WHERE id = {target}",
                    (run_id, run_id),
                )
            if health == "ok":
                await conn.execute(
                    "UPDATE digest_schedules SET failures = 0, failing_reason = NULL "  # noqa: S608  # fixed fragment
                    f"WHERE id = {target}",
                    (run_id,),
                )
            elif health == "failing":
                await conn.execute(
                    "UPDATE digest_schedules SET failures = failures + 1, failing_reason = ?, "  # noqa: S608  # fixed fragment
                    "paused = CASE WHEN failures + 1 >= ? OR paused = 1 THEN 1 ELSE 0 END, "
                    "version = version + CASE WHEN failures + 1 >= ? AND paused = 0 THEN 1 "
                    f"ELSE 0 END WHERE id = {target}",
                    (error, pause_after, pause_after, run_id),
                )
            rows = await conn.fetch("SELECT schedule_id FROM digest_runs WHERE id = ?", (run_id,))
        schedule = await self.load(int(rows[0][0])) if rows else None
        if schedule is None:
            raise NotFound("digest run", run_id)
        return schedule

    # --- Publish queue ----------------------------------------------------------------------

    async def due_publishes(self, *, now: dt.datetime, limit: int = 50) -> list[PublishTask]:
        """Pending publishes whose time has come, oldest first, each claimed for this caller.

        A claim moves `not_before` PUBLISH_LEASE ahead, so other processes skip the task; the
        caller then marks it published, retried or refused. If it dies, the task is due again."""
        sql = (
            "SELECT id, guild_id, channel_id, message_id, attempts, not_before FROM publish_queue "
            "WHERE status = 'pending' AND not_before <= ? ORDER BY not_before, id LIMIT ?"
        )
        async with self._library.transaction() as conn:
            lock = " FOR UPDATE SKIP LOCKED" if conn.dialect == "postgres" else ""
            rows = await conn.fetch(sql + lock, (to_utc_text(now), limit))
            await conn.executemany(
                "UPDATE publish_queue SET not_before = ? WHERE id = ?",
                [(to_utc_text(now + PUBLISH_LEASE), r[0]) for r in rows],
            )
        return [
            PublishTask(int(r[0]), int(r[1]), int(r[2]), int(r[3]), int(r[4]), from_utc_text(r[5]))
            for r in rows
        ]

    async def pending_publishes(self, guild_id: int) -> int:
        """How many of the guild's messages still wait to be published."""
        sql = "SELECT count(*) FROM publish_queue WHERE guild_id = ? AND status = 'pending'"
        async with self._library.snapshot() as conn:
            rows = await conn.fetch(sql, (guild_id,))
        return int(rows[0][0]) if rows else 0

    async def recent_publishes(self, channel_id: int, *, since: dt.datetime) -> list[dt.datetime]:
        """When messages of the channel were published after `since` (for pacing)."""
        sql = (
            "SELECT published_at FROM publish_queue WHERE channel_id = ? AND status = 'published' "
            "AND published_at > ? ORDER BY published_at"
        )
        async with self._library.snapshot() as conn:
            rows = await conn.fetch(sql, (channel_id, to_utc_text(since)))
        return [from_utc_text(r[0]) for r in rows]

    async def mark_published(self, task_id: int, *, now: dt.datetime) -> None:
        """The message is published."""
        await self._write(
            "UPDATE publish_queue SET status = 'published', published_at = ?, "
            "attempts = attempts + 1 WHERE id = ?",
            (to_utc_text(now), task_id),
        )

    async def retry_publish(
        self, task_id: int, *, not_before: dt.datetime, error: str, attempt: bool = True
    ) -> None:
        """Try again at `not_before`; `attempt` counts a refused try (pacing does not)."""
        await self._write(
            "UPDATE publish_queue SET not_before = ?, last_error = ?, attempts = attempts + ? "
            "WHERE id = ?",
            (to_utc_text(not_before), error, int(attempt), task_id),
        )

    async def refuse_publish(self, task_id: int, *, error: str) -> None:
        """Give up publishing this message (permission refused, message gone)."""
        await self._write(
            "UPDATE publish_queue SET status = 'refused', last_error = ?, attempts = attempts + 1 "
            "WHERE id = ?",
            (error, task_id),
        )

    async def _write(self, sql: str, params: tuple[object, ...]) -> None:
        async with self._library.transaction() as conn:
            await conn.execute(sql, params)

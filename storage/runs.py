"""Run claims of digest schedules: the `digest_runs` rows that make delivery exactly once.

How a run moves through these rows, and what a restart does with each state, is told in
storage/schedules.py; `ScheduleStore` builds on `RunStore`.

Several processes may share one PostgreSQL library. Each `RunStore` is one owner: a claim
carries its owner and a lease (LEASE), which the owner renews while alive (`renew_leases`). A
claimed run whose lease ran out was left by a process that died; `take_over` hands such runs to
the caller, each to one caller only (`FOR UPDATE SKIP LOCKED`). On SQLite one process owns the
file, so every claimed run of another owner (an earlier start) is taken over at once."""

from __future__ import annotations

import datetime as dt
import os
import secrets
import socket
from contextlib import AbstractAsyncContextManager
from typing import Protocol

from briefs.digests.compose import RunRecord, RunStatus, Trigger
from storage.db import Connection, Row
from storage.rows import from_utc_text, to_utc_text

RUN_COLUMNS = (
    "r.id, r.schedule_id, r.scheduled_for, r.trigger, r.status, r.message_ids, r.error, "
    "r.cursor_to, r.thread_id"
)

_RETURNED = RUN_COLUMNS.replace("r.", "")  # SQLite's RETURNING takes no table alias
LEASE = dt.timedelta(seconds=45)  # the owner renews it every third of that; a dead one's expires
_TAKE_OVER = (
    "UPDATE digest_runs SET lease_owner = ?, lease_until = ? WHERE id IN ("  # noqa: S608  # fixed fragment
    "SELECT id FROM digest_runs WHERE status = 'claimed' AND coalesce(lease_owner, '') <> ? "
    "AND (lease_until IS NULL OR lease_until <= ? OR ? = 'sqlite') ORDER BY id LIMIT 100{LOCK}) "
    f"RETURNING {_RETURNED}"
)


def new_owner() -> str:
    """A name for this store's claims: host, process and a random part (unique per start)."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"


class Library(Protocol):
    """What the store needs of the library (storage.store.LibraryStore): its transactions."""

    def transaction(self) -> AbstractAsyncContextManager[Connection]:
        """A write transaction; nests as a savepoint."""
        ...

    def snapshot(self) -> AbstractAsyncContextManager[Connection]:
        """A consistent read."""
        ...


def time_or_none(text: str | None) -> dt.datetime | None:
    return None if text is None else from_utc_text(text)


def run_record(row: Row) -> RunRecord:
    ids = tuple(int(x) for x in row[5].split(",") if x)
    return RunRecord(
        int(row[0]),
        int(row[1]),
        from_utc_text(row[2]),
        row[3],
        row[4],
        ids,
        row[6],
        time_or_none(row[7]),
        None if row[8] is None else int(row[8]),
    )


class RunStore:
    """Claims, recorded messages and the unfinished runs a restart has to settle."""

    def __init__(
        self, library: Library, *, owner: str | None = None, lease: dt.timedelta = LEASE
    ) -> None:
        self._library = library
        self.owner = owner or new_owner()
        self.lease = lease

    async def claim(
        self,
        schedule_id: int,
        scheduled_for: dt.datetime,
        *,
        trigger: Trigger,
        cursor_to: dt.datetime | None,
        now: dt.datetime,
    ) -> RunRecord | None:
        """Take the run key; None when it was taken before (then nothing may be posted)."""
        return await self._insert_run(
            schedule_id, scheduled_for, trigger, "claimed", cursor_to, None, now
        )

    async def record_skip(
        self, schedule_id: int, scheduled_for: dt.datetime, *, reason: str, now: dt.datetime
    ) -> bool:
        """Record a run as skipped; False when that run key exists already."""
        run = await self._insert_run(
            schedule_id, scheduled_for, "schedule", "skipped", None, reason, now
        )
        return run is not None

    async def _insert_run(
        self,
        schedule_id: int,
        scheduled_for: dt.datetime,
        trigger: Trigger,
        status: RunStatus,
        cursor_to: dt.datetime | None,
        error: str | None,
        now: dt.datetime,
    ) -> RunRecord | None:
        finished = None if status == "claimed" else to_utc_text(now)
        async with self._library.transaction() as conn:
            rows = await conn.fetch(
                "INSERT INTO digest_runs (schedule_id, scheduled_for, trigger, status, cursor_to, "  # noqa: S608  # fixed fragment
                "error, claimed_at, finished_at, lease_owner, lease_until) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                f"ON CONFLICT (schedule_id, scheduled_for) DO NOTHING RETURNING {_RETURNED}",
                (
                    schedule_id, to_utc_text(scheduled_for), trigger, status,
                    to_utc_text(cursor_to) if cursor_to else None, error, to_utc_text(now),
                    finished, self.owner, to_utc_text(now + self.lease),
                ),
            )  # fmt: skip
        # no row: the run key exists, claimed or recorded before
        return run_record(rows[0]) if rows else None

    async def hold(self, run_id: int, *, now: dt.datetime) -> bool:
        """Whether this owner still holds the claimed run, renewing its lease when it does.

        Asked before each message of a run is posted. False once another owner took the run
        over (or it was finished): then this owner must post nothing more of it. The check
        and the renewal are one conditional UPDATE, so it and a `take_over` of the same row
        are serialized by the row: whichever comes first wins, the other sees the change.
        A lease that ran out with no taker yet is still this owner's, and is renewed. The
        lease never moves back (a caller's clock may lag the renewer's)."""
        until = to_utc_text(now + self.lease)
        async with self._library.transaction() as conn:
            held = await conn.execute(
                "UPDATE digest_runs SET lease_until = CASE WHEN lease_until > ? "
                "THEN lease_until ELSE ? END "
                "WHERE id = ? AND status = 'claimed' AND lease_owner = ?",
                (until, until, run_id, self.owner),
            )
        return held == 1

    async def record_message(
        self, run_id: int, message_id: int, *, publish: bool, now: dt.datetime
    ) -> bool:
        """Note a posted message on its run, and queue its publishing when asked, atomically.

        False (nothing noted) when the run is no longer this owner's: the process that took
        it over finds the message in the channel and notes it itself."""
        async with self._library.transaction() as conn:
            noted = await conn.execute(
                "UPDATE digest_runs SET message_ids = message_ids || "
                "CASE WHEN message_ids = '' THEN '' ELSE ',' END || ? "
                "WHERE id = ? AND status = 'claimed' AND lease_owner = ?",
                (str(message_id), run_id, self.owner),
            )
            if noted == 0:
                return False
            if publish:
                await conn.execute(
                    "INSERT INTO publish_queue (guild_id, channel_id, message_id, "
                    "not_before, created_at) SELECT s.guild_id, s.channel_id, CAST(? AS BIGINT), "
                    "CAST(? AS TEXT), CAST(? AS TEXT) "
                    "FROM digest_runs r JOIN digest_schedules s ON s.id = r.schedule_id "
                    "WHERE r.id = ? ON CONFLICT DO NOTHING",
                    (message_id, to_utc_text(now), to_utc_text(now), run_id),
                )
        return True

    async def record_thread(self, run_id: int, thread_id: int) -> None:
        """Note the run's forum post or discussion thread as soon as Discord made it."""
        async with self._library.transaction() as conn:
            await conn.execute(
                "UPDATE digest_runs SET thread_id = ? WHERE id = ?", (thread_id, run_id)
            )

    async def set_cursor(self, run_id: int, cursor_to: dt.datetime | None) -> None:
        """Record where a claimed run's digest ends (it is composed after the claim)."""
        async with self._library.transaction() as conn:
            await conn.execute(
                "UPDATE digest_runs SET cursor_to = ? WHERE id = ?",
                (to_utc_text(cursor_to) if cursor_to else None, run_id),
            )

    async def renew_leases(self, *, now: dt.datetime) -> int:
        """Extend the leases of this owner's claimed runs; how many it holds."""
        async with self._library.transaction() as conn:
            return await conn.execute(
                "UPDATE digest_runs SET lease_until = ? "
                "WHERE lease_owner = ? AND status = 'claimed'",
                (to_utc_text(now + self.lease), self.owner),
            )

    async def take_over(self, *, now: dt.datetime) -> list[RunRecord]:
        """Claimed runs whose owner is gone (lease expired), now leased to this owner."""
        async with self._library.transaction() as conn:
            lock = " FOR UPDATE SKIP LOCKED" if conn.dialect == "postgres" else ""
            rows = await conn.fetch(
                _TAKE_OVER.replace("{LOCK}", lock),
                (
                    self.owner, to_utc_text(now + self.lease), self.owner, to_utc_text(now),
                    conn.dialect,
                ),
            )  # fmt: skip
        return sorted((run_record(r) for r in rows), key=lambda run: run.id)

    async def unfinished_runs(self) -> list[RunRecord]:
        """Every run still claimed, by any owner, alive or not."""
        sql = f"SELECT {RUN_COLUMNS} FROM digest_runs r WHERE r.status = 'claimed' ORDER BY r.id"  # noqa: S608  # fixed fragment
        async with self._library.snapshot() as conn:
            return [run_record(r) for r in await conn.fetch(sql)]

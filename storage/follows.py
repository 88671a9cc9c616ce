"""Follows and alerts in the brief library: who follows which person or topic into which
channel, and which alerts were sent. `storage.sources.SourcesStore` adds feeds on top."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from briefs.errors import AlreadySubscribed, LimitReached, NotFound
from briefs.sources.follows import Alert, Follow, FollowKind, follow_key
from storage.db import Connection, Row
from storage.rows import from_utc_text, to_utc_text
from storage.runs import Library

_FOLLOW = "id, guild_id, channel_id, kind, name, key, created_by, created_at"


def _follow(row: Row) -> Follow:
    kind: FollowKind = "person" if row[3] == "person" else "topic"
    return Follow(
        id=row[0],
        guild_id=row[1],
        channel_id=row[2],
        kind=kind,
        name=row[4],
        key=row[5],
        created_by=row[6],
        created_at=None if row[7] is None else from_utc_text(row[7]),
    )


class FollowStore:
    """Follows and sent alerts, sharing the brief library's connection and transactions."""

    def __init__(self, library: Library, *, max_follows: int = 50) -> None:
        self._library = library
        self._transaction = library.transaction
        self.max_follows = max_follows

    async def _rows(self, sql: str, params: Iterable[Any] = ()) -> list[Row]:  # Any: SQL values
        """Rows of one read (inside a transaction, it reads through it)."""
        async with self._library.snapshot() as conn:
            return await conn.fetch(sql, tuple(params))

    @staticmethod
    async def _insert(conn: Connection, sql: str, params: Iterable[Any]) -> int:  # Any: values
        """Run one INSERT … RETURNING id; the new row's id."""
        rows = await conn.fetch(sql, tuple(params))
        return int(rows[0][0])

    async def _count(self, table: str, guild_id: int) -> int:
        rows = await self._rows(f"SELECT count(*) FROM {table} WHERE guild_id = ?", (guild_id,))  # noqa: S608  # table is one of ours
        return int(rows[0][0])

    async def add_follow(
        self,
        *,
        guild_id: int,
        channel_id: int,
        kind: FollowKind,
        name: str,
        created_by: int | None,
        now: dt.datetime,
    ) -> Follow:
        """Follow a person or topic into a channel; AlreadySubscribed or LimitReached."""
        key = follow_key(name)
        async with self._transaction() as conn:
            same = await self._rows(
                "SELECT id FROM follows WHERE guild_id = ? AND channel_id = ? AND kind = ? "
                "AND key = ?",
                (guild_id, channel_id, kind, key),
            )
            if same:
                raise AlreadySubscribed("follow", same[0][0])
            if await self._count("follows", guild_id) >= self.max_follows:
                raise LimitReached("follows", self.max_follows)
            follow_id = await self._insert(
                conn,
                "INSERT INTO follows (guild_id, channel_id, kind, name, key, created_by, "
                "created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (guild_id, channel_id, kind, name, key, created_by, to_utc_text(now)),
            )
        return Follow(follow_id, guild_id, channel_id, kind, name, key, created_by, now)

    async def list_follows(self, *, guild_id: int) -> list[Follow]:
        """A guild's follows, oldest first."""
        rows = await self._rows(
            f"SELECT {_FOLLOW} FROM follows WHERE guild_id = ? ORDER BY id",  # noqa: S608  # constant columns
            (guild_id,),
        )
        return [_follow(r) for r in rows]

    async def remove_follow(self, follow_id: int, *, guild_id: int) -> Follow:
        """Remove one of the guild's follows; NotFound otherwise."""
        rows = await self._rows(
            f"SELECT {_FOLLOW} FROM follows WHERE id = ? AND guild_id = ?",  # noqa: S608  # constant columns
            (follow_id, guild_id),
        )
        if not rows:
            raise NotFound("follow", follow_id)
        async with self._transaction() as conn:
            await conn.execute("DELETE FROM alert_log WHERE follow_id = ?", (follow_id,))
            await conn.execute("DELETE FROM follows WHERE id = ?", (follow_id,))
        return _follow(rows[0])

    async def follows_in_scope(self, guild_id: int | None) -> list[Follow]:
        """The follows a brief in this scope can alert: the guild's, or every guild's for None."""
        if guild_id is None:
            rows = await self._rows(f"SELECT {_FOLLOW} FROM follows ORDER BY id")  # noqa: S608  # constant columns
        else:
            rows = await self._rows(
                f"SELECT {_FOLLOW} FROM follows WHERE guild_id = ? ORDER BY id",  # noqa: S608  # constant columns
                (guild_id,),
            )
        return [_follow(r) for r in rows]

    async def alerted(self, pairs: Iterable[tuple[int, int]]) -> set[tuple[int, int]]:
        """Which (follow id, brief id) pairs were alerted already."""
        done: set[tuple[int, int]] = set()
        for follow_id, brief_id in pairs:
            rows = await self._rows(
                "SELECT 1 FROM alert_log WHERE follow_id = ? AND brief_id = ?",
                (follow_id, brief_id),
            )
            if rows:
                done.add((follow_id, brief_id))
        return done

    async def alerts_since(self, channel_ids: Iterable[int], since: dt.datetime) -> dict[int, int]:
        """How many alerts each channel got since a moment (for the hourly cap)."""
        counts: dict[int, int] = {}
        for channel_id in set(channel_ids):
            rows = await self._rows(
                "SELECT count(*) FROM alert_log WHERE channel_id = ? AND sent_at > ?",
                (channel_id, to_utc_text(since)),
            )
            counts[channel_id] = int(rows[0][0])
        return counts

    async def record_alerts(self, alerts: Sequence[Alert], *, now: dt.datetime) -> None:
        """Log alerts as sent, all or none."""
        async with self._transaction() as conn:
            for alert in alerts:
                await conn.execute(
                    "INSERT INTO alert_log (follow_id, brief_id, channel_id, sent_at) "
                    "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                    (alert.follow_id, alert.brief_id, alert.channel_id, to_utc_text(now)),
                )

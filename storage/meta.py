"""Key/value facts about the installation, such as the last command sync."""

from __future__ import annotations

import datetime as dt

import aiosqlite


class MetaStore:
    """Reads and writes the `meta` table on the library's connection."""

    def __init__(self, connection: aiosqlite.Connection) -> None:
        self._db = connection

    async def get(self, key: str) -> str | None:
        """The value for `key`, or None."""
        async with self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)) as cursor:
            row = await cursor.fetchone()
        return None if row is None else str(row[0])

    async def set(self, key: str, value: str) -> None:
        """Store `value` for `key`, replacing any earlier value."""
        now = dt.datetime.now(dt.UTC).isoformat()
        await self._db.execute(
            "INSERT INTO meta(key, value, updated_at) VALUES (?, ?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value, "
            "updated_at = excluded.updated_at",
            (key, value, now),
        )
        await self._db.commit()

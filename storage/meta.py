"""Key/value facts about the installation, such as the last command sync."""

from __future__ import annotations

import datetime as dt

from storage.runs import Library


class MetaStore:
    """Reads and writes the `meta` table through the library's transactions."""

    def __init__(self, library: Library) -> None:
        self._library = library

    async def get(self, key: str) -> str | None:
        """The value for `key`, or None."""
        async with self._library.snapshot() as conn:
            rows = await conn.fetch("SELECT value FROM meta WHERE key = ?", (key,))
        return str(rows[0][0]) if rows else None

    async def set(self, key: str, value: str) -> None:
        """Store `value` for `key`, replacing any earlier value."""
        now = dt.datetime.now(dt.UTC).isoformat()
        async with self._library.transaction() as conn:
            await conn.execute(
                "INSERT INTO meta(key, value, updated_at) VALUES (?, ?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value, "
                "updated_at = excluded.updated_at",
                (key, value, now),
            )

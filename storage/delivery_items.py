"""Queueing a feed's entries for its deliveries, inside the transaction that stores the entry."""

from __future__ import annotations

import datetime as dt

import aiosqlite

from storage.rows import to_utc_text


async def enqueue_entry(
    conn: aiosqlite.Connection, feed_id: int, entry_id: str, brief_id: int, *, now: dt.datetime
) -> None:
    """Queue a stored entry for every delivery of its feed (the caller holds the transaction).

    One article reaches a channel once: (delivery, entry) and (channel, brief) are unique."""
    await conn.execute(
        "INSERT OR IGNORE INTO delivery_items (delivery_id, feed_id, entry_id, channel_id, "
        "brief_id, not_before, created_at) SELECT id, feed_id, ?, channel_id, ?, ?, ? "
        "FROM feed_deliveries WHERE feed_id = ?",
        (entry_id, brief_id, to_utc_text(now), to_utc_text(now), feed_id),
    )


async def revise_items(
    conn: aiosqlite.Connection, old_brief_id: int, new_brief_id: int, *, now: dt.datetime
) -> None:
    """Point an article's items at its new revision; posted ones await their 'what changed'."""
    await conn.execute(
        "UPDATE delivery_items SET brief_id = ?, "
        "revised = CASE WHEN status = 'posted' THEN 1 ELSE revised END, "
        "not_before = CASE WHEN status = 'posted' THEN max(not_before, ?) ELSE not_before END "
        "WHERE brief_id = ?",
        (new_brief_id, to_utc_text(now), old_brief_id),
    )

"""Queueing a feed's entries for its deliveries, inside the transaction that stores the entry."""

from __future__ import annotations

import datetime as dt

from storage.db import Connection
from storage.rows import to_utc_text


async def enqueue_entry(
    conn: Connection, feed_id: int, entry_id: str, brief_id: int, *, now: dt.datetime
) -> None:
    """Queue a stored entry for every delivery of its feed (the caller holds the transaction).

    One article reaches a channel once: (delivery, entry) and (channel, brief) are unique.
    The selected values are cast: PostgreSQL types a bare parameter of a SELECT list as text."""
    await conn.execute(
        "INSERT INTO delivery_items (delivery_id, feed_id, entry_id, channel_id, brief_id, "
        "not_before, created_at) SELECT id, feed_id, CAST(? AS TEXT), channel_id, "
        "CAST(? AS BIGINT), CAST(?3 AS TEXT), CAST(?3 AS TEXT) FROM feed_deliveries "
        "WHERE feed_id = ?4 ON CONFLICT DO NOTHING",
        (entry_id, brief_id, to_utc_text(now), feed_id),
    )


async def revise_items(
    conn: Connection, old_brief_id: int, new_brief_id: int, *, now: dt.datetime
) -> None:
    """Point an article's items at its new revision; posted ones await their 'what changed'."""
    await conn.execute(
        "UPDATE delivery_items SET brief_id = ?1, "
        "revised = CASE WHEN status = 'posted' THEN 1 ELSE revised END, "
        "not_before = CASE WHEN status = 'posted' AND not_before < ?2 THEN ?2 "
        "ELSE not_before END WHERE brief_id = ?3",
        (new_brief_id, to_utc_text(now), old_brief_id),
    )

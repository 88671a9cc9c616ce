"""Brief-level reads (latest, since, export, figures, quotes) and removal."""

from __future__ import annotations

import datetime as dt

from briefs.model import BriefRef, FigureHit, QuoteHit, StoredBrief
from storage import pg_search, search
from storage.cards import figure_hit, quote_hit
from storage.db import Connection
from storage.people import collect_orphans, forget, refresh_keys
from storage.rows import ref_from_row, sql, stored_from_row, to_utc_text

TOPIC_BRIEFS = 10  # recent briefs a topic's figures are taken from


async def latest(conn: Connection, n: int, guild_id: int | None) -> list[BriefRef]:
    """The scope's briefs by when the article was published, newest first (undated ones last)."""
    query = sql(
        "SELECT {REF} FROM briefs b WHERE {VISIBLE} "
        "ORDER BY b.published IS NULL, b.published DESC, b.ingested_at DESC, b.id DESC LIMIT ?"
    )
    return [ref_from_row(r) for r in await conn.fetch(query, (guild_id, max(0, n)))]


async def since(
    conn: Connection, cursor: dt.datetime | None, guild_id: int | None, limit: int
) -> list[StoredBrief]:
    """Briefs ingested strictly after `cursor`, newest first."""
    after = to_utc_text(cursor) if cursor else ""
    query = sql(
        "SELECT {STORED} FROM briefs b WHERE b.ingested_at > ? AND {VISIBLE} "
        "ORDER BY b.id DESC LIMIT ?"
    )
    return [stored_from_row(r) for r in await conn.fetch(query, (after, guild_id, max(0, limit)))]


async def export(conn: Connection, guild_id: int | None) -> list[StoredBrief]:
    """Every brief the scope sees, oldest first."""
    query = sql("SELECT {STORED} FROM briefs b WHERE {VISIBLE} ORDER BY b.id")
    return [stored_from_row(r) for r in await conn.fetch(query, (guild_id,))]


async def figures(
    conn: Connection,
    guild_id: int | None,
    brief_id: int | None,
    topic: str | None,
    limit: int,
) -> list[FigureHit]:
    """Figures of one brief, of recent briefs on a topic, or of the latest brief with figures."""
    if brief_id is not None:
        ids = [brief_id]
    elif topic is not None and topic.strip():
        text = pg_search if conn.dialect == "postgres" else search
        ids = await text.topic_briefs(conn, topic, guild_id, TOPIC_BRIEFS)
    else:
        query = sql(
            "SELECT b.id FROM briefs b WHERE {VISIBLE} "
            "AND EXISTS (SELECT 1 FROM figures f WHERE f.brief_id = b.id) "
            "ORDER BY b.id DESC LIMIT 1"
        )
        ids = [int(r[0]) for r in await conn.fetch(query, (guild_id,))]
    if not ids or limit < 1:
        return []
    query = sql(
        "SELECT {REF}, {FIGURE} FROM figures f JOIN briefs b ON b.id = f.brief_id "
        "WHERE f.brief_id IN ({marks}) AND {VISIBLE} ORDER BY f.brief_id DESC, f.ord LIMIT ?",
        len(ids),
    )
    return [figure_hit(r) for r in await conn.fetch(query, (*ids, guild_id, limit))]


async def quotes(
    conn: Connection, guild_id: int | None, brief_id: int | None, limit: int
) -> list[QuoteHit]:
    """Quotes of one brief in article order, or the latest quotes, newest brief first."""
    query = sql(
        "SELECT {REF}, {QUOTE} FROM quotes q JOIN briefs b ON b.id = q.brief_id "
        "WHERE (q.brief_id = ? OR CAST(? AS BIGINT) IS NULL) AND {VISIBLE} "
        "ORDER BY q.brief_id DESC, q.ord LIMIT ?"
    )
    params = (brief_id, brief_id, guild_id, max(0, limit))
    return [quote_hit(r) for r in await conn.fetch(query, params)]


async def remove(conn: Connection, brief_id: int, guild_id: int | None) -> bool:
    """Delete a brief of exactly this scope, its article and earlier revisions; True if found."""
    rows = await conn.fetch(
        "SELECT source FROM articles WHERE id = ? AND ifnull(guild_id, 0) = ? AND superseded = 0",
        (brief_id, guild_id or 0),
    )
    if not rows:
        return False
    row = rows[0]
    person_ids = await forget(conn, brief_id)
    await conn.execute("DELETE FROM articles WHERE id = ?", (brief_id,))
    if row[0] is not None:
        await conn.execute(
            "DELETE FROM articles WHERE ifnull(guild_id, 0) = ? AND source = ? AND superseded = 1",
            (guild_id or 0, row[0]),
        )
    await refresh_keys(conn, person_ids, guild_id or 0)
    await collect_orphans(conn, person_ids)
    return True

"""Full-text queries: search, find by headline words, headline autocomplete, topic briefs.

User text never reaches FTS5 syntax: it is cut into words and each word is quoted."""

from __future__ import annotations

import re

import aiosqlite

from briefs.model import BriefRef, SearchHit, StoredBrief
from storage.rows import REF_WIDTH, ref_from_row, sql, stored_from_row

_WORD = re.compile(r"[^\W_]+")
_ID = re.compile(r"\s*#?\s*(\d{1,18})\s*")
MAX_TERMS = 12
MAX_INPUT = 2000  # characters of user text looked at; the rest cannot change the answer much


def terms(text: str) -> list[str]:
    """The distinct words of user text, lower-cased, at most MAX_TERMS."""
    words = dict.fromkeys(w.lower() for w in _WORD.findall(text[:MAX_INPUT]))
    return list(words)[:MAX_TERMS]


def all_of(words: list[str], *, last_prefix: bool = False) -> str:
    """An FTS5 query matching every word (quoted, so no word is an operator)."""
    quoted = [f'"{w}"' for w in words]
    if last_prefix and quoted:
        quoted[-1] += "*"
    return " ".join(quoted)


def any_of(words: list[str]) -> str:
    """An FTS5 query matching any of the words."""
    return " OR ".join(f'"{w}"' for w in words)


async def search(
    conn: aiosqlite.Connection, text: str, guild_id: int | None, limit: int
) -> list[SearchHit]:
    """Briefs matching all words (or, failing that, any word), best first, with a snippet."""
    words = terms(text)
    if not words or limit < 1:
        return []
    hits = await _ranked(conn, all_of(words), guild_id, limit)
    if not hits and len(words) > 1:
        hits = await _ranked(conn, any_of(words), guild_id, limit)
    return hits


async def _ranked(
    conn: aiosqlite.Connection, query: str, guild_id: int | None, limit: int
) -> list[SearchHit]:
    """One ranked FTS query (bm25 weights are configured on the table)."""
    statement = sql(
        "SELECT {REF}, snippet(briefs_fts, -1, '**', '**', '…', 16), briefs_fts.rank "
        "FROM briefs_fts JOIN briefs b ON b.id = briefs_fts.rowid "
        "WHERE briefs_fts MATCH ? AND {VISIBLE} ORDER BY briefs_fts.rank LIMIT ?"
    )
    async with conn.execute(statement, (query, guild_id, limit)) as cursor:
        rows = await cursor.fetchall()
    return [SearchHit(ref_from_row(r), r[REF_WIDTH], -float(r[REF_WIDTH + 1])) for r in rows]


async def find(conn: aiosqlite.Connection, text: str, guild_id: int | None) -> StoredBrief | None:
    """A brief by id ("12", "#12"), else the best headline match, else the best text match."""
    match = _ID.fullmatch(text)
    if match:
        found = await get(conn, int(match.group(1)), guild_id)
        if found:
            return found
    words = terms(text)
    if not words:
        return None
    for query in (f"{{headline}} : ({all_of(words)})", all_of(words)):
        statement = sql(
            "SELECT {STORED} FROM briefs_fts JOIN briefs b ON b.id = briefs_fts.rowid "
            "WHERE briefs_fts MATCH ? AND {VISIBLE} ORDER BY briefs_fts.rank LIMIT 1"
        )
        async with conn.execute(statement, (query, guild_id)) as cursor:
            row = await cursor.fetchone()
        if row:
            return stored_from_row(row)
    return None


async def get(
    conn: aiosqlite.Connection, brief_id: int, guild_id: int | None
) -> StoredBrief | None:
    """One brief by id, if the scope sees it."""
    if not -(2**63) <= brief_id < 2**63:
        return None
    statement = sql("SELECT {STORED} FROM briefs b WHERE b.id = ? AND {VISIBLE}")
    async with conn.execute(statement, (brief_id, guild_id)) as cursor:
        row = await cursor.fetchone()
    return stored_from_row(row) if row else None


async def complete_headlines(
    conn: aiosqlite.Connection, prefix: str, guild_id: int | None, limit: int
) -> list[BriefRef]:
    """Newest briefs whose headline has the words, the last one as a prefix."""
    words = terms(prefix)
    if limit < 1:
        return []
    if not words:
        statement = sql("SELECT {REF} FROM briefs b WHERE {VISIBLE} ORDER BY b.id DESC LIMIT ?")
        params: tuple[object, ...] = (guild_id, limit)
    else:
        query = all_of(words, last_prefix=not prefix[-1:].isspace())
        statement = sql(
            "SELECT {REF} FROM headlines_fts JOIN briefs b ON b.id = headlines_fts.rowid "
            "WHERE headlines_fts MATCH ? AND {VISIBLE} ORDER BY headlines_fts.rowid DESC LIMIT ?"
        )
        params = (query, guild_id, limit)
    async with conn.execute(statement, params) as cursor:
        return [ref_from_row(r) for r in await cursor.fetchall()]


async def topic_briefs(
    conn: aiosqlite.Connection, topic: str, guild_id: int | None, limit: int
) -> list[int]:
    """Ids of the newest briefs matching every word of a topic."""
    words = terms(topic)
    if not words:
        return []
    statement = sql(
        "SELECT b.id FROM briefs_fts JOIN briefs b ON b.id = briefs_fts.rowid "
        "WHERE briefs_fts MATCH ? AND {VISIBLE} ORDER BY briefs_fts.rowid DESC LIMIT ?"
    )
    async with conn.execute(statement, (all_of(words), guild_id, limit)) as cursor:
        return [int(r[0]) for r in await cursor.fetchall()]

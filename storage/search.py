"""Full-text queries: search, find by headline words, headline autocomplete, topic briefs.

User text never reaches FTS5 syntax: it is cut into words and each word is quoted.

Ranking costs: bm25 reads every match (about 1 µs each, after a pass over each word's whole
posting list for its weight), so a word found in 90,000 briefs took 100 ms. Ranked queries
therefore rank only the newest RANK_WINDOW matches: the window's lowest rowid is found in
rowid order (no ranking), then `rowid >= floor` bounds FTS5's own rank-ordered scan. Stop-words
are dropped from a query that has other words: they match nearly every brief and weigh nothing."""

from __future__ import annotations

import re
from collections.abc import Sequence

from briefs.model import BriefRef, SearchHit, StoredBrief
from storage.db import Connection, Row
from storage.rows import REF_WIDTH, ref_from_row, sql, stored_from_row

_WORD = re.compile(r"[^\W_]+")
_ID = re.compile(r"\s*#?\s*(\d{1,18})\s*")
MAX_TERMS = 12
MAX_INPUT = 2000  # characters of user text looked at; the rest cannot change the answer much
RANK_WINDOW = 5_000  # newest matches ranked when a query matches more (news: recent first)
_NO_WINDOW = 2**62  # an offset past every match: the floor is 0, everything is ranked
# Words that match nearly every brief and carry no weight in bm25.
STOP_WORDS = frozenset(
    {"a", "an", "and", "are", "as", "at", "be", "been", "but", "by", "for", "from", "had", "has"}
    | {"have", "he", "her", "his", "i", "if", "in", "into", "is", "it", "its", "of", "on", "or"}
    | {"our", "she", "so", "than", "that", "the", "their", "them", "then", "there", "these"}
    | {"they", "this", "those", "to", "was", "we", "were", "what", "when", "which", "who"}
    | {"will", "with", "you"}
)


def _words(text: str) -> list[str]:
    """The distinct words of user text, lower-cased, in order."""
    return list(dict.fromkeys(w.lower() for w in _WORD.findall(text[:MAX_INPUT])))


def terms(text: str) -> list[str]:
    """The distinct words of user text, lower-cased, at most MAX_TERMS."""
    return _words(text)[:MAX_TERMS]


def content_terms(text: str) -> list[str]:
    """Like `terms`, without stop-words unless stop-words are all the text has."""
    words = _words(text)
    content = [w for w in words if w not in STOP_WORDS]
    return (content or words)[:MAX_TERMS]


def all_of(words: list[str], *, last_prefix: bool = False) -> str:
    """An FTS5 query matching every word (quoted, so no word is an operator)."""
    quoted = [f'"{w}"' for w in words]
    if last_prefix and quoted:
        quoted[-1] += "*"
    return " ".join(quoted)


def any_of(words: list[str]) -> str:
    """An FTS5 query matching any of the words."""
    return " OR ".join(f'"{w}"' for w in words)


async def search(conn: Connection, text: str, guild_id: int | None, limit: int) -> list[SearchHit]:
    """Briefs matching all words (or, failing that, any word), best first, with a snippet."""
    words = content_terms(text)
    if not words or limit < 1:
        return []
    hits = await _ranked(conn, all_of(words), guild_id, limit)
    if not hits and len(words) > 1:
        hits = await _ranked(conn, any_of(words), guild_id, limit)
    return hits


async def _ranked(
    conn: Connection, query: str, guild_id: int | None, limit: int
) -> list[SearchHit]:
    """One ranked FTS query (bm25 weights are configured on the table), snippets of the hits."""
    statement = sql(
        "SELECT {REF}, snippet(briefs_fts, -1, '**', '**', '…', 16), briefs_fts.rank "
        "FROM briefs_fts JOIN briefs b ON b.id = briefs_fts.rowid "
        "WHERE briefs_fts MATCH ?1 AND briefs_fts.rowid >= coalesce((SELECT rowid FROM briefs_fts "
        "WHERE briefs_fts MATCH ?1 ORDER BY rowid DESC LIMIT 1 OFFSET ?2), 0) AND {VISIBLE} "
        "ORDER BY briefs_fts.rank LIMIT ?"
    )
    rows = await best(conn, statement, query, guild_id, limit)
    return [SearchHit(ref_from_row(r), r[REF_WIDTH], -float(r[REF_WIDTH + 1])) for r in rows]


async def best(
    conn: Connection, statement: str, query: str, guild_id: int | None, limit: int
) -> Sequence[Row]:
    """Rows of a rank-ordered statement taking (query ?1, window offset ?2, guild id, limit).

    Only the newest RANK_WINDOW matches are ranked: the statement finds the window's lowest
    rowid itself (`rowid >= coalesce((… OFFSET ?2), 0)`, a constant subquery FTS5 takes as a
    rowid bound), so a search is one trip to the database. If that window holds too few briefs
    the scope sees (other guilds' briefs crowd it), everything is ranked after all."""
    rows = list(await conn.fetch(statement, (query, RANK_WINDOW - 1, guild_id, limit)))
    if len(rows) < limit and await window_floor(conn, query) is not None:
        rows = list(await conn.fetch(statement, (query, _NO_WINDOW, guild_id, limit)))
    return rows


async def window_floor(conn: Connection, query: str) -> int | None:
    """The lowest rowid of the newest RANK_WINDOW matches; None when fewer match."""
    rows = await conn.fetch(
        "SELECT rowid FROM briefs_fts WHERE briefs_fts MATCH ? "
        "ORDER BY rowid DESC LIMIT 1 OFFSET ?",
        (query, RANK_WINDOW - 1),
    )
    return next((int(r[0]) for r in rows), None)


async def find(conn: Connection, text: str, guild_id: int | None) -> StoredBrief | None:
    """A brief by id ("12", "#12"), else the best headline match, else the best text match."""
    match = _ID.fullmatch(text)
    if match:
        found = await get(conn, int(match.group(1)), guild_id)
        if found:
            return found
    words = content_terms(text)
    if not words:
        return None
    statement = sql(
        "SELECT {STORED} FROM briefs_fts JOIN briefs b ON b.id = briefs_fts.rowid "
        "WHERE briefs_fts MATCH ?1 AND briefs_fts.rowid >= coalesce((SELECT rowid FROM briefs_fts "
        "WHERE briefs_fts MATCH ?1 ORDER BY rowid DESC LIMIT 1 OFFSET ?2), 0) AND {VISIBLE} "
        "ORDER BY briefs_fts.rank LIMIT ?"
    )
    for query in (f"{{headline}} : ({all_of(words)})", all_of(words)):
        rows = await best(conn, statement, query, guild_id, 1)
        if rows:
            return stored_from_row(rows[0])
    return None


async def get(conn: Connection, brief_id: int, guild_id: int | None) -> StoredBrief | None:
    """One brief by id, if the scope sees it."""
    if not -(2**63) <= brief_id < 2**63:
        return None
    statement = sql("SELECT {STORED} FROM briefs b WHERE b.id = ? AND {VISIBLE}")
    rows = await conn.fetch(statement, (brief_id, guild_id))
    return next((stored_from_row(r) for r in rows), None)


async def complete_headlines(
    conn: Connection, prefix: str, guild_id: int | None, limit: int
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
    return [ref_from_row(r) for r in await conn.fetch(statement, params)]


async def topic_briefs(conn: Connection, topic: str, guild_id: int | None, limit: int) -> list[int]:
    """Ids of the newest briefs matching every word of a topic."""
    words = terms(topic)
    if not words:
        return []
    statement = sql(
        "SELECT b.id FROM briefs_fts JOIN briefs b ON b.id = briefs_fts.rowid "
        "WHERE briefs_fts MATCH ? AND {VISIBLE} ORDER BY briefs_fts.rowid DESC LIMIT ?"
    )
    return [int(r[0]) for r in await conn.fetch(statement, (all_of(words), guild_id, limit))]

"""Full-text queries on PostgreSQL: the same answers as storage/search.py, on tsvector and GIN.

`briefs.search` is a stored tsvector (headline weight A, highlights B, analysis C, body D) and
`briefs.headline_words` the headline's alone, both in the `briefbot` text search configuration
(simple words, accents removed, like FTS5's `remove_diacritics`). User text is cut into words
by the same rule as on SQLite (`search.terms`) and each word is quoted for
`websearch_to_tsquery`, which never fails on any input, so no word is ever an operator.

As on SQLite, only the newest RANK_WINDOW matches are ranked: a common word would otherwise
rank a tsvector per matching brief."""

from __future__ import annotations

from briefs.model import BriefRef, SearchHit, StoredBrief
from storage.db import Connection, Row
from storage.rows import REF_WIDTH, ref_from_row, sql, stored_from_row
from storage.search import _ID, RANK_WINDOW, content_terms, get, terms

SNIPPET = "StartSel=**, StopSel=**, MaxWords=16, MinWords=6, MaxFragments=1, FragmentDelimiter=…"
SNIPPET_TEXT = 4_000  # characters of a brief's text a snippet is looked for in

# ?1 the query text, ?2 the guild id, ?3 the window, ?4 the limit; {COLUMN} and {EXTRA} fixed.
_RANKED = (
    "SELECT {REF}{EXTRA} FROM (SELECT b.id, ts_rank(b.{COLUMN}, q) AS rank "
    "FROM briefs b, websearch_to_tsquery('briefbot', ?1) q "
    "WHERE b.{COLUMN} @@ q AND {VISIBLE} ORDER BY b.id DESC LIMIT ?3) top "
    "JOIN briefs b ON b.id = top.id ORDER BY top.rank DESC, b.id DESC LIMIT ?4"
)
_HIT = (
    ", ts_headline('briefbot', concat_ws(' ', b.headline, b.highlights, b.analysis, "
    f"left(b.body, {SNIPPET_TEXT})), websearch_to_tsquery('briefbot', ?1), '{SNIPPET}'), top.rank"
)


def all_of(words: list[str]) -> str:
    """websearch_to_tsquery text matching every word (each quoted)."""
    return " ".join(f'"{w}"' for w in words)


def any_of(words: list[str]) -> str:
    """websearch_to_tsquery text matching any of the words."""
    return " or ".join(f'"{w}"' for w in words)


def prefix_query(words: list[str], *, last_prefix: bool) -> str:
    """to_tsquery text: every word, the last as a prefix (words hold letters and digits only)."""
    parts = [f"'{w}'" for w in words]
    if last_prefix and parts:
        parts[-1] += ":*"
    return " & ".join(parts)


def _ranked(column: str, extra: str) -> str:
    return sql(_RANKED.replace("{COLUMN}", column).replace("{EXTRA}", extra))


async def _rows(
    conn: Connection, column: str, extra: str, query: str, guild_id: int | None, limit: int
) -> list[Row]:
    return await conn.fetch(_ranked(column, extra), (query, guild_id, RANK_WINDOW, limit))


async def search(conn: Connection, text: str, guild_id: int | None, limit: int) -> list[SearchHit]:
    """Briefs matching all words (or, failing that, any word), best first, with a snippet."""
    words = content_terms(text)
    if not words or limit < 1:
        return []
    rows = await _rows(conn, "search", _HIT, all_of(words), guild_id, limit)
    if not rows and len(words) > 1:
        rows = await _rows(conn, "search", _HIT, any_of(words), guild_id, limit)
    return [SearchHit(ref_from_row(r), r[REF_WIDTH], float(r[REF_WIDTH + 1])) for r in rows]


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
    extra = ", b.json, b.body"  # {STORED} is {REF} and these two
    for column in ("headline_words", "search"):
        rows = await _rows(conn, column, extra, all_of(words), guild_id, 1)
        if rows:
            return stored_from_row(rows[0])
    return None


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
        statement = sql(
            "SELECT {REF} FROM briefs b WHERE b.headline_words @@ to_tsquery('briefbot', ?) "
            "AND {VISIBLE} ORDER BY b.id DESC LIMIT ?"
        )
        query = prefix_query(words, last_prefix=not prefix[-1:].isspace())
        params = (query, guild_id, limit)
    return [ref_from_row(r) for r in await conn.fetch(statement, params)]


async def topic_briefs(conn: Connection, topic: str, guild_id: int | None, limit: int) -> list[int]:
    """Ids of the newest briefs matching every word of a topic."""
    words = terms(topic)
    if not words:
        return []
    statement = sql(
        "SELECT b.id FROM briefs b WHERE b.search @@ websearch_to_tsquery('briefbot', ?) "
        "AND {VISIBLE} ORDER BY b.id DESC LIMIT ?"
    )
    return [int(r[0]) for r in await conn.fetch(statement, (all_of(words), guild_id, limit))]

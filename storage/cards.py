"""What the library knows of a person in a scope: role, aliases, quotes, figures, briefs.

Cards for several people are read together, one statement per kind of fact: each statement
through aiosqlite is a round trip to its thread, which costs more than the reads themselves.
A statement is a UNION ALL of one arm per person, each arm `ORDER BY brief DESC LIMIT n` on
an index led by (person_id, brief_id), so a person named in 20,000 briefs still reads n rows."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import cast

import aiosqlite

from briefs.model import (
    BriefRef,
    Figure,
    FigureHit,
    FigureKind,
    PersonCard,
    Quote,
    QuoteHit,
    SpeakerKind,
)
from storage.rows import REF_WIDTH, Row, ref_from_row, sql
from storage.who import Match

PER_CARD = 10  # quotes, figures and briefs shown on a card
RECENT = 20  # latest appearances read for role, organisation and aliases
_ARMS = 100  # people per statement

# One arm per person (a subquery, so it keeps its own ORDER BY and LIMIT inside a UNION ALL):
# `?` person id, `?` guild id, `?` limit. Every arm ends with the order key (brief id, ord)
# and the person id, so rows can be regrouped and kept in order.
_RECENT = (
    "SELECT * FROM (SELECT {REF}, bp.name, bp.role, bp.organization, bp.aliases, 0, bp.person_id "
    "FROM brief_people bp JOIN briefs b ON b.id = bp.brief_id "
    "WHERE bp.person_id = ? AND {VISIBLE} ORDER BY bp.brief_id DESC LIMIT ?)"
)
_QUOTES = (
    "SELECT * FROM (SELECT {REF}, {QUOTE}, q.ord, q.person_id "
    "FROM quotes q JOIN briefs b ON b.id = q.brief_id "
    "WHERE q.person_id = ? AND {VISIBLE} ORDER BY q.brief_id DESC, q.ord LIMIT ?)"
)
_FIGURES = (
    "SELECT * FROM (SELECT {REF}, {FIGURE}, fp.ord, fp.person_id FROM figure_people fp "
    "JOIN figures f ON f.brief_id = fp.brief_id AND f.ord = fp.ord "
    "JOIN briefs b ON b.id = fp.brief_id WHERE fp.person_id = ? AND {VISIBLE} "
    "ORDER BY fp.brief_id DESC, fp.ord LIMIT ?)"
)


def quote_hit(row: Row) -> QuoteHit:
    """A QuoteHit from a row selected as `{REF}, {QUOTE}` (see storage.rows)."""
    text, speaker, kind, partial, sentence = row[REF_WIDTH : REF_WIDTH + 5]
    quote = Quote(text, speaker, cast(SpeakerKind, kind), bool(partial), sentence)
    return QuoteHit(quote, ref_from_row(row))


def figure_hit(row: Row) -> FigureHit:
    """A FigureHit from a row selected as `{REF}, {FIGURE}` (see storage.rows)."""
    value, number, kind, about, sentence, unit, currency = row[REF_WIDTH : REF_WIDTH + 7]
    figure = Figure(value, number, cast(FigureKind, kind), about, sentence, unit, currency)
    return FigureHit(figure, ref_from_row(row))


async def cards(
    conn: aiosqlite.Connection, found: Sequence[Match], guild_id: int | None
) -> list[PersonCard]:
    """The cards of these people, in the order given, from the briefs the scope sees only."""
    ids = [m.person_id for m in found]
    if not ids:
        return []
    recent = await _newest(conn, _RECENT, ids, guild_id, RECENT)
    quotes = await _newest(conn, _QUOTES, ids, guild_id, PER_CARD)
    figures = await _newest(conn, _FIGURES, ids, guild_id, PER_CARD)
    totals = await _mentions(conn, ids, guild_id)
    return [
        _card(
            m,
            recent.get(m.person_id, []),
            [quote_hit(r) for r in quotes.get(m.person_id, [])],
            [figure_hit(r) for r in figures.get(m.person_id, [])],
            totals.get(m.person_id, 0),
        )
        for m in found
    ]


def _card(
    found: Match,
    recent: Sequence[Row],
    quotes: list[QuoteHit],
    figures: list[FigureHit],
    mentions: int,
) -> PersonCard:
    """One card from its person's rows."""
    briefs: list[BriefRef] = [ref_from_row(r) for r in recent[:PER_CARD]]
    name, role, organization, aliases = _identity(recent)
    return PersonCard(
        id=found.person_id,
        name=name,
        role=role,
        organization=organization,
        aliases=aliases,
        quotes=tuple(quotes),
        figures=tuple(figures),
        briefs=tuple(briefs),
        mentions=mentions,
        match=found.match,
        score=found.score,
    )


def _identity(recent: Sequence[Row]) -> tuple[str, str | None, str | None, tuple[str, ...]]:
    """Name as most recently written, latest known role and organisation, other spellings."""
    name = recent[0][REF_WIDTH] if recent else ""
    role = next((r[REF_WIDTH + 1] for r in recent if r[REF_WIDTH + 1]), None)
    organization = next((r[REF_WIDTH + 2] for r in recent if r[REF_WIDTH + 2]), None)
    spellings: dict[str, None] = {}
    for row in recent:
        for alias in (row[REF_WIDTH], *row[REF_WIDTH + 3].split("\n")):
            if alias and alias != name:
                spellings.setdefault(alias)
    return name, role, organization, tuple(spellings)


async def person_quotes(
    conn: aiosqlite.Connection, person_id: int, guild_id: int | None, limit: int
) -> list[QuoteHit]:
    """A person's quotes in the scope, newest brief first."""
    rows = await _newest(conn, _QUOTES, [person_id], guild_id, limit)
    return [quote_hit(r) for r in rows.get(person_id, [])]


async def _newest(
    conn: aiosqlite.Connection, arm: str, ids: list[int], guild_id: int | None, limit: int
) -> dict[int, list[Row]]:
    """Each person's newest `limit` rows of one arm, newest brief first, in one statement."""
    grouped: dict[int, list[Row]] = {}
    for start in range(0, len(ids), _ARMS):  # SQLite allows 500 terms in a compound SELECT
        chunk = ids[start : start + _ARMS]
        params: list[object] = []
        for person_id in chunk:
            params += (person_id, guild_id, max(0, limit))
        for row in await conn.execute_fetchall(_union(arm, len(chunk)), params):
            grouped.setdefault(row[-1], []).append(row)
    for group in grouped.values():  # UNION ALL promises no order; each group is short
        group.sort(key=lambda r: (-r[0], r[-2]))
    return grouped


@functools.lru_cache(maxsize=64)
def _union(arm: str, people: int) -> str:
    """The statement reading one arm for each of `people` people."""
    return " UNION ALL ".join([sql(arm)] * people)


async def _mentions(
    conn: aiosqlite.Connection, ids: list[int], guild_id: int | None
) -> dict[int, int]:
    """Each person's mentions in the briefs the scope sees (kept by triggers)."""
    rows = await conn.execute_fetchall(
        sql(
            "SELECT person_id, sum(mentions) FROM person_counts "
            "WHERE person_id IN ({marks}) AND scope IN (0, ?) GROUP BY person_id",
            len(ids),
        ),
        (*ids, guild_id or 0),
    )
    return {int(r[0]): int(r[1] or 0) for r in rows}

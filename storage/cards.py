"""What the library knows of a person in a scope: role, aliases, quotes, figures, briefs."""

from __future__ import annotations

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


async def card(conn: aiosqlite.Connection, found: Match, guild_id: int | None) -> PersonCard:
    """The card of one person, from the briefs the scope sees only."""
    pid = found.person_id
    recent = await _all(
        conn,
        sql(
            "SELECT {REF}, bp.name, bp.role, bp.organization, bp.aliases FROM brief_people bp "
            "JOIN briefs b ON b.id = bp.brief_id WHERE bp.person_id = ? AND {VISIBLE} "
            "ORDER BY bp.brief_id DESC LIMIT ?"
        ),
        (pid, guild_id, RECENT),
    )
    total = await _all(
        conn,
        "SELECT sum(mentions) FROM person_counts WHERE person_id = ? AND scope IN (0, ?)",
        (pid, guild_id or 0),
    )
    briefs: list[BriefRef] = [ref_from_row(r) for r in recent[:PER_CARD]]
    name, role, organization, aliases = _identity(recent)
    return PersonCard(
        id=pid,
        name=name,
        role=role,
        organization=organization,
        aliases=aliases,
        quotes=tuple(await person_quotes(conn, pid, guild_id, PER_CARD)),
        figures=tuple(await person_figures(conn, pid, guild_id, PER_CARD)),
        briefs=tuple(briefs),
        mentions=int(total[0][0] or 0) if total else 0,
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
    rows = await _all(
        conn,
        sql(
            "SELECT {REF}, {QUOTE} FROM quotes q JOIN briefs b ON b.id = q.brief_id "
            "WHERE q.person_id = ? AND {VISIBLE} ORDER BY q.brief_id DESC, q.ord LIMIT ?"
        ),
        (person_id, guild_id, limit),
    )
    return [quote_hit(r) for r in rows]


async def person_figures(
    conn: aiosqlite.Connection, person_id: int, guild_id: int | None, limit: int
) -> list[FigureHit]:
    """Figures from sentences naming the person, newest brief first."""
    rows = await _all(
        conn,
        sql(
            "SELECT {REF}, {FIGURE} FROM figure_people fp "
            "JOIN figures f ON f.brief_id = fp.brief_id AND f.ord = fp.ord "
            "JOIN briefs b ON b.id = fp.brief_id WHERE fp.person_id = ? AND {VISIBLE} "
            "ORDER BY fp.brief_id DESC, fp.ord LIMIT ?"
        ),
        (person_id, guild_id, limit),
    )
    return [figure_hit(r) for r in rows]


async def _all(
    conn: aiosqlite.Connection, sql: str, params: tuple[object, ...]
) -> list[aiosqlite.Row]:
    """All rows of a query."""
    async with conn.execute(sql, params) as cursor:
        return list(await cursor.fetchall())

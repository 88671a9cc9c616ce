"""What the library knows of a person in a scope: role, aliases, quotes, figures, briefs.

Cards for several people are read in one statement: each statement through aiosqlite is a
round trip to its thread (about 0.1 ms), which costs more than the reads themselves. The
statement is a UNION ALL of arms, four per person (appearances, briefs, quotes, figures), each
`ORDER BY brief DESC LIMIT n` on an index led by (person_id, brief_id), so a person named in
20,000 briefs still reads n rows. Every arm has the same columns: what it is, the person, the
order key (brief id, ord), {REF} and up to seven facts, NULL where an arm has fewer."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import cast

from briefs.model import (
    Figure,
    FigureHit,
    FigureKind,
    PersonCard,
    Quote,
    QuoteHit,
    SpeakerKind,
)
from storage.db import Connection, Dialect, Row
from storage.rows import REF_WIDTH, flag, real, ref_from_row, sql
from storage.who import Match

PER_CARD = 10  # quotes, figures and briefs on the best match's card
PER_OTHER_CARD = 3  # on the other matches' cards: the bot shows only their names
RECENT = 20  # latest appearances read for role, organisation and aliases
_ARMS = 100  # arms per statement: SQLite allows 500 terms in a compound SELECT
_HEAD = 4  # columns before {REF}: kind, person id, brief id, ord
APPEARANCE, BRIEF, QUOTE, FIGURE = range(4)

# Each arm is a subquery, so it keeps its own ORDER BY and LIMIT inside the UNION ALL.
# Parameters: person id, guild id (or 0 for the appearances' scope column), limit.
# NULLs are typed: PostgreSQL wants every arm's column to have one type (see rows.FLAG).
_T, _I = "CAST(NULL AS TEXT)", "CAST(NULL AS BIGINT)"
_NO_REF = f"{_I}, {_T}, {_T}, {_T}, {_T}, {_I}"
_ARM_SQL = {
    APPEARANCE: "SELECT * FROM (SELECT 0, bp.person_id, bp.brief_id, 0, "  # noqa: S608  # fixed fragments
    f"{_NO_REF}, "  # no {{REF}}: appearances are read without briefs
    f"bp.name, bp.role, bp.organization, bp.aliases, {_T}, {_T}, {_T} FROM brief_people bp "
    "WHERE bp.person_id = ? AND bp.scope IN (0, ?) ORDER BY bp.brief_id DESC LIMIT ?) a",
    BRIEF: "SELECT * FROM (SELECT 1, bp.person_id, bp.brief_id, 0, {REF}, "  # noqa: S608  # fixed fragments
    f"{_T}, {_T}, {_T}, {_T}, {_T}, {_T}, {_T} FROM brief_people bp "
    "JOIN briefs b ON b.id = bp.brief_id WHERE bp.person_id = ? AND {VISIBLE} "
    "ORDER BY bp.brief_id DESC LIMIT ?) a",
    QUOTE: "SELECT * FROM (SELECT 2, q.person_id, q.brief_id, q.ord, {REF}, "  # noqa: S608  # fixed fragments
    f"q.text, q.speaker, q.speaker_kind, {{FLAG}}, {{Q_SENTENCE}}, {_T}, {_T} "
    "FROM quotes q JOIN briefs b ON b.id = q.brief_id WHERE q.person_id = ? AND {VISIBLE} "
    "ORDER BY q.brief_id DESC, q.ord LIMIT ?) a",
    FIGURE: "SELECT * FROM (SELECT 3, fp.person_id, fp.brief_id, fp.ord, {REF}, "
    "f.value, {NUMBER}, f.kind, f.about, {F_SENTENCE}, f.unit, f.currency "
    "FROM figure_people fp JOIN figures f ON f.brief_id = fp.brief_id AND f.ord = fp.ord "
    "JOIN briefs b ON b.id = fp.brief_id WHERE fp.person_id = ? AND {VISIBLE} "
    "ORDER BY fp.brief_id DESC, fp.ord LIMIT ?) a",
}


def quote_hit(row: Row) -> QuoteHit:
    """A QuoteHit from a row selected as `{REF}, {QUOTE}` (see storage.rows)."""
    text, speaker, kind, partial, sentence = row[REF_WIDTH : REF_WIDTH + 5]
    quote = Quote(text, speaker, cast(SpeakerKind, kind), flag(partial), sentence)
    return QuoteHit(quote, ref_from_row(row))


def figure_hit(row: Row) -> FigureHit:
    """A FigureHit from a row selected as `{REF}, {FIGURE}` (see storage.rows)."""
    value, number, kind, about, sentence, unit, currency = row[REF_WIDTH : REF_WIDTH + 7]
    figure = Figure(value, real(number), cast(FigureKind, kind), about, sentence, unit, currency)
    return FigureHit(figure, ref_from_row(row))


async def cards(conn: Connection, found: Sequence[Match], guild_id: int | None) -> list[PersonCard]:
    """The cards of these people, in the order given, from the briefs the scope sees only.

    Every card has the person's identity and mentions; the first (the best match) lists up to
    PER_CARD briefs, quotes and figures, the others up to PER_OTHER_CARD."""
    wanted = []
    for i, m in enumerate(found):
        n = PER_OTHER_CARD if i else PER_CARD
        wanted += [
            (APPEARANCE, m.person_id, RECENT),
            (BRIEF, m.person_id, n),
            (QUOTE, m.person_id, n),
            (FIGURE, m.person_id, n),
        ]
    rows = await _read(conn, wanted, guild_id)
    return [_card(m, rows) for m in found]


def _card(found: Match, rows: dict[tuple[int, int], list[Row]]) -> PersonCard:
    """One card from the rows read for its person."""
    pid = found.person_id
    name, role, organization, aliases = _identity(rows.get((APPEARANCE, pid), []))
    return PersonCard(
        id=pid,
        name=name,
        role=role,
        organization=organization,
        aliases=aliases,
        quotes=tuple(quote_hit(r) for r in rows.get((QUOTE, pid), [])),
        figures=tuple(figure_hit(r) for r in rows.get((FIGURE, pid), [])),
        briefs=tuple(ref_from_row(r) for r in rows.get((BRIEF, pid), [])),
        mentions=found.mentions,
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
    conn: Connection, person_id: int, guild_id: int | None, limit: int
) -> list[QuoteHit]:
    """A person's quotes in the scope, newest brief first."""
    rows = await _read(conn, [(QUOTE, person_id, limit)], guild_id)
    return [quote_hit(r) for r in rows.get((QUOTE, person_id), [])]


async def _read(
    conn: Connection, wanted: list[tuple[int, int, int]], guild_id: int | None
) -> dict[tuple[int, int], list[Row]]:
    """Rows of the arms wanted, (kind, person id, limit) each, by (kind, person id).

    Rows start at {REF} (the head columns are cut off), newest brief first."""
    grouped: dict[tuple[int, int], list[tuple[tuple[int, int], Row]]] = {}
    for start in range(0, len(wanted), _ARMS):
        chunk = tuple(wanted[start : start + _ARMS])
        params: list[object] = []
        for kind, person_id, limit in chunk:
            scope = (guild_id or 0) if kind == APPEARANCE else guild_id
            params += (person_id, scope, max(0, limit))
        statement = _union(tuple(kind for kind, _, _ in chunk), conn.dialect)
        for row in await conn.fetch(statement, params):
            order = (-row[2], row[3])
            grouped.setdefault((row[0], row[1]), []).append((order, row[_HEAD:]))
    # UNION ALL promises no order across arms; each group is at most RECENT rows
    return {key: [r for _, r in sorted(g, key=lambda x: x[0])] for key, g in grouped.items()}


@functools.lru_cache(maxsize=64)
def _union(kinds: tuple[int, ...], dialect: Dialect) -> str:
    """The statement reading one arm of each kind given, in order."""
    return " UNION ALL ".join(sql(_ARM_SQL[kind], 0, dialect) for kind in kinds)

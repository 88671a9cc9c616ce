"""What the library knows of a person in a scope: role, aliases, quotes, figures, briefs.

Cards for several people are read in one statement: each statement through aiosqlite is a
round trip to its thread (about 0.1 ms), which costs more than the reads themselves. The
statement is a UNION ALL of arms per person (appearances, spellings, briefs, quotes, figures;
companions for the best match), each `ORDER BY … LIMIT n` on an index led by the person id, so
a person named in 20,000 briefs still reads n rows. Every arm has the same columns: what it
is, the person, the order key (brief id, ord), {REF} and up to seven facts, NULL where an arm
has fewer."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

from briefs.identity import real_spellings
from briefs.model import (
    BriefRef,
    Figure,
    FigureHit,
    FigureKind,
    PersonCard,
    Quote,
    QuoteHit,
    RoleSpan,
    SpeakerKind,
)
from briefs.normalize import fold
from storage.db import Connection, Dialect, Row
from storage.rows import REF_WIDTH, flag, real, ref_from_row, sql
from storage.who import Match

PER_CARD = 10  # quotes, figures and briefs on the best match's card
PER_OTHER_CARD = 3  # on the other matches' cards: the bot shows only their names
RECENT = 50  # latest appearances read for role history and spellings
SPELLINGS = 20  # most written spellings read per person
COMPANIONS = 5  # people most often named with the best match…
COMPANION_BRIEFS = 100  # …in their latest briefs
_ARMS = 100  # arms per statement: SQLite allows 500 terms in a compound SELECT
_HEAD = 4  # columns before {REF}: kind, person id, order key, ord
APPEARANCE, BRIEF, QUOTE, FIGURE, SPELLING, COMPANION = range(6)

# Each arm is a subquery, so it keeps its own ORDER BY and LIMIT inside the UNION ALL.
# Parameters: person id, guild id (0 for global where a `scope` column is compared), limit.
# NULLs are typed: PostgreSQL wants every arm's column to have one type (see rows.FLAG), so
# counts travel as text too.
_T, _I = "CAST(NULL AS TEXT)", "CAST(NULL AS BIGINT)"
_NO_REF = f"{_I}, {_T}, {_T}, {_T}, {_T}, {_I}"
_ARM_SQL = {
    APPEARANCE: "SELECT * FROM (SELECT 0, bp.person_id, bp.brief_id, 0, "  # noqa: S608  # fixed fragments
    f"{_I}, bp.day, {_T}, {_T}, {_T}, {_I}, "  # no {{REF}}, only the day the brief speaks for
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
    SPELLING: "SELECT * FROM (SELECT 4, ps.person_id, ps.n, 0, "  # noqa: S608  # fixed fragments
    f"{_NO_REF}, ps.name, CAST(ps.n AS TEXT), {_T}, {_T}, {_T}, {_T}, {_T} "
    "FROM person_spellings ps WHERE ps.person_id = ? AND ps.scope IN (0, ?) "
    "ORDER BY ps.n DESC LIMIT ?) a",
    # Named in the same briefs as the person, among the person's latest visible briefs; the
    # order key is how often, the fact the companion's most written visible spelling.
    # Parameters: guild id (0 for global), person id, guild id again, limit.
    COMPANION: "SELECT * FROM (SELECT 5, c.pid, c.n, 0, "  # noqa: S608  # fixed fragments
    f"{_NO_REF}, "
    "(SELECT ps.name FROM person_spellings ps WHERE ps.person_id = c.other "
    "AND ps.scope IN (0, ?) GROUP BY ps.name ORDER BY sum(ps.n) DESC, ps.name LIMIT 1), "
    f"{_T}, {_T}, {_T}, {_T}, {_T}, {_T} FROM ("
    "SELECT max(r.person_id) AS pid, o.person_id AS other, count(*) AS n "
    "FROM (SELECT bp.person_id, bp.brief_id FROM brief_people bp "
    "WHERE bp.person_id = ? AND bp.scope IN (0, ?) "
    f"ORDER BY bp.brief_id DESC LIMIT {COMPANION_BRIEFS}) r "
    "JOIN brief_people o ON o.brief_id = r.brief_id AND o.person_id != r.person_id "
    "GROUP BY o.person_id ORDER BY count(*) DESC, max(o.brief_id) DESC LIMIT ?) c) a",
}


def _params(kind: int, person_id: int, guild_id: int | None, limit: int) -> tuple[object, ...]:
    """An arm's parameters: a `scope` column is compared with 0 for global, VISIBLE with None."""
    if kind == COMPANION:
        return (guild_id or 0, person_id, guild_id or 0, max(0, limit))
    scope = guild_id if kind in (BRIEF, QUOTE, FIGURE) else guild_id or 0
    return (person_id, scope, max(0, limit))


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
            (SPELLING, m.person_id, SPELLINGS),
            (BRIEF, m.person_id, n),
            (QUOTE, m.person_id, n),
            (FIGURE, m.person_id, n),
        ]
        if not i:
            wanted.append((COMPANION, m.person_id, COMPANIONS))
    rows = await _read(conn, wanted, guild_id)
    return [_card(m, rows) for m in found]


def _card(found: Match, rows: dict[tuple[int, int], list[Row]]) -> PersonCard:
    """One card from the rows read for its person."""
    pid = found.person_id
    recent = _sightings(rows.get((APPEARANCE, pid), []))
    name = _display_name(rows.get((SPELLING, pid), []), recent)
    role, organization = _current_role(recent)
    spellings = [s.name for s in recent] + [r[REF_WIDTH] for r in rows.get((SPELLING, pid), [])]
    spellings += [alias for s in recent for alias in s.aliases]
    return PersonCard(
        id=pid,
        name=name,
        role=role,
        organization=organization,
        aliases=real_spellings(name, spellings),
        quotes=tuple(sorted(map(quote_hit, rows.get((QUOTE, pid), [])), key=_newest)),
        figures=tuple(sorted(map(figure_hit, rows.get((FIGURE, pid), [])), key=_newest)),
        briefs=tuple(sorted(map(ref_from_row, rows.get((BRIEF, pid), [])), key=_newest_ref)),
        mentions=found.mentions,
        match=found.match,
        score=found.score,
        roles=_role_history(recent),
        companions=tuple(r[REF_WIDTH] for r in rows.get((COMPANION, pid), []) if r[REF_WIDTH]),
    )


def _newest_ref(ref: BriefRef) -> tuple[int, int]:
    """Sort key: the newest brief first, by its date, then by when it was added."""
    return (-(ref.published or ref.ingested_at.date()).toordinal(), -ref.id)


def _newest(hit: QuoteHit | FigureHit) -> tuple[int, int]:
    """Sort key: hits of the newest brief first (stable within a brief: article order)."""
    return _newest_ref(hit.brief)


@dataclass(frozen=True, slots=True)
class _Seen:
    """One appearance: the day, the name as written, role, organisation, other spellings."""

    day: dt.date | None
    brief_id: int
    name: str
    role: str | None
    organization: str | None
    aliases: tuple[str, ...]


def _sightings(rows: Sequence[Row]) -> list[_Seen]:
    """Appearance rows (newest brief first) as values, newest day first."""
    seen = [
        _Seen(
            dt.date.fromisoformat(r[1]) if r[1] else None,
            -i,  # rows come newest brief first
            r[REF_WIDTH],
            r[REF_WIDTH + 1],
            r[REF_WIDTH + 2],
            tuple(a for a in r[REF_WIDTH + 3].split("\n") if a),
        )
        for i, r in enumerate(rows)
    ]
    seen.sort(key=lambda s: (s.day or dt.date.min, s.brief_id), reverse=True)
    return seen


def _display_name(spellings: Sequence[Row], recent: Sequence[_Seen]) -> str:
    """The spelling most often written; of equals, the one written most recently."""
    counts: dict[str, int] = {}
    for row in spellings:
        counts[row[REF_WIDTH]] = counts.get(row[REF_WIDTH], 0) + int(row[REF_WIDTH + 1])
    if not counts:
        return recent[0].name if recent else ""
    latest = {s.name: i for i, s in reversed(list(enumerate(recent)))}
    return min(counts, key=lambda n: (-counts[n], latest.get(n, len(recent)), n))


def _current_role(recent: Sequence[_Seen]) -> tuple[str | None, str | None]:
    """The role from the newest brief giving one, with an organisation given alongside it."""
    newest = next((s for s in recent if s.role or s.organization), None)
    if newest is None:
        return None, None
    organization = newest.organization or next(
        (s.organization for s in recent if s.organization and _same(s.role, newest.role)), None
    )
    return newest.role, organization


@functools.lru_cache(maxsize=4096)
def _folded(text: str) -> str:
    """`fold`, remembered: a card folds each of up to RECENT roles and organisations, and the
    same few are written again and again."""
    return fold(text)


def _same(a: str | None, b: str | None) -> bool:
    return _folded(a or "") == _folded(b or "")


def _role_history(recent: Sequence[_Seen]) -> tuple[RoleSpan, ...]:
    """Each role (with its organisation) and the days briefs gave it, the newest role first."""
    spans: dict[tuple[str, str], tuple[str | None, str | None, list[dt.date]]] = {}
    for s in recent:
        if not (s.role or s.organization):
            continue
        key = (_folded(s.role or ""), _folded(s.organization or ""))
        _, _, days = spans.setdefault(key, (s.role, s.organization, []))
        if s.day and s.day not in days:
            days.append(s.day)
    return tuple(RoleSpan(r, o, tuple(d)) for r, o, d in spans.values())


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
            params += _params(kind, person_id, guild_id, limit)
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

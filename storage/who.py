"""Finding people by name (exact, surname, prefix, fuzzy) and building their cards."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from briefs.model import MatchKind, NameChoice
from briefs.normalize import fold
from storage.db import Connection, Row
from storage.names import PART, prefix_bound, trigrams
from storage.rows import sql

MAX_NAME = 80  # folded characters of a name looked at
PREFIX_CANDIDATES = 200
FUZZY_CANDIDATES = 100
FUZZY_CUTOFF = 75.0  # rapidfuzz ratio; 'bondy' → 'bondi' scores 80
LOOSE_CUTOFF = 40.0


@dataclass(frozen=True, slots=True)
class Match:
    """A person found by a name, how, and how well."""

    person_id: int
    match: MatchKind
    score: float
    mentions: int = 0  # in the briefs the scope sees


# Exact keys (with their best kind) and the first prefix keys, each with the person's mentions
# in the scope (NULL: the scope sees no brief naming them), in one round trip.
# ?1 key, ?2 the prefix bound, ?3 scope (0 global), ?4 how many prefix keys.
_CANDIDATES = (
    "SELECT c.person_id, c.key, c.kind, c.exact, (SELECT sum(pc.mentions) FROM person_counts pc "
    "WHERE pc.person_id = c.person_id AND pc.scope IN (0, ?3) AND pc.mentions > 0) FROM ("
    "SELECT person_id, key, min(kind) AS kind, 1 AS exact FROM name_keys "
    "WHERE key = ?1 AND scope IN (0, ?3) GROUP BY person_id, key "
    "UNION ALL SELECT * FROM (SELECT person_id, key, kind, 0 FROM name_keys "
    "WHERE key > ?1 AND key < ?2 AND scope IN (0, ?3) ORDER BY key LIMIT ?4) p) c"
)


def query_key(name: str) -> str:
    """The folded form of a user's name query, bounded in length."""
    return fold(name[: MAX_NAME * 4])[:MAX_NAME].strip()


async def match_people(
    conn: Connection, name: str, guild_id: int | None, limit: int
) -> list[Match]:
    """People the scope sees, ranked: exact full name or alias, surname, prefix, then fuzzy."""
    key = query_key(name)
    if not key or limit < 1:
        return []
    rows = await _rows(
        conn, _CANDIDATES, (key, prefix_bound(key), guild_id or 0, PREFIX_CANDIDATES)
    )
    exact = sorted((r for r in rows if r[3]), key=lambda r: (r[2], r[0]))
    found = {
        r[0]: Match(r[0], "surname" if r[2] == PART else "exact", 100.0, r[4])
        for r in exact
        if r[4] is not None
    }
    if len(exact) < limit:
        prefix = sorted((r for r in rows if not r[3]), key=lambda r: (len(r[1]), r[1], r[0]))
        for person_id, full, _, _, mentions in prefix:
            if mentions is not None:
                score = 90.0 * len(key) / len(full)
                found.setdefault(person_id, Match(person_id, "prefix", score, mentions))
    ranked = list(found.values())
    if not ranked:
        ranked = await fuzzy(conn, key, guild_id, FUZZY_CUTOFF)
    return ranked[:limit]


async def fuzzy(conn: Connection, key: str, guild_id: int | None, cutoff: float) -> list[Match]:
    """Visible people whose keys are close to `key`, best first (candidates share trigrams)."""
    grams = sorted(trigrams(key))
    spread = 2 if cutoff >= FUZZY_CUTOFF else max(3, len(key) // 2)
    rows = await _rows(
        conn,
        sql(
            "SELECT key FROM name_grams WHERE gram IN ({marks}) AND len BETWEEN ? AND ? "
            "GROUP BY key ORDER BY count(*) DESC, key LIMIT ?",
            len(grams),
        ),
        (*grams, len(key) - spread, len(key) + spread, FUZZY_CANDIDATES),
    )
    scored = process.extract(
        key, [r[0] for r in rows], scorer=fuzz.ratio, score_cutoff=cutoff, limit=None
    )
    if not scored:
        return []
    score_of = {choice: score for choice, score, _ in scored}
    people = await _rows(
        conn,
        sql(
            "SELECT k.key, k.person_id, (SELECT sum(pc.mentions) FROM person_counts pc "
            "WHERE pc.person_id = k.person_id AND pc.scope IN (0, ?1) AND pc.mentions > 0) "
            "FROM name_keys k WHERE k.scope IN (0, ?1) AND k.key IN ({marks})",
            len(score_of),
        ),
        (guild_id or 0, *score_of),
    )
    best: dict[int, float] = {}
    mentions: dict[int, int] = {}
    for found_key, person_id, seen in people:
        if seen is not None:  # None: no brief the scope sees names them
            best[person_id] = max(best.get(person_id, 0.0), score_of[found_key])
            mentions[person_id] = seen
    order = sorted(best, key=lambda p: (-best[p], p))
    return [Match(p, "fuzzy", round(best[p], 1), mentions[p]) for p in order]


async def visible_people(
    conn: Connection, person_ids: list[int], guild_id: int | None
) -> dict[int, int]:
    """Those of these people named in at least one brief the scope sees, with their mentions."""
    if not person_ids:
        return {}
    rows = await _rows(
        conn,
        sql(
            "SELECT person_id, sum(mentions) FROM person_counts "
            "WHERE person_id IN ({marks}) AND scope IN (0, ?) AND mentions > 0 "
            "GROUP BY person_id",
            len(person_ids),
        ),
        (*person_ids, guild_id or 0),
    )
    return {int(r[0]): int(r[1]) for r in rows}


async def complete_names(
    conn: Connection, prefix: str, guild_id: int | None, limit: int
) -> list[NameChoice]:
    """Visible people with a name part starting with the prefix (recent people if empty), once
    each by their display name; with their role when two listed people share a surname."""
    key = query_key(prefix)
    if limit < 1:
        return []
    if not key:
        rows = await _rows(
            conn,
            sql(
                "SELECT bp.person_id FROM briefs b JOIN brief_people bp ON bp.brief_id = b.id "
                "WHERE {VISIBLE} ORDER BY b.id DESC, bp.ord LIMIT ?"
            ),
            (guild_id, limit * 4),
        )
        ids = list(dict.fromkeys(int(r[0]) for r in rows))[:limit]
        return await _choices(conn, ids, guild_id)
    rows = await _rows(
        conn,
        _COMPLETE,
        (key, prefix_bound(key), guild_id or 0, PREFIX_CANDIDATES, limit, PART),
    )
    return _labelled([(r[1], r[2]) for r in rows if r[1]])


# The name most often written and the newest role of each person, in the scope ?1.
_LABELS = (
    "SELECT p.id, (SELECT ps.name FROM person_spellings ps WHERE ps.person_id = p.id "
    "AND ps.scope IN (0, ?1) GROUP BY ps.name ORDER BY sum(ps.n) DESC, ps.name LIMIT 1), "
    "(SELECT bp.role FROM brief_people bp WHERE bp.person_id = p.id AND bp.scope IN (0, ?1) "
    "AND bp.role IS NOT NULL ORDER BY bp.brief_id DESC LIMIT 1) "
    "FROM people p WHERE p.id IN ({marks})"
)

# Autocomplete in one round trip: the first prefix keys, each visible person once (whole names
# and aliases before name parts, then by key and id, as the keys sort), the first `limit` of
# them with their name and newest role as in _LABELS.
# ?1 prefix, ?2 prefix bound, ?3 scope (0 global), ?4 how many keys, ?5 limit, ?6 PART.
_COMPLETE = (
    "SELECT c.person_id, (SELECT ps.name FROM person_spellings ps "
    "WHERE ps.person_id = c.person_id AND ps.scope IN (0, ?3) GROUP BY ps.name "
    "ORDER BY sum(ps.n) DESC, ps.name LIMIT 1), "
    "(SELECT bp.role FROM brief_people bp WHERE bp.person_id = c.person_id "
    "AND bp.scope IN (0, ?3) AND bp.role IS NOT NULL ORDER BY bp.brief_id DESC LIMIT 1) "
    "FROM (SELECT k.person_id, min(CASE WHEN k.kind != ?6 THEN k.key END) IS NULL AS bare, "
    "coalesce(min(CASE WHEN k.kind != ?6 THEN k.key END), min(k.key)) AS first FROM ("
    "SELECT person_id, kind, key FROM name_keys "
    "WHERE key >= ?1 AND key < ?2 AND scope IN (0, ?3) ORDER BY key LIMIT ?4) k "
    "WHERE EXISTS (SELECT 1 FROM person_counts pc WHERE pc.person_id = k.person_id "
    "AND pc.scope IN (0, ?3) AND pc.mentions > 0) GROUP BY k.person_id "
    "ORDER BY bare, first, k.person_id LIMIT ?5) c ORDER BY c.bare, c.first, c.person_id"
)


async def _choices(conn: Connection, ids: list[int], guild_id: int | None) -> list[NameChoice]:
    """Autocomplete entries for these people, in order."""
    if not ids:
        return []
    rows = await _rows(conn, sql(_LABELS, len(ids)), (guild_id or 0, *ids))
    found = {int(r[0]): (r[1], r[2]) for r in rows if r[1]}
    return _labelled([found[i] for i in ids if i in found])


def _labelled(names: list[tuple[str, str | None]]) -> list[NameChoice]:
    """Autocomplete entries of (display name, newest role): the role shown when two listed
    people share a surname."""
    surnames = Counter(fold(name).rsplit(" ", 1)[-1] for name, _ in names)
    return [
        NameChoice(
            f"{name} — {role}" if role and surnames[fold(name).rsplit(" ", 1)[-1]] > 1 else name,
            name,
        )
        for name, role in names
    ]


async def _rows(conn: Connection, sql: str, params: tuple[object, ...]) -> list[Row]:
    """All rows of a query, in one round trip."""
    return await conn.fetch(sql, params)


async def display_names(conn: Connection, person_ids: list[int], guild_id: int | None) -> list[str]:
    """The names of these people as the scope's briefs most often write them, in order."""
    return [c.value for c in await _choices(conn, person_ids, guild_id)]

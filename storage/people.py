"""People at ingest: one identity per person across the briefs a scope sees (briefs/identity.py).

A brief of scope S links its people only to people known by name keys of scope 0 or S, so a
guild's briefs never join or split another guild's people."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from briefs.errors import StorageError
from briefs.identity import Candidate, NameParts, Sighting, choose, givens_compatible, name_parts
from briefs.model import Person
from storage.db import Connection
from storage.names import name_keys, trigrams
from storage.rows import sql

SIGHTINGS = 8  # latest appearances of a candidate checked for a contradicting role


@dataclass(slots=True)
class Appearance:
    """One person as one brief presents them (several Person entries may merge into one)."""

    person_id: int
    name: str
    role: str | None
    organization: str | None
    aliases: list[str] = field(default_factory=list)
    sentences: list[str] = field(default_factory=list)
    keys: list[tuple[str, int]] = field(default_factory=list)


@dataclass(slots=True)
class _Group:
    """The Person entries of one brief that name one person."""

    parts: NameParts
    givens: set[str | None]
    people: list[Person]


# Known people sharing a surname, each with its full names (as written) ending in that surname
# and its mentions in the scope (summed once per distinct row, not per key that found it).
# ?1 scope, then the surnames (a bare ? after ?1 is ?2, ?3, …).
_CANDIDATES = (
    "SELECT c.surname, c.person_id, c.key, (SELECT sum(pc.mentions) FROM person_counts pc"
    " WHERE pc.person_id = c.person_id AND pc.scope IN (0, ?1)) FROM ("
    "SELECT DISTINCT k1.key AS surname, k2.person_id, k2.key FROM name_keys k1"
    " JOIN name_keys k2 ON k2.person_id = k1.person_id"
    " WHERE k1.key IN ({marks}) AND k1.scope IN (0, ?1) AND k2.kind = 0 AND k2.scope IN (0, ?1)"
    " AND (k2.key = k1.key"
    " OR substr(k2.key, length(k2.key) - length(k1.key)) = ' ' || k1.key)) c"
)
_SIGHTINGS = (
    "SELECT * FROM (SELECT person_id, role, organization, day FROM brief_people"
    " WHERE person_id = ? AND scope IN (0, ?) ORDER BY brief_id DESC LIMIT ?) s"
)


async def resolve(
    conn: Connection, people: Sequence[Person], scope: int, day: dt.date
) -> list[Appearance]:
    """The library's person for each Person of a brief, creating those not yet known."""
    groups = _group(people)
    candidates = await _candidates(conn, groups, scope)
    found: dict[int, Appearance] = {}
    for group in groups:
        first = group.people[0]
        role = next((p.role for p in group.people if p.role), None)
        organization = next((p.organization for p in group.people if p.organization), None)
        seen = Sighting(role, organization, day)
        person_id = choose(group.givens, seen, candidates.get(group.parts.surname, []))
        if person_id is None and scope == 0:
            person_id = await _adopt(conn, group, seen)
        if person_id is None:
            person_id = await _insert(conn, first)
            candidates.setdefault(group.parts.surname, []).append(
                Candidate(person_id, frozenset(group.givens), (seen,))
            )
        for person in group.people:
            appearance = found.get(person_id)
            if appearance is None:
                appearance = found[person_id] = Appearance(
                    person_id, person.name, person.role, person.organization
                )
            _merge(appearance, person, name_keys(person.name, person.aliases))
    return list(found.values())


def _group(people: Sequence[Person]) -> list[_Group]:
    """Entries of one brief naming the same person, together ('Trump' joins 'Donald Trump')."""
    groups: list[_Group] = []
    for person in people:
        parts = name_parts(person.name)
        if parts is None or not name_keys(person.name, person.aliases):
            continue
        givens = {parts.given}  # an alias's given name is learnt, but never decides
        same = [
            g
            for g in groups
            if g.parts.surname == parts.surname
            and all(givens_compatible(a, b) for a in givens for b in g.givens)
        ]
        if len(same) == 1:
            same[0].people.append(person)
            same[0].givens |= givens
        else:
            groups.append(_Group(parts, givens, [person]))
    for group in groups:
        if len(group.givens) > 1:
            group.givens.discard(None)
    return groups


async def _candidates(
    conn: Connection, groups: list[_Group], scope: int
) -> dict[str, list[Candidate]]:
    """Known people of the scope sharing a surname with the brief's people, by surname.

    Only candidates whose given names fit a group of the brief can be chosen (`choose` drops
    the others before it looks at a role), so only theirs are read: a common surname brings
    dozens of people, of whom one or two share the given name."""
    surnames = sorted({g.parts.surname for g in groups})
    if not surnames:
        return {}
    rows = await conn.fetch(sql(_CANDIDATES, len(surnames)), (scope, *surnames))
    givens: dict[tuple[str, int], set[str | None]] = {}
    mentions: dict[int, int] = {}
    for surname, person_id, key, seen in rows:
        parts = name_parts(key)
        if parts is not None and parts.surname == surname:
            givens.setdefault((surname, person_id), set()).add(parts.given)
            mentions[person_id] = int(seen or 0)
    for names in givens.values():
        if len(names) > 1:
            names.discard(None)
    wanted = {
        person_id
        for (surname, person_id), names in givens.items()
        if any(g.parts.surname == surname and _fits(g.givens, names) for g in groups)
    }
    sightings = await _sightings(conn, [(p, scope) for p in sorted(wanted)])
    out: dict[str, list[Candidate]] = {}
    for (surname, person_id), names in givens.items():
        out.setdefault(surname, []).append(
            Candidate(
                person_id, frozenset(names), sightings.get(person_id, ()), mentions[person_id]
            )
        )
    return out


def _fits(wanted: Iterable[str | None], known: Iterable[str | None]) -> bool:
    """Every given name wanted fits every given name known (the first test of `choose`)."""
    return all(givens_compatible(g, h) for g in wanted for h in known)


async def _sightings(
    conn: Connection, people: Sequence[tuple[int, int]]
) -> dict[int, tuple[Sighting, ...]]:
    """What the latest briefs each (person, scope) sees said the person was, and when."""
    out: dict[int, list[Sighting]] = {}
    for start in range(0, len(people), 100):  # SQLite allows 500 terms in a compound SELECT
        chunk = people[start : start + 100]
        params: list[object] = []
        for person_id, scope in chunk:
            params += (person_id, scope, SIGHTINGS)
        statement = " UNION ALL ".join([_SIGHTINGS] * len(chunk))
        for person_id, role, organization, day in await conn.fetch(statement, params):
            when = dt.date.fromisoformat(day) if day else None
            out.setdefault(int(person_id), []).append(Sighting(role, organization, when))
    return {p: tuple(s) for p, s in out.items()}


# Guild-only people sharing a surname: those a guild met before any global brief named them.
_GUILD_CANDIDATES = (
    "SELECT DISTINCT k2.scope, k2.person_id, k2.key FROM name_keys k1"
    " JOIN name_keys k2 ON k2.person_id = k1.person_id AND k2.scope = k1.scope"
    " WHERE k1.key = ? AND k1.scope != 0 AND k2.kind = 0"
    " AND (k2.key = k1.key"
    " OR substr(k2.key, length(k2.key) - length(k1.key)) = ' ' || k1.key)"
    " AND NOT EXISTS (SELECT 1 FROM name_keys k3 WHERE k3.person_id = k1.person_id"
    " AND k3.scope = 0)"
)
_MOVES = (  # every row naming a person, re-pointed when two identities become one
    "UPDATE brief_people SET person_id = ? WHERE person_id = ?",
    "UPDATE person_counts SET person_id = ? WHERE person_id = ?",
    "UPDATE person_spellings SET person_id = ? WHERE person_id = ?",
    "UPDATE mentions SET person_id = ? WHERE person_id = ?",
    "UPDATE quotes SET person_id = ? WHERE person_id = ?",
    "UPDATE figure_people SET person_id = ? WHERE person_id = ?",
    "UPDATE name_keys SET person_id = ? WHERE person_id = ?",
    "DELETE FROM people WHERE id = ?2 AND id != ?1",  # the other one, never the target
)


async def _adopt(conn: Connection, group: _Group, seen: Sighting) -> int | None:
    """A person guilds knew before this global brief named them, or None.

    Each guild decides with its own briefs only; the people guilds agree on become one, so
    every guild then sees the global briefs on the same card as its own (guilds still see
    only their own rows of it)."""
    rows = await conn.fetch(_GUILD_CANDIDATES, (group.parts.surname,))
    by_guild: dict[int, dict[int, set[str | None]]] = {}
    for guild, person_id, key in rows:
        parts = name_parts(key)
        if parts is not None and parts.surname == group.parts.surname:
            by_guild.setdefault(int(guild), {}).setdefault(int(person_id), set()).add(parts.given)
    chosen = []
    for guild, people in sorted(by_guild.items()):
        fitting = [(p, guild) for p, names in sorted(people.items()) if _fits(group.givens, names)]
        if not fitting:  # `choose` would drop every one of them before looking at a role
            continue
        sightings = await _sightings(conn, fitting)
        found = choose(
            group.givens,
            seen,
            [Candidate(p, frozenset(g), sightings.get(p, ())) for p, g in people.items()],
        )
        if found is not None:
            chosen.append(found)
    if not chosen:
        return None
    target = min(chosen)
    for other in sorted(set(chosen) - {target}):
        for statement in _MOVES:
            await conn.execute(statement, (target, other))
    return target


async def _insert(conn: Connection, person: Person) -> int:
    """A new person row."""
    keys = name_keys(person.name, person.aliases)
    inserted = await conn.fetch(
        "INSERT INTO people (name, folded) VALUES (?, ?) RETURNING id", (person.name, keys[0][0])
    )
    if not inserted:
        raise StorageError(f"no id for the new person {person.name!r}")
    return int(inserted[0][0])


def _merge(appearance: Appearance, person: Person, keys: list[tuple[str, int]]) -> None:
    """Fold another Person entry of the same brief into the appearance."""
    appearance.role = appearance.role or person.role
    appearance.organization = appearance.organization or person.organization
    for alias in (person.name, *person.aliases):
        if alias != appearance.name and alias not in appearance.aliases:
            appearance.aliases.append(alias)
    appearance.sentences.extend(s for s in person.mentions if s not in appearance.sentences)
    appearance.keys.extend(k for k in keys if k not in appearance.keys)


async def write(
    conn: Connection, brief_id: int, scope: int, day: dt.date, people: list[Appearance]
) -> None:
    """Insert the brief's people rows, sentences and lookup keys."""
    await conn.executemany(
        "INSERT INTO brief_people (person_id, brief_id, scope, ord, name, role, organization,"
        " aliases, mentions, day) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                a.person_id,
                brief_id,
                scope,
                i,
                a.name,
                a.role,
                a.organization,
                "\n".join(a.aliases),
                max(1, len(a.sentences)),
                day.isoformat(),
            )
            for i, a in enumerate(people)
        ],
    )
    await conn.executemany(
        "INSERT INTO mentions (brief_id, person_id, ord, sentence) VALUES (?, ?, ?, ?)",
        [(brief_id, a.person_id, i, s) for a in people for i, s in enumerate(a.sentences)],
    )
    await conn.executemany(  # spellings counted here, not by triggers: one SQL, both engines
        "INSERT INTO person_spellings (person_id, scope, name, n) VALUES (?, ?, ?, 1) "
        "ON CONFLICT (person_id, scope, name) DO UPDATE SET n = person_spellings.n + 1",
        [(a.person_id, scope, a.name) for a in people],
    )
    await _write_keys(
        conn, [(a.person_id, scope, key, kind) for a in people for key, kind in a.keys]
    )


async def forget(conn: Connection, brief_id: int) -> list[int]:
    """Before a brief's people rows go: uncount their spellings; the people it named."""
    rows = [
        (int(p), int(s), n)
        for p, s, n in await conn.fetch(
            "SELECT person_id, scope, name FROM brief_people WHERE brief_id = ?", (brief_id,)
        )
    ]
    await conn.executemany(
        "UPDATE person_spellings SET n = n - 1 WHERE person_id = ? AND scope = ? AND name = ?",
        rows,
    )
    await conn.executemany(
        "DELETE FROM person_spellings WHERE person_id = ? AND scope = ? AND name = ? AND n <= 0",
        rows,
    )
    return [p for p, _, _ in rows]


async def _write_keys(conn: Connection, keys: list[tuple[int, int, str, int]]) -> None:
    """Insert lookup keys (person, scope, key, kind) and the trigrams of keys new to the library."""
    await conn.executemany(
        "INSERT INTO name_keys (person_id, scope, key, kind) VALUES (?, ?, ?, ?) "
        "ON CONFLICT DO NOTHING",
        keys,
    )
    distinct = sorted({key for _, _, key, _ in keys})
    # keys seen before already have their trigrams (the first one is probed)
    rows = await conn.fetch(
        sql(
            "SELECT value FROM {KEYS} WHERE NOT EXISTS (SELECT 1 FROM name_grams g "
            "WHERE g.gram = ' ' || substr(value, 1, 2) AND g.len = length(value) "
            "AND g.key = value)",
            dialect=conn.dialect,
        ),
        (keys_param(conn, distinct),),
    )
    new_keys = [row[0] for row in rows]
    await conn.executemany(
        "INSERT INTO name_grams (gram, len, key) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
        [(gram, len(key), key) for key in new_keys for gram in trigrams(key)],
    )


def keys_param(conn: Connection, keys: list[str]) -> object:
    """A list of text as one parameter: JSON for SQLite's json_each, an array for PostgreSQL."""
    return json.dumps(keys) if conn.dialect == "sqlite" else keys


async def refresh_keys(conn: Connection, person_ids: Sequence[int], scope: int) -> None:
    """Rebuild these people's keys of one scope from the briefs that still name them there
    (after a brief was removed or revised: a name only that brief used finds them no more)."""
    if not person_ids:
        return
    ids = tuple(sorted(set(person_ids)))
    await conn.execute(
        sql("DELETE FROM name_keys WHERE scope = ? AND person_id IN ({marks})", len(ids)),
        (scope, *ids),
    )
    rows = await conn.fetch(
        sql(
            "SELECT DISTINCT person_id, name, aliases FROM brief_people "
            "WHERE scope = ? AND person_id IN ({marks})",
            len(ids),
        ),
        (scope, *ids),
    )
    keys = {
        (int(person_id), scope, key, kind)
        for person_id, name, aliases in rows
        for key, kind in name_keys(name, tuple(a for a in aliases.split("\n") if a))
    }
    await _write_keys(conn, sorted(keys))


async def collect_orphans(conn: Connection, person_ids: Sequence[int]) -> None:
    """Delete these people if no brief mentions them any more (their keys go with them)."""
    if person_ids:
        await conn.execute(
            sql(
                "DELETE FROM people WHERE id IN ({marks}) AND NOT EXISTS "
                "(SELECT 1 FROM brief_people bp WHERE bp.person_id = people.id)",
                len(person_ids),
            ),
            tuple(person_ids),
        )

"""People at ingest: one identity per person across the library, merged by folded name."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field

from briefs.errors import StorageError
from briefs.model import Person
from storage.db import Connection
from storage.names import FULL, identity_keys, name_keys, trigrams
from storage.rows import sql


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


async def resolve(conn: Connection, people: Sequence[Person]) -> list[Appearance]:
    """The library's person for each Person of a brief, creating those not yet known."""
    wanted = {key for p in people for key in identity_keys(p.name, p.aliases)}
    known: dict[str, tuple[int, int]] = {}  # key -> (kind, person id), best kind first
    if wanted:
        query = sql(
            "SELECT key, kind, person_id FROM name_keys "
            "WHERE key IN ({marks}) AND kind < 2 ORDER BY kind, person_id",  # 2: name parts
            len(wanted),
        )
        for key, kind, person_id in await conn.fetch(query, tuple(wanted)):
            known.setdefault(key, (int(kind), int(person_id)))
    found: dict[int, Appearance] = {}
    for person in people:
        keys = name_keys(person.name, person.aliases)
        if not keys:
            continue
        person_id = await _identify(conn, person, keys, known)
        appearance = found.get(person_id)
        if appearance is None:
            appearance = found[person_id] = Appearance(
                person_id, person.name, person.role, person.organization
            )
        _merge(appearance, person, keys)
    return list(found.values())


async def _identify(
    conn: Connection,
    person: Person,
    keys: list[tuple[str, int]],
    known: dict[str, tuple[int, int]],
) -> int:
    """The id of the person these keys name, inserting a new person when none matches."""
    hits = [known[key] for key in identity_keys(person.name, person.aliases) if key in known]
    if hits:
        return min(hits)[1]
    inserted = await conn.fetch(
        "INSERT INTO people (name, folded) VALUES (?, ?) RETURNING id", (person.name, keys[0][0])
    )
    if not inserted:
        raise StorageError(f"no id for the new person {person.name!r}")
    person_id = int(inserted[0][0])
    for key, kind in keys:
        if kind == FULL or " " in key:
            known.setdefault(key, (kind, person_id))
    return person_id


def _merge(appearance: Appearance, person: Person, keys: list[tuple[str, int]]) -> None:
    """Fold another Person entry of the same brief into the appearance."""
    appearance.role = appearance.role or person.role
    appearance.organization = appearance.organization or person.organization
    for alias in (person.name, *person.aliases):
        if alias != appearance.name and alias not in appearance.aliases:
            appearance.aliases.append(alias)
    appearance.sentences.extend(s for s in person.mentions if s not in appearance.sentences)
    appearance.keys.extend(k for k in keys if k not in appearance.keys)


async def write(conn: Connection, brief_id: int, scope: int, people: list[Appearance]) -> None:
    """Insert the brief's people rows, sentences and lookup keys."""
    await conn.executemany(
        "INSERT INTO brief_people (person_id, brief_id, scope, ord, name, role, organization,"
        " aliases, mentions) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
            )
            for i, a in enumerate(people)
        ],
    )
    await conn.executemany(
        "INSERT INTO mentions (brief_id, person_id, ord, sentence) VALUES (?, ?, ?, ?)",
        [(brief_id, a.person_id, i, s) for a in people for i, s in enumerate(a.sentences)],
    )
    await conn.executemany(
        "INSERT INTO name_keys (key, scope, person_id, kind) VALUES (?, ?, ?, ?) "
        "ON CONFLICT DO NOTHING",
        [(key, scope, a.person_id, kind) for a in people for key, kind in a.keys],
    )
    keys = sorted({key for a in people for key, _ in a.keys})
    # keys seen before already have their trigrams (the first one is probed)
    rows = await conn.fetch(
        sql(
            "SELECT value FROM {KEYS} WHERE NOT EXISTS (SELECT 1 FROM name_grams g "
            "WHERE g.gram = ' ' || substr(value, 1, 2) AND g.len = length(value) "
            "AND g.key = value)",
            dialect=conn.dialect,
        ),
        (keys_param(conn, keys),),
    )
    new_keys = [row[0] for row in rows]
    await conn.executemany(
        "INSERT INTO name_grams (gram, len, key) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
        [(gram, len(key), key) for key in new_keys for gram in trigrams(key)],
    )


def keys_param(conn: Connection, keys: list[str]) -> object:
    """A list of text as one parameter: JSON for SQLite's json_each, an array for PostgreSQL."""
    return json.dumps(keys) if conn.dialect == "sqlite" else keys


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

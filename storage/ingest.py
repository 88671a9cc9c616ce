"""Writing one article and its brief: duplicate and replacement rules, then every part."""

from __future__ import annotations

import datetime as dt
import hashlib
import zlib

from briefs.errors import StorageError
from briefs.identity import NamedPerson, figure_subjects, padded_fold
from briefs.model import Brief, IngestResult
from briefs.normalize import fold
from storage import people as people_rows
from storage.db import Connection, Row
from storage.names import PART
from storage.rows import from_utc_text, json_copy, ref_from_row, sql, to_utc_text


async def ingest(
    conn: Connection,
    text: str,
    brief: Brief,
    *,
    guild_id: int | None,
    source: str | None,
    now: dt.datetime,
) -> IngestResult:
    """Store one article and its brief; the caller holds the write transaction."""
    await conn.lock_library()
    scope = guild_id or 0
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    duplicate = await _fetch(
        conn,
        sql(
            "SELECT {REF} FROM articles a JOIN briefs b ON b.id = a.id "
            "WHERE ifnull(a.guild_id, 0) = ? AND a.sha256 = ? AND a.superseded = 0"
        ),
        (scope, sha),
    )
    if duplicate:
        return IngestResult("duplicate", ref_from_row(duplicate))
    old = None
    if source is not None:
        old = await _fetch(
            conn,
            "SELECT id, revision FROM articles "
            "WHERE ifnull(guild_id, 0) = ? AND source = ? AND superseded = 0",
            (scope, source),
        )
    at = to_utc_text(await _monotonic(conn, now))
    inserted = await conn.fetch(
        "INSERT INTO articles (guild_id, sha256, source, text, ingested_at, revision) "
        "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
        (guild_id, sha, source, zlib.compress(text.encode("utf-8")), at, old[1] + 1 if old else 1),
    )
    if not inserted:
        raise StorageError("no id for the new article")
    brief_id = int(inserted[0][0])
    old_people = await _supersede(conn, old[0], brief_id) if old else []
    await _write_brief(conn, brief_id, brief, guild_id=guild_id, source=source, at=at)
    if old_people:
        await people_rows.refresh_keys(conn, old_people, scope)
        await people_rows.collect_orphans(conn, old_people)
    row = await _fetch(conn, sql("SELECT {REF} FROM briefs b WHERE b.id = ?"), (brief_id,))
    if row is None:
        raise StorageError(f"brief {brief_id} vanished while it was written")
    return IngestResult("replaced" if old else "added", ref_from_row(row))


async def _fetch(conn: Connection, sql: str, params: tuple[object, ...]) -> Row | None:
    """The first row of a query, or None."""
    rows = await conn.fetch(sql, params)
    return rows[0] if rows else None


async def _monotonic(conn: Connection, now: dt.datetime) -> dt.datetime:
    """`now`, or the newest ingestion time if the clock went back: id order is time order."""
    row = await _fetch(conn, "SELECT max(ingested_at) FROM briefs", ())
    if row and row[0]:
        return max(now, from_utc_text(row[0]))
    return now


async def _supersede(conn: Connection, old_id: int, new_id: int) -> list[int]:
    """Mark the old article superseded and drop its brief; returns the people it named."""
    person_ids = await people_rows.forget(conn, old_id)
    await conn.execute(
        "UPDATE articles SET superseded = 1, superseded_by = ? WHERE id = ?", (new_id, old_id)
    )
    await conn.execute("DELETE FROM briefs WHERE id = ?", (old_id,))
    return person_ids


async def _write_brief(
    conn: Connection,
    brief_id: int,
    brief: Brief,
    *,
    guild_id: int | None,
    source: str | None,
    at: str,
) -> None:
    """Insert the brief row (the FTS triggers index it) and all its parts."""
    await conn.execute(
        "INSERT INTO briefs (id, guild_id, ingested_at, headline, published, source, highlights,"
        " highlights_derived, analysis, body, json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            brief_id, guild_id, at, brief.headline,
            brief.published.isoformat() if brief.published else None,
            source if source is not None else brief.source,
            "\n".join(brief.highlights), int(brief.highlights_derived),
            brief.analysis, brief.body, json_copy(brief),
        ),
    )  # fmt: skip
    day = brief.published or from_utc_text(at).date()
    appearances = await people_rows.resolve(conn, brief.people, guild_id or 0, day)
    await people_rows.write(conn, brief_id, guild_id or 0, day, appearances)
    sentences = await _write_sentences(conn, brief_id, brief)
    await _write_quotes(conn, brief_id, brief, appearances, sentences)
    await _write_figures(conn, brief_id, brief, appearances, sentences)
    await conn.executemany(
        "INSERT INTO places (brief_id, ord, name, folded) VALUES (?, ?, ?, ?)",
        [(brief_id, i, name, fold(name)) for i, name in enumerate(brief.places)],
    )
    await conn.executemany(
        "INSERT INTO organizations (brief_id, ord, name, folded) VALUES (?, ?, ?, ?)",
        [(brief_id, i, name, fold(name)) for i, name in enumerate(brief.organizations)],
    )


async def _write_sentences(conn: Connection, brief_id: int, brief: Brief) -> dict[str, int]:
    """Insert each distinct sentence of the quotes and figures once; returns text → position."""
    numbered: dict[str, int] = {}
    for sentence in [q.sentence for q in brief.quotes] + [f.sentence for f in brief.figures]:
        if sentence:
            numbered.setdefault(sentence, len(numbered))
    await conn.executemany(
        "INSERT INTO sentences (brief_id, ord, text) VALUES (?, ?, ?)",
        [(brief_id, i, text) for text, i in numbered.items()],
    )
    return numbered


async def _write_quotes(
    conn: Connection,
    brief_id: int,
    brief: Brief,
    appearances: list[people_rows.Appearance],
    sentences: dict[str, int],
) -> None:
    """Insert the quotes, linking a person speaker to the person the brief names."""
    by_key: dict[str, int] = {}
    for kind_pass in (False, True):  # full names and aliases win over name parts
        for a in appearances:
            for key, kind in a.keys:
                if (kind == PART) == kind_pass:
                    by_key.setdefault(key, a.person_id)
    rows = []
    for i, q in enumerate(brief.quotes):
        speaker_id = None
        if q.speaker_kind == "person" and q.speaker:
            speaker_id = by_key.get(fold(q.speaker))
        at = sentences.get(q.sentence)
        rows.append(
            (brief_id, i, q.text, q.speaker, q.speaker_kind, int(q.partial), at, speaker_id)
        )
    await conn.executemany(
        "INSERT INTO quotes (brief_id, ord, text, speaker, speaker_kind, partial, sentence_ord,"
        " person_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )


async def _write_figures(
    conn: Connection,
    brief_id: int,
    brief: Brief,
    appearances: list[people_rows.Appearance],
    sentences: dict[str, int],
) -> None:
    """Insert the figures, and link each to the people it is about (see figure_subjects)."""
    await conn.executemany(
        "INSERT INTO figures (brief_id, ord, value, number, kind, unit, currency, about,"
        " sentence_ord) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                brief_id,
                i,
                f.value,
                f.number,
                f.kind,
                f.unit,
                f.currency,
                f.about,
                sentences.get(f.sentence),
            )
            for i, f in enumerate(brief.figures)
        ],
    )
    named = [
        NamedPerson(tuple(key for key, _ in a.keys if len(key) > 2), frozenset(a.sentences))
        for a in appearances
    ]
    folded = {text: padded_fold(text) for text in sentences}  # figures share their sentences
    links = [
        (appearances[p].person_id, brief_id, i)
        for i, f in enumerate(brief.figures)
        for p in figure_subjects(f, named, folded.get(f.sentence))
    ]
    await conn.executemany(
        "INSERT INTO figure_people (person_id, brief_id, ord) VALUES (?, ?, ?)", links
    )

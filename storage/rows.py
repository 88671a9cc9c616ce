"""Rows to and from the domain values, and the SQL fragments every query shares."""

from __future__ import annotations

import datetime as dt
import functools
import json
import zlib

from briefs.model import Brief, BriefRef, StoredBrief
from briefs.serialize import brief_from_dict, brief_to_dict
from storage.db import Dialect, Row

# The columns of `briefs` a BriefRef is made of, for `SELECT {REF} FROM briefs b`.
REF = "b.id, b.headline, b.published, b.source, b.ingested_at, b.guild_id"
REF_WIDTH = 6
# What a StoredBrief is made of: the ref, then the JSON copy and the body.
STORED = f"{REF}, b.json, b.body"

# The scope rule, with one `?` for the guild id: a guild sees global briefs and its own;
# None matches no guild (`= NULL` is never true), so None sees global briefs only.
VISIBLE = "(b.guild_id IS NULL OR b.guild_id = ?)"

# A brief's sentences are stored once (table `sentences`); quotes and figures point at theirs.
_SENTENCE = (
    "coalesce((SELECT s.text FROM sentences s WHERE s.brief_id = {t}.brief_id"
    " AND s.ord = {t}.sentence_ord), '')"
)
Q_SENTENCE = _SENTENCE.format(t="q")
F_SENTENCE = _SENTENCE.format(t="f")
QUOTE = f"q.text, q.speaker, q.speaker_kind, q.partial, {Q_SENTENCE}"
FIGURE = f"f.value, f.number, f.kind, f.about, {F_SENTENCE}, f.unit, f.currency"

_FRAGMENTS = {
    "REF": REF,
    "STORED": STORED,
    "VISIBLE": VISIBLE,
    "QUOTE": QUOTE,
    "FIGURE": FIGURE,
    "Q_SENTENCE": Q_SENTENCE,
    "F_SENTENCE": F_SENTENCE,
}
# Columns a UNION ALL puts beside text of other arms: PostgreSQL wants one type per column,
# so there they travel as text and the row mappers read them back (`flag`, `real`).
_DIALECT_FRAGMENTS: dict[Dialect, dict[str, str]] = {
    "sqlite": {"FLAG": "q.partial", "NUMBER": "f.number", "KEYS": "json_each(?)"},
    "postgres": {
        "FLAG": "q.partial::text",
        "NUMBER": "f.number::text",
        "KEYS": "unnest(?::text[]) AS value",
    },
}


def to_utc_text(moment: dt.datetime) -> str:
    """A timezone-aware datetime as fixed-width ISO text in UTC (sorts as it compares)."""
    if moment.tzinfo is None:
        raise ValueError("datetimes must be timezone-aware")
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f+00:00")


def from_utc_text(text: str) -> dt.datetime:
    """The datetime stored by `to_utc_text`."""
    return dt.datetime.fromisoformat(text).astimezone(dt.UTC)


def ref_from_row(row: Row) -> BriefRef:
    """A BriefRef from the first REF_WIDTH columns of a row."""
    return BriefRef(
        id=int(row[0]),
        headline=row[1],
        published=dt.date.fromisoformat(row[2]) if row[2] else None,
        source=row[3],
        ingested_at=from_utc_text(row[4]),
        guild_id=row[5],
    )


def stored_from_row(row: Row) -> StoredBrief:
    """A StoredBrief from a row selected with STORED."""
    copy = row[REF_WIDTH]
    data = json.loads(zlib.decompress(copy) if isinstance(copy, bytes) else copy)
    data["body"] = row[REF_WIDTH + 1]
    return StoredBrief(ref=ref_from_row(row), brief=brief_from_dict(data))


def json_copy(brief: Brief) -> bytes:
    """The brief as compressed JSON without its body (the body has its own column)."""
    data = brief_to_dict(brief, full=True)
    data.pop("body", None)
    return zlib.compress(json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode())


@functools.lru_cache(maxsize=1024)
def sql(template: str, marks: int = 0, dialect: Dialect = "sqlite") -> str:
    """A statement from a literal template, filling `{REF}`-style constant fragments and
    `{marks}` with that many `?`. Nothing else can be substituted, so values are always bound."""
    fragments = {**_FRAGMENTS, **_DIALECT_FRAGMENTS[dialect], "marks": ", ".join("?" * marks)}
    return template.format_map(fragments)


def flag(value: object) -> bool:
    """A 0/1 column read back as a bool, whether it came as a number or as text."""
    return value not in (None, 0, "0", False, "false")


def real(value: object) -> float | None:
    """A REAL column read back as a float, whether it came as a number or as text."""
    return None if value is None else float(value)  # type: ignore[arg-type]  # number or text

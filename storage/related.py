"""Briefs related to a brief: those of the scope sharing people, organisations or places."""

from __future__ import annotations

import datetime as dt

from briefs.model import RelatedBrief
from storage.db import Connection
from storage.rows import ref_from_row, sql

WINDOW_DAYS = 60

# What the brief shares with others dated within the window: (other brief, weight, name), a
# person weighing 3, an organisation 2, a place 1.
# ?1 brief id, ?2 first day, ?3 last day, ?4 guild id (VISIBLE).
_SHARED = (
    "SELECT s.brief_id, s.weight, s.name FROM ("
    "SELECT o.brief_id, 3 AS weight, o.name, o.day FROM brief_people m "
    "JOIN brief_people o ON o.person_id = m.person_id AND o.brief_id != m.brief_id "
    "WHERE m.brief_id = ?1 "
    "UNION ALL SELECT o.brief_id, 2, o.name, NULL FROM organizations m "
    "JOIN organizations o ON o.folded = m.folded AND o.brief_id != m.brief_id "
    "WHERE m.brief_id = ?1 "
    "UNION ALL SELECT o.brief_id, 1, o.name, NULL FROM places m "
    "JOIN places o ON o.folded = m.folded AND o.brief_id != m.brief_id WHERE m.brief_id = ?1"
    ") s JOIN briefs b ON b.id = s.brief_id "
    "WHERE coalesce(s.day, b.published, substr(b.ingested_at, 1, 10)) BETWEEN ?2 AND ?3 "
    "AND (b.guild_id IS NULL OR b.guild_id = ?4)"
)


async def related(
    conn: Connection, brief_id: int, guild_id: int | None, day: dt.date, limit: int
) -> list[RelatedBrief]:
    """Up to `limit` briefs the scope sees, dated within WINDOW_DAYS of `day`, that share the
    most with the brief (a person counts most, then an organisation, then a place)."""
    window = dt.timedelta(days=WINDOW_DAYS)
    rows = await conn.fetch(
        _SHARED, (brief_id, (day - window).isoformat(), (day + window).isoformat(), guild_id)
    )
    scores: dict[int, int] = {}
    shared: dict[int, dict[str, None]] = {}
    for other, weight, name in rows:
        names = shared.setdefault(other, {})
        if name not in names:
            names[name] = None
            scores[other] = scores.get(other, 0) + weight
    best = sorted(scores, key=lambda b: (-scores[b], -b))[: max(0, limit)]
    if not best:
        return []
    refs = {
        r[0]: ref_from_row(r)
        for r in await conn.fetch(
            sql("SELECT {REF} FROM briefs b WHERE b.id IN ({marks})", len(best)), best
        )
    }
    return [RelatedBrief(refs[b], tuple(shared[b]), scores[b]) for b in best if b in refs]

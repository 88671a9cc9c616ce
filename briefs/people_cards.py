"""Renders people as cards: who matches a name, and one person's card (roles, quotes, figures,
briefs and company). Plain Markdown, no Discord types."""

from __future__ import annotations

from collections.abc import Sequence

from briefs.markdown import escape
from briefs.model import PersonCard, RoleSpan
from briefs.render import (
    DESCRIPTION_MAX,
    FIELD_VALUE_MAX,
    Card,
    Field,
    card_title,
    clip,
    figure_line,
    format_date,
    lines_field,
    plural,
    quote_line,
    ref_line,
)


def who_cards(
    matches: Sequence[PersonCard], *, query: str = "", sources: bool = False
) -> list[Card]:
    """The best match's card; when a query names several people equally well, a list of them
    with their roles first, then each one's card."""
    named = [m for m in matches if m.match in ("exact", "surname")]
    if len(named) > 1:
        lines = [
            f"**{escape(m.name)}** — {escape(_role_text(m))} · {plural(m.mentions, 'mention')}"
            for m in named
        ]
        listing = Card(
            title=card_title(f"{len(named)} people match “{clip(query, 60)}”"),
            description=clip(
                "\n".join(lines) + "\n\nAsk for one by full name, or turn the pages.",
                DESCRIPTION_MAX,
            ),
        )
        return [listing, *(person_card(m, (), query=query, sources=sources) for m in named)]
    return [person_card(matches[0], matches[1:], query=query, sources=sources)]


def _role_text(card: PersonCard) -> str:
    return (
        ", ".join(x for x in (card.role, card.organization) if x) or "no role given in the briefs"
    )


def role_line(span: RoleSpan) -> str:
    """'Attorney General, US Justice Department — 21 Jan 2026 · also 27 Feb 2025'."""
    what = escape(", ".join(x for x in (span.role, span.organization) if x))
    days = [format_date(d) for d in span.days]
    if not days:
        return what
    return f"{what} — {days[0]}" + (f" · also {', '.join(days[1:])}" if days[1:] else "")


def person_card(
    best: PersonCard, others: Sequence[PersonCard], *, query: str = "", sources: bool = False
) -> Card:
    """One person's card: role now and before, spellings, quotes, figures, briefs, company."""
    role = _role_text(best)
    lines = [f"**{escape(role[:1].upper() + role[1:])}**"]
    if best.match == "fuzzy" and query:
        lines.insert(0, f"_Closest match for “{escape(clip(query, 60))}”._")
    if best.aliases:
        lines.append("Also written: " + ", ".join(escape(a) for a in best.aliases[:6]))
    fields = []
    if len(best.roles) > 1 or any(len(r.days) > 1 for r in best.roles):
        fields.append(lines_field("Roles", [role_line(r) for r in best.roles[:6]]))
    if best.quotes:
        fields.append(
            lines_field("Said", [quote_line(h, sources, dated=True) for h in best.quotes[:5]])
        )
    if best.figures:
        fields.append(lines_field("Figures", [figure_line(h.figure) for h in best.figures[:5]]))
    if best.briefs:
        fields.append(lines_field("Briefs, newest first", [ref_line(r) for r in best.briefs[:6]]))
    if best.companions:
        fields.append(
            Field(
                "Often named with",
                clip(", ".join(escape(c) for c in best.companions), FIELD_VALUE_MAX),
            )
        )
    if others:
        labels = [escape(f"{m.name} ({m.role})" if m.role else m.name) for m in others[:5]]
        fields.append(Field("Other matches", clip(", ".join(labels), FIELD_VALUE_MAX)))
    return Card(
        title=card_title(best.name),
        description=clip("\n".join(lines), DESCRIPTION_MAX),
        fields=tuple(fields),
        footer=plural(best.mentions, "mention") + " in the briefs",
    )

"""Renders briefs and library answers as cards: plain Markdown, no Discord types.

A card is what the bot turns into an embed and the command line prints as text. Long lists are
split into several cards (pages); the bot pages through them with buttons."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from briefs.article_text import source_name
from briefs.markdown import escape, holding_escapes, link, restoring
from briefs.model import (
    SNIPPET_MARK,
    Brief,
    BriefRef,
    Figure,
    FigureHit,
    Person,
    QuoteHit,
    RelatedBrief,
    SearchHit,
    StoredBrief,
)

TITLE_MAX = 256
DESCRIPTION_MAX = 4096
FIELD_VALUE_MAX = 1024
PAGE_SIZE = 8


@dataclass(frozen=True, slots=True)
class Field:
    """A named block of a card."""

    name: str
    value: str
    inline: bool = False


@dataclass(frozen=True, slots=True)
class Card:
    """One screen of an answer: title, Markdown description, fields and a footer."""

    title: str
    description: str = ""
    url: str | None = None
    fields: tuple[Field, ...] = ()
    footer: str | None = None
    timestamp: dt.datetime | None = None  # shown by Discord in the reader's time zone
    image: str | None = None  # a URL Discord fetches and shows; the bot never fetches it


def clip(text: str, limit: int) -> str:
    """Cut text to `limit` characters at a word boundary, marking the cut with an ellipsis."""
    text = text.strip()
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:") + "…"


def format_date(day: dt.date | None) -> str:
    """'21 Jan 2026', or 'undated'."""
    return day.strftime("%-d %b %Y") if day else "undated"


def footer(ref: BriefRef) -> str:
    """Source and date of a brief, for a card's footer."""
    parts = [f"Brief #{ref.id}", format_date(ref.published)]
    name = source_name(ref.source)  # a library from before kept full paths: show the name
    if name:
        parts.append(clip(name, 120))
    return " · ".join(parts)


def headline_link(ref: BriefRef) -> str:
    """The headline (escaped), as a Markdown link when the source is a URL."""
    title = clip(ref.headline, 200)
    return link(title, ref.source_url) if ref.source_url else escape(title)


def ref_line(ref: BriefRef) -> str:
    """One line for a list of briefs: headline and date, never a bare id."""
    return f"**{headline_link(ref)}** — {format_date(ref.published)} `#{ref.id}`"


def _pages(
    title: str, lines: Sequence[str], *, per_page: int = PAGE_SIZE, **kw: str | None
) -> list[Card]:
    chunks = [lines[i : i + per_page] for i in range(0, len(lines), per_page)] or [[]]
    cards = []
    for number, chunk in enumerate(chunks, start=1):
        suffix = f" ({number}/{len(chunks)})" if len(chunks) > 1 else ""
        description = clip("\n\n".join(chunk), DESCRIPTION_MAX)
        cards.append(Card(title=clip(title + suffix, TITLE_MAX), description=description, **kw))  # type: ignore[arg-type]  # url/footer only
    return cards


def brief_card(stored: StoredBrief, related: Sequence[RelatedBrief] = ()) -> Card:
    """The overview of one brief: highlights, lead, its top people, figures and quote, and the
    related briefs (what each shares with it)."""
    brief, ref = stored.brief, stored.ref
    lead = (
        brief.sections[0].paragraphs[0] if brief.sections and brief.sections[0].paragraphs else ""
    )
    highlights = "\n".join(f"• {escape(h)}" for h in brief.highlights[:5])
    fields = []
    if brief.people:
        fields.append(
            Field(
                "People",
                clip(
                    ", ".join(escape(_person_label(p)) for p in brief.people[:8]), FIELD_VALUE_MAX
                ),
            )
        )
    if brief.figures:
        fields.append(
            Field(
                "Figures",
                clip("\n".join(figure_line(f) for f in brief.figures[:6]), FIELD_VALUE_MAX),
            )
        )
    if brief.quotes:
        q = brief.quotes[0]
        fields.append(Field("Quote", clip(_said(q.text, q.speaker), FIELD_VALUE_MAX)))
    if brief.places:
        fields.append(
            Field(
                "Places",
                clip(", ".join(escape(p) for p in brief.places[:12]), FIELD_VALUE_MAX),
                inline=True,
            )
        )
    if related:
        fields.append(
            lines_field(
                "Related briefs",
                [
                    f"{ref_line(r.brief)}\n↳ {escape(clip(', '.join(r.shared[:4]), 200))}"
                    for r in related
                ],
            )
        )
    lead = escape(lead)
    description = highlights + ("\n\n" + lead if lead and not brief.highlights_derived else "")
    return Card(
        title=card_title(brief.headline),
        description=clip(description or lead, DESCRIPTION_MAX),
        url=ref.source_url,
        fields=tuple(fields),
        footer=footer(ref),
        timestamp=ref.ingested_at,
    )


def card_title(text: str, prefix: str = "", limit: int = TITLE_MAX) -> str:
    """A card title from article text: `prefix` is the bot's, the rest is escaped."""
    return prefix + escape(clip(text, min(limit, TITLE_MAX - len(prefix) - 20)))


def _said(text: str, speaker: str | None) -> str:
    return f"“{escape(text)}” — {escape(speaker) if speaker else 'unattributed'}"


def _person_label(person: Person) -> str:
    return f"{person.name} ({person.role})" if person.role else person.name


def figure_line(figure: Figure, about_chars: int = FIELD_VALUE_MAX) -> str:
    """A figure in bold with what it counts."""
    value = f"**{escape(figure.value)}**"
    return f"{value} — {escape(clip(figure.about, about_chars))}" if figure.about else value


def highlights_card(stored: StoredBrief) -> Card:
    """The highlights of a brief, saying when they were derived from the lead."""
    brief = stored.brief
    lines = "\n".join(f"• {escape(h)}" for h in brief.highlights)
    lines = lines or "This article has no highlights."
    note = "\n\n*Derived from the article's opening sentences.*" if brief.highlights_derived else ""
    return Card(
        title=card_title(brief.headline, "Highlights: "),
        description=clip(lines + note, DESCRIPTION_MAX),
        url=stored.ref.source_url,
        footer=footer(stored.ref),
        timestamp=stored.ref.ingested_at,
    )


def analysis_card(stored: StoredBrief) -> Card:
    """The analysis/outlook of a brief."""
    text = escape(stored.brief.analysis) or "This article has no analysis or outlook section."
    return Card(
        title=card_title(stored.brief.headline, "Analysis: "),
        description=clip(text, DESCRIPTION_MAX),
        url=stored.ref.source_url,
        footer=footer(stored.ref),
        timestamp=stored.ref.ingested_at,
    )


def lines_field(name: str, lines: Sequence[str]) -> Field:
    """A field of whole lines: those that fit in Discord's 1024 characters."""
    kept: list[str] = []
    for line in lines:
        if len("\n".join([*kept, line])) > FIELD_VALUE_MAX:
            break
        kept.append(line)
    return Field(name, "\n".join(kept) or clip(lines[0], FIELD_VALUE_MAX))


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def quote_line(hit: QuoteHit, sources: bool, *, dated: bool = False) -> str:
    line = f"{_said(hit.quote.text, hit.quote.speaker)} · _{escape(clip(hit.brief.headline, 80))}_"
    if dated:
        line += f", {format_date(hit.brief.published or hit.brief.ingested_at.date())}"
    if sources and hit.quote.sentence and hit.quote.sentence != hit.quote.text:
        line += f"\n> {escape(clip(hit.quote.sentence, 300))}"
    return line


def figures_cards(
    hits: Sequence[FigureHit], *, title: str = "Key figures", sources: bool = False
) -> list[Card]:
    """Figures with what each counts (and the sentence it came from, when asked)."""
    lines = []
    for hit in hits:
        line = figure_line(hit.figure)
        if sources:
            line += f"\n> {escape(clip(hit.figure.sentence, 300))}"
        lines.append(line)
    return _pages(title, lines, footer=_common_footer([h.brief for h in hits]))


def quotes_cards(
    hits: Sequence[QuoteHit], *, title: str = "Quotes", sources: bool = False
) -> list[Card]:
    """Quotes with their speakers (and their sentences, when asked)."""
    lines = [quote_line(h, sources) for h in hits]
    return _pages(title, lines, per_page=5, footer=_common_footer([h.brief for h in hits]))


def _common_footer(refs: Sequence[BriefRef]) -> str | None:
    ids = {r.id for r in refs}
    return footer(refs[0]) if len(ids) == 1 else None


def snippet_markdown(snippet: str) -> str:
    """A search snippet (matched words between the store's `**` markers) as Markdown: the text
    escaped, the matched words bold, so neither Discord nor a terminal shows the markers."""
    parts = clip(snippet, 300).split(SNIPPET_MARK)
    return "".join(
        f"**{escape(part)}**" if odd and part else escape(part)
        for odd, part in ((i % 2 == 1, p) for i, p in enumerate(parts))
    )


def search_cards(query: str, hits: Sequence[SearchHit]) -> list[Card]:
    """Search results: headline, date and a snippet of where the words stand."""
    lines = [f"{ref_line(h.brief)}\n{snippet_markdown(h.snippet)}" for h in hits]
    return _pages(card_title(query, "Search: ", 60), lines, per_page=5)


def latest_cards(refs: Sequence[BriefRef]) -> list[Card]:
    """The newest briefs, headline and date."""
    return _pages("Latest briefs", [ref_line(r) for r in refs], per_page=10)


def not_found(kind: str, query: str, suggestions: Sequence[str] = ()) -> str:
    """A helpful line for an empty answer."""
    query = escape(clip(query, 80))
    if suggestions:
        return (
            f"No {kind} matches “{query}”. Did you mean "
            + ", ".join(f"**{escape(s)}**" for s in suggestions)
            + "?"
        )
    hints = {
        "person": "Try a surname, or /search to look through the briefs.",
        "brief": "Try /latest to see recent briefs, or /search.",
        "result": "Try fewer or different words.",
    }
    return f"No {kind} matches “{query}”. {hints.get(kind, '')}".strip()


_LINK = re.compile(r"\[([^\]]+)\]\(<?(https?://[^)\s>]+)>?\)")
_EMPHASIS = re.compile(r"\*\*|`|(?<!\w)_(?=\S)|(?<=\S)_(?!\w)")


def plain(markdown: str) -> str:
    """Markdown as terminal text: links as 'text <url>', emphasis marks dropped, escapes undone."""
    text, held = holding_escapes(markdown)
    return restoring(_EMPHASIS.sub("", _LINK.sub(r"\1 <\2>", text)), held)


def card_text(card: Card) -> str:
    """A card as terminal text, for the command line and the console."""
    heading = plain(card.title)
    out = [heading, "=" * min(len(heading), 78)]
    if card.url:
        out.append(card.url)
    if card.description:
        out.append(plain(card.description))
    for f in card.fields:
        out.extend(["", f"{f.name}:", plain(f.value)])
    if card.footer:
        out.extend(["", f"— {card.footer}"])
    return "\n".join(out)


def brief_text(brief: Brief) -> str:
    """A whole brief, readably, for `briefbot parse`."""
    out = [brief.headline, "=" * min(len(brief.headline), 78)]
    out.append(
        f"Published: {format_date(brief.published)}"
        + (f"   Source: {brief.source}" if brief.source else "")
    )
    label = "Highlights (derived from the lead)" if brief.highlights_derived else "Highlights"
    out += ["", f"{label}:"] + [f"  • {h}" for h in brief.highlights]
    for section in brief.sections:
        out += ["", f"## {section.heading}" if section.heading else "## (lead)"]
        out += [f"  {p}" for p in section.paragraphs]
    if brief.analysis:
        out += ["", "Analysis:", f"  {brief.analysis}"]
    out += ["", "People:"] + [
        f"  - {_person_label(p)}" + (f", {p.organization}" if p.organization else "")
        for p in brief.people
    ]
    out += ["", "Quotes:"] + [
        f"  - “{q.text}” — {q.speaker or 'unattributed'}" for q in brief.quotes
    ]
    out += ["", "Figures:"] + [
        f"  - **{f.value}** — {f.about}" if f.about else f"  - **{f.value}**" for f in brief.figures
    ]
    out += [
        "",
        "Places: " + ", ".join(brief.places),
        "Organisations: " + ", ".join(brief.organizations),
    ]
    if brief.failed_parts:
        out += ["", "Not read (an internal error, logged): " + ", ".join(brief.failed_parts)]
    return "\n".join(out)

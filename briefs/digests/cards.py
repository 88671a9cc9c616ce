"""What a digest shows: the briefs its topics pick, newest first, each drawn as a card (full or
compact), its header line and the name of its forum post or thread. Plain Markdown, no Discord
types; `briefs.digests.compose` packs these cards into messages and tags them for a run."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import lru_cache
from zoneinfo import ZoneInfo

from briefs.errors import InvalidSchedule
from briefs.markdown import escape
from briefs.model import Brief, Quote, StoredBrief
from briefs.normalize import fold
from briefs.render import (
    DESCRIPTION_MAX,
    FIELD_VALUE_MAX,
    Card,
    Field,
    card_title,
    clip,
    figure_line,
    footer,
    ref_line,
)
from briefs.sources.follows import person_matches

FOOTER_MAX = 2048
CONTENT_MAX = 2000
MAX_TOPICS = 10
TOPIC_MAX_CHARS = 60
_HIGHLIGHT_CHARS = 300
_FIGURES = 3


def parse_topics(text: str | None) -> tuple[str, ...]:
    """Comma-separated people, places, organisations or words, trimmed and deduplicated."""
    topics: list[str] = []
    for part in (text or "").split(","):
        topic = " ".join(part.split())
        if not topic:
            continue
        if len(topic) > TOPIC_MAX_CHARS or not fold(topic):
            raise InvalidSchedule(text or "", f"{clip(topic, 40)!r} is not a usable topic")
        if fold(topic) not in {fold(t) for t in topics}:
            topics.append(topic)
    if len(topics) > MAX_TOPICS:
        raise InvalidSchedule(text or "", f"at most {MAX_TOPICS} topics")
    return tuple(topics)


def matches(brief: Brief, include: Sequence[str], exclude: Sequence[str]) -> bool:
    """Whether a brief passes the topic filters (include: any of them; exclude: none)."""
    if include and not any(_mentions(brief, fold(t)) for t in include):
        return False
    return not any(_mentions(brief, fold(t)) for t in exclude)


def _mentions(brief: Brief, key: str) -> bool:
    if any(person_matches(p, key) for p in brief.people):
        return True
    names, text = _folded(brief)
    return key in names or f" {key} " in text


@lru_cache(maxsize=4096)
def _folded(brief: Brief) -> tuple[frozenset[str], str]:
    """Folded place and organisation names, and the folded searchable text, of one brief."""
    names = frozenset(fold(n) for n in (*brief.places, *brief.organizations))
    text = " ".join(fold(t) for t in (brief.headline, *brief.highlights, brief.body))
    return names, f" {text} "


def count_text(count: int) -> str:
    return f"{count} new brief" if count == 1 else f"{count} new briefs"


def newest_published_first(stored: StoredBrief) -> tuple[int, dt.timedelta, int]:
    """Sort key: by when the article was published (undated: when it was added), newest first."""
    ref = stored.ref
    day = ref.published or ref.ingested_at.date()
    return (-day.toordinal(), dt.datetime.max.replace(tzinfo=dt.UTC) - ref.ingested_at, -ref.id)


def header_line(count: int, since: dt.datetime | None, tz: str) -> str:
    since_text = f" since {when_text(since, tz)}" if since else ""
    return clip(f"**Digest** — {count_text(count)}{since_text}", CONTENT_MAX)


THREAD_NAME_MAX = 100  # Discord's limit on a thread's (and a forum post's) name


def thread_name(title: str, scheduled_for: dt.datetime, tz: str) -> str:
    """A digest's forum post or thread name: its title and the run's date in the schedule's zone,
    e.g. 'Digest — 3 new briefs · Sat 28 Nov 2026'."""
    day = scheduled_for.astimezone(ZoneInfo(tz)).strftime("%a %-d %b %Y")
    return f"{clip(' '.join(title.split()), THREAD_NAME_MAX - len(day) - 3)} · {day}"


def when_text(moment: dt.datetime, tz: str) -> str:
    local = moment.astimezone(ZoneInfo(tz))
    return f"{local.strftime('%a %-d %b, %H:%M')} ({tz})"


def full_card(stored: StoredBrief) -> Card:
    """One brief: linked headline, up to three highlights, top figures and one quote."""
    brief = stored.brief
    lines = [f"• {escape(clip(h, _HIGHLIGHT_CHARS))}" for h in brief.highlights[:3]]
    fields: list[Field] = []
    if brief.figures:
        figures = [figure_line(f, about_chars=150) for f in brief.figures[:_FIGURES]]
        fields.append(Field("Figures", clip("\n".join(figures), FIELD_VALUE_MAX)))
    quote = _best_quote(brief.quotes)
    if quote is not None:
        speaker = escape(quote.speaker) if quote.speaker else "unattributed"
        said = f"“{escape(clip(quote.text, 600))}” — {speaker}"
        fields.append(Field("Quote", clip(said, FIELD_VALUE_MAX)))
    return Card(
        title=card_title(brief.headline),
        description=clip("\n".join(lines), DESCRIPTION_MAX),
        url=stored.ref.source_url,
        fields=tuple(fields),
        footer=clip(footer(stored.ref), FOOTER_MAX),
        timestamp=stored.ref.ingested_at,
    )


def _best_quote(quotes: Sequence[Quote]) -> Quote | None:
    """The first attributed full quote, else the first quote."""
    for quote in quotes:
        if quote.speaker and not quote.partial:
            return quote
    return quotes[0] if quotes else None


def compact_cards(shown: Sequence[StoredBrief], more_line: str) -> list[Card]:
    """One line per brief, in as many cards as the description limit needs."""
    lines = [clip(ref_line(s.ref), 400) for s in shown] + ([more_line] if more_line else [])
    chunks: list[list[str]] = [[]]
    for line in lines:
        if sum(len(x) + 1 for x in chunks[-1]) + len(line) > DESCRIPTION_MAX:
            chunks.append([])
        chunks[-1].append(line)
    return [Card(title="New briefs", description="\n".join(chunk)) for chunk in chunks]


def card_length(card: Card) -> int:
    """The characters Discord counts towards an embed's 6,000 (title, text, fields, footer)."""
    fields = sum(len(f.name) + len(f.value) for f in card.fields)
    return len(card.title) + len(card.description) + fields + len(card.footer or "")

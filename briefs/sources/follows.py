"""Follows: match a new brief against followed people and topics, batch and cap the alerts."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from briefs.markdown import escape, link
from briefs.model import Brief, Person
from briefs.normalize import fold

FollowKind = Literal["person", "topic"]
ALERTS_PER_MESSAGE = 10  # more than this in one batch are summarised as "and N more"
_SENTENCE_END = re.compile(r"(?:(?<=[.!?…])|(?<=[.!?…][\"'”’)]))\s+(?=[\"'“‘(]?[A-Z0-9])")
_MAX_SENTENCE = 300


@dataclass(frozen=True, slots=True)
class Follow:
    """A channel following a person or a topic in one guild."""

    id: int
    guild_id: int
    channel_id: int
    kind: FollowKind
    name: str  # as the member typed it
    key: str  # fold(name): what is matched
    created_by: int | None = None
    created_at: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class Alert:
    """One follow matched by one brief: what to tell the channel."""

    follow_id: int
    channel_id: int
    kind: FollowKind
    name: str  # the person as the brief names them, or the topic as followed
    headline: str
    sentence: str | None  # the sentence that mentions it
    link: str | None
    brief_id: int


@dataclass(frozen=True, slots=True)
class AlertBatch:
    """The alerts for one channel that go out together as one message."""

    channel_id: int
    alerts: tuple[Alert, ...]
    held_back: int = 0  # over the hourly cap: not sent


def follow_key(name: str) -> str:
    """The folded key a follow is matched and deduplicated by."""
    return fold(name)


def person_matches(person: Person, key: str) -> bool:
    """True when the key names the person as `/who` does: full name, surname or an alias."""
    if not key:
        return False
    full = fold(person.name)
    if key == full or key in {fold(a) for a in person.aliases}:
        return True
    words, wanted = full.split(), key.split()
    return len(wanted) < len(words) and words[-len(wanted) :] == wanted


def _has_phrase(folded_text: str, key: str) -> bool:
    return f" {key} " in f" {folded_text} "


def sentences(text: str) -> list[str]:
    """Split text into sentences (good enough to quote the one that mentions a name)."""
    out: list[str] = []
    for paragraph in text.split("\n"):
        out.extend(s.strip() for s in _SENTENCE_END.split(paragraph) if s.strip())
    return out


def _first_sentence(candidates: Iterable[str], key: str) -> str | None:
    for sentence in candidates:
        if _has_phrase(fold(sentence), key):
            return _clip(sentence)
    return None


def _clip(sentence: str) -> str:
    return sentence if len(sentence) <= _MAX_SENTENCE else sentence[: _MAX_SENTENCE - 1] + "…"


def _topic_fields(brief: Brief) -> list[str]:
    return [
        brief.headline,
        *brief.highlights,
        brief.body,
        *brief.places,
        *brief.organizations,
    ]


def _match_person(brief: Brief, follow: Follow) -> tuple[str, str | None] | None:
    for person in brief.people:
        if person_matches(person, follow.key):
            keys = [fold(person.name), follow.key, *(fold(a) for a in person.aliases)]
            mention = next(iter(person.mentions), None)
            if mention is None:
                texts = [brief.headline, *brief.highlights, *sentences(brief.body)]
                mention = next((m for k in keys if (m := _first_sentence(texts, k))), None)
            return person.name, _clip(mention) if mention else None
    return None


def _match_topic(brief: Brief, follow: Follow) -> tuple[str, str | None] | None:
    if not follow.key or not any(_has_phrase(fold(t), follow.key) for t in _topic_fields(brief)):
        return None
    texts = [*brief.highlights, *sentences(brief.body), brief.headline]
    return follow.name, _first_sentence(texts, follow.key)


def match_follows(brief: Brief, brief_id: int, follows: Sequence[Follow]) -> list[Alert]:
    """The alerts a new brief raises: one per follow it mentions."""
    alerts: list[Alert] = []
    for follow in follows:
        hit = (
            _match_person(brief, follow) if follow.kind == "person" else _match_topic(brief, follow)
        )
        if hit is None:
            continue
        name, sentence = hit
        alerts.append(
            Alert(
                follow_id=follow.id,
                channel_id=follow.channel_id,
                kind=follow.kind,
                name=name,
                headline=brief.headline,
                sentence=sentence,
                link=brief.source_url,
                brief_id=brief_id,
            )
        )
    return alerts


def batch_alerts(
    alerts: Sequence[Alert], *, sent_last_hour: Mapping[int, int], cap: int
) -> list[AlertBatch]:
    """Group alerts by channel, one batch each, keeping each channel within `cap` alerts an hour."""
    by_channel: dict[int, list[Alert]] = {}
    for alert in alerts:
        same = by_channel.setdefault(alert.channel_id, [])
        if not any(a.follow_id == alert.follow_id and a.brief_id == alert.brief_id for a in same):
            same.append(alert)
    batches: list[AlertBatch] = []
    for channel_id, items in by_channel.items():
        room = max(0, cap - sent_last_hour.get(channel_id, 0))
        batches.append(AlertBatch(channel_id, tuple(items[:room]), max(0, len(items) - room)))
    return batches


def hour_window(now: dt.datetime) -> dt.datetime:
    """The start of the sliding hour the cap counts alerts in."""
    return now - dt.timedelta(hours=1)


def render_alert(alert: Alert) -> str:
    """One alert as a Markdown block: who or what, the headline (linked), the sentence."""
    label = "👤" if alert.kind == "person" else "🏷️"
    title = (
        link(alert.headline, alert.link, preview=False)
        if alert.link
        else f"**{escape(alert.headline)}**"
    )
    lines = [f"{label} **{escape(alert.name)}** in {title}"]
    if alert.sentence:
        lines.append(f"> {escape(alert.sentence)}")
    return "\n".join(lines)


def render_batch(batch: AlertBatch, *, limit: int = 2000) -> str:
    """A batch as one message of at most `limit` characters; what does not fit is counted."""
    blocks = [render_alert(a) for a in batch.alerts[:ALERTS_PER_MESSAGE]]
    while blocks:
        more = len(batch.alerts) - len(blocks)
        tail = f"\n\n…and {more} more" if more else ""
        text = "\n\n".join(blocks) + tail
        if len(text) <= limit:
            return text
        blocks.pop()
    return f"{len(batch.alerts)} new alerts"[:limit]

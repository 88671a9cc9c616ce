"""A brief to and from plain JSON-able data (the `parse --json` schema, and the library's copy)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, cast

from briefs.model import Brief, Figure, FigureKind, Person, Quote, Section, SpeakerKind

JSON = dict[str, Any]  # Any: JSON values are of mixed types by nature


class _Sentences:
    """Each distinct sentence once, in order of first use; parts refer to it by index."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}

    def ref(self, sentence: str) -> int | None:
        """The index of a sentence (added on first use); None for no sentence."""
        if not sentence:
            return None
        return self.index.setdefault(sentence, len(self.index))


def brief_to_dict(brief: Brief, *, full: bool = True) -> JSON:
    """The documented JSON schema of a brief; `full` adds body, mentions and figure details.

    Sentences are listed once under "sentences"; quotes, figures and mentions give an index
    into that list, so the output grows with the article, not with parts × sentence length.
    """
    sentences = _Sentences()
    data: JSON = {
        "headline": brief.headline,
        "published": brief.published.isoformat() if brief.published else None,
        "source": brief.source,
        "highlights": list(brief.highlights),
        "highlights_derived": brief.highlights_derived,
        "sections": [
            {"heading": s.heading, "paragraphs": list(s.paragraphs)} for s in brief.sections
        ],
        "analysis": brief.analysis,
        "people": [
            {
                "name": p.name,
                "role": p.role,
                "organization": p.organization,
                "aliases": list(p.aliases),
                **({"mentions": [sentences.ref(m) for m in p.mentions]} if full else {}),
            }
            for p in brief.people
        ],
        "quotes": [
            {
                "text": q.text,
                "speaker": q.speaker,
                "speaker_kind": q.speaker_kind,
                "partial": q.partial,
                "sentence": sentences.ref(q.sentence),
            }
            for q in brief.quotes
        ],
        "figures": [
            {
                "value": f.value,
                "number": f.number,
                "kind": f.kind,
                "unit": f.unit,
                "currency": f.currency,
                "about": f.about,
                "sentence": sentences.ref(f.sentence),
            }
            for f in brief.figures
        ],
        "places": list(brief.places),
        "organizations": list(brief.organizations),
        "sentences": list(sentences.index),
        "failed_parts": list(brief.failed_parts),
    }
    if full:
        data["body"] = brief.body
    return data


def _sentence_reader(data: JSON) -> Callable[[object], str]:
    """Reads a part's sentence: an index into "sentences", or (older copies) the text itself."""
    listed = data.get("sentences", [])

    def read(value: object) -> str:
        if isinstance(value, int) and 0 <= value < len(listed):
            return str(listed[value])
        return value if isinstance(value, str) else ""

    return read


def brief_from_dict(data: JSON) -> Brief:
    """Rebuild a brief from `brief_to_dict(brief, full=True)` (or an older, inline copy)."""
    sentence = _sentence_reader(data)
    published = data.get("published")
    return Brief(
        headline=data["headline"],
        published=dt.date.fromisoformat(published) if published else None,
        source=data.get("source"),
        highlights=tuple(data.get("highlights", ())),
        highlights_derived=bool(data.get("highlights_derived", False)),
        sections=tuple(
            Section(s.get("heading"), tuple(s.get("paragraphs", ())))
            for s in data.get("sections", ())
        ),
        analysis=data.get("analysis", ""),
        body=data.get("body", ""),
        people=tuple(
            Person(
                name=p["name"],
                role=p.get("role"),
                organization=p.get("organization"),
                aliases=tuple(p.get("aliases", ())),
                mentions=tuple(sentence(m) for m in p.get("mentions", ())),
            )
            for p in data.get("people", ())
        ),
        quotes=tuple(
            Quote(
                text=q["text"],
                speaker=q.get("speaker"),
                speaker_kind=cast(SpeakerKind, q.get("speaker_kind", "unknown")),
                partial=bool(q.get("partial", False)),
                sentence=sentence(q.get("sentence")),
            )
            for q in data.get("quotes", ())
        ),
        figures=tuple(
            Figure(
                value=f["value"],
                number=f.get("number"),
                kind=cast(FigureKind, f.get("kind", "count")),
                about=f.get("about", ""),
                sentence=sentence(f.get("sentence")),
                unit=f.get("unit"),
                currency=f.get("currency"),
            )
            for f in data.get("figures", ())
        ),
        places=tuple(data.get("places", ())),
        organizations=tuple(data.get("organizations", ())),
        failed_parts=tuple(data.get("failed_parts", ())),
    )

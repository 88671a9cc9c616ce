"""A brief to and from plain JSON-able data (the `parse --json` schema, and the library's copy)."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from briefs.model import Brief, Figure, FigureKind, Person, Quote, Section, SpeakerKind

JSON = dict[str, Any]  # Any: JSON values are of mixed types by nature


def brief_to_dict(brief: Brief, *, full: bool = True) -> JSON:
    """The documented JSON schema of a brief; `full` adds body, mentions and figure details."""
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
                **({"mentions": list(p.mentions)} if full else {}),
            }
            for p in brief.people
        ],
        "quotes": [
            {
                "text": q.text,
                "speaker": q.speaker,
                "speaker_kind": q.speaker_kind,
                "partial": q.partial,
                "sentence": q.sentence,
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
                "sentence": f.sentence,
            }
            for f in brief.figures
        ],
        "places": list(brief.places),
        "organizations": list(brief.organizations),
        "failed_parts": list(brief.failed_parts),
    }
    if full:
        data["body"] = brief.body
    return data


def brief_from_dict(data: JSON) -> Brief:
    """Rebuild a brief from `brief_to_dict(brief, full=True)`."""
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
                mentions=tuple(p.get("mentions", ())),
            )
            for p in data.get("people", ())
        ),
        quotes=tuple(
            Quote(
                text=q["text"],
                speaker=q.get("speaker"),
                speaker_kind=cast(SpeakerKind, q.get("speaker_kind", "unknown")),
                partial=bool(q.get("partial", False)),
                sentence=q.get("sentence", ""),
            )
            for q in data.get("quotes", ())
        ),
        figures=tuple(
            Figure(
                value=f["value"],
                number=f.get("number"),
                kind=cast(FigureKind, f.get("kind", "count")),
                about=f.get("about", ""),
                sentence=f.get("sentence", ""),
                unit=f.get("unit"),
                currency=f.get("currency"),
            )
            for f in data.get("figures", ())
        ),
        places=tuple(data.get("places", ())),
        organizations=tuple(data.get("organizations", ())),
        failed_parts=tuple(data.get("failed_parts", ())),
    )

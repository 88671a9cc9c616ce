"""What a member notices when an article is updated: headline, quotes, figures.

A post keeps what it `Shown` (a small JSON snapshot); a new revision is compared against it and
the differences become one short reply. Wording or layout changes that touch none of these make
no reply."""

from __future__ import annotations

import json
from dataclasses import dataclass

from briefs.model import Brief
from briefs.sources.filters import fold

MAX_LINES = 6
QUOTE_SHOWN = 120


@dataclass(frozen=True, slots=True)
class Shown:
    """What a posted item showed: headline, quotes, figures by what they count."""

    headline: str
    quotes: tuple[str, ...] = ()
    figures: tuple[tuple[str, str], ...] = ()  # (what it counts, value as written)

    def to_json(self) -> str:
        """The stored form."""
        return json.dumps(
            {"headline": self.headline, "quotes": self.quotes, "figures": self.figures},
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, text: str | None) -> Shown | None:
        """The stored form back; None when nothing was stored."""
        if not text:
            return None
        data = json.loads(text)
        return cls(
            str(data.get("headline", "")),
            tuple(str(q) for q in data.get("quotes", ())),
            tuple((str(a), str(v)) for a, v in data.get("figures", ())),
        )


def shown(brief: Brief) -> Shown:
    """The snapshot of a brief's noticeable parts."""
    figures: dict[str, str] = {}
    for figure in brief.figures:
        about = " ".join(figure.about.split())
        if about and fold(about) not in {fold(a) for a in figures}:
            figures[about] = figure.value
    quotes = tuple(dict.fromkeys(" ".join(q.text.split()) for q in brief.quotes))
    return Shown(" ".join(brief.headline.split()), quotes, tuple(figures.items()))


@dataclass(frozen=True, slots=True)
class Change:
    """One noticed difference; the bot renders it (escaping article text)."""

    kind: str  # "headline", "figure", "quote added", "quote removed"
    before: str = ""
    after: str = ""
    label: str = ""  # what a figure counts


def what_changed(old: Shown, new: Shown) -> list[Change]:
    """The differences a member would notice, most important first; empty when none."""
    changes: list[Change] = []
    if fold(old.headline) != fold(new.headline):
        changes.append(Change("headline", old.headline, new.headline))
    before = {fold(a): (a, v) for a, v in old.figures}
    for about, value in new.figures:
        was = before.get(fold(about))
        if was is not None and fold(was[1]) != fold(value):
            changes.append(Change("figure", was[1], value, label=about))
    old_quotes = {fold(q) for q in old.quotes}
    new_quotes = {fold(q) for q in new.quotes}
    changes += [Change("quote added", after=q) for q in new.quotes if fold(q) not in old_quotes]
    changes += [Change("quote removed", before=q) for q in old.quotes if fold(q) not in new_quotes]
    return changes

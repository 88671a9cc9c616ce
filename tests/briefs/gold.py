"""Matching a brief against a hand-made gold file (the dev README's suggested scoring)."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from briefs.extract import build_brief
from briefs.model import Brief, Figure, Quote
from briefs.normalize import fold

Gold = dict[str, Any]  # Any: JSON values
_CURLY = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})


@cache
def load_gold(path: Path) -> Gold:
    """A gold file, read once."""
    return dict(json.loads(path.read_text(encoding="utf-8")))


@cache
def brief_for(path: Path) -> Brief:
    """The brief of the article a gold file describes (it sits beside the gold file)."""
    name = load_gold(path)["file"]
    return build_brief((path.parent / name).read_bytes(), name)


def names(item: Gold) -> set[str]:
    """A person's folded name and aliases."""
    return {fold(n) for n in [item["name"], *item.get("aliases", [])] if n}


def same_quote(a: str, b: str) -> bool:
    """Quote texts match after straightening quotes and trimming punctuation (or ≥ 90 fuzzy)."""
    x, y = (" ".join(t.translate(_CURLY).split()).strip(" \"'.,;:!?").lower() for t in (a, b))
    return bool(x and y) and (x in y or y in x or fuzz.ratio(x, y) >= 90)


def recall_precision(
    gold: list[Any], found: list[Any], match: Callable[[Any, Any], bool]
) -> tuple[float, float]:
    """Recall over the non-optional gold items; precision over what was found."""
    wanted = [g for g in gold if not g.get("optional")]
    hit = sum(any(match(g, f) for f in found) for g in wanted)
    useful = sum(any(match(g, f) for g in gold) for f in found)
    return hit / max(1, len(wanted)), useful / max(1, len(found))


def quote_matcher(gold: Gold) -> Callable[[Gold, Quote], bool]:
    """Same words and the right speaker (the person, an alias, or a listed alternative)."""
    speakers = {fold(p["name"]): names(p) for p in gold["people"]}

    def match(g: Gold, q: Quote) -> bool:
        ok = speakers.get(fold(g["speaker"]), {fold(g["speaker"])})
        ok = ok | {fold(a) for a in g.get("speaker_alts", [])}
        return same_quote(g["text"], q.text) and q.speaker is not None and fold(q.speaker) in ok

    return match


def figure_match(g: Gold, f: Figure) -> bool:
    """The figure's number is the gold number (or one of a gold list)."""
    numbers = g["number"] if isinstance(g["number"], list) else [g["number"]]
    return f.number is not None and any(abs(f.number - n) < 1e-6 for n in numbers)

"""Include/exclude filters of a feed delivery: whole words or phrases, any case, any accents.

No user-supplied regular expressions: a term is folded to its words, and the text is folded the
same way, so matching is a substring test on space-padded word sequences (linear in the text)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from briefs.model import Brief

MAX_TERMS = 25
MAX_TERM_LENGTH = 100
_WORD = re.compile(r"\w+")


def fold(text: str) -> str:
    """Lower case without accents, as space-separated words: 'Zürich-Nord!' -> 'zurich nord'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(_WORD.findall(bare))


def parse_terms(text: str | None) -> tuple[str, ...]:
    """A comma-separated list as terms: trimmed, de-duplicated, empty ones dropped, bounded."""
    terms: list[str] = []
    for raw in (text or "").split(","):
        term = " ".join(raw.split())[:MAX_TERM_LENGTH]
        if fold(term) and fold(term) not in (fold(t) for t in terms):
            terms.append(term)
    return tuple(terms[:MAX_TERMS])


@dataclass(frozen=True, slots=True)
class ItemFilter:
    """Which items a delivery lets through: any include term (if there are any), no exclude term."""

    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()

    def verdict(self, brief: Brief) -> tuple[bool, str]:
        """(passes, why) for one brief."""
        text = f" {searchable(brief)} "
        for term in self.exclude:
            if f" {fold(term)} " in text:
                return False, f"excluded by “{term}”"
        if not self.include:
            return True, "no include filter"
        for term in self.include:
            if f" {fold(term)} " in text:
                return True, f"included by “{term}”"
        return False, "no include word matched"

    def describe(self) -> str:
        """'include: a, b · exclude: c', or 'no filters'."""
        parts = []
        if self.include:
            parts.append("include: " + ", ".join(self.include))
        if self.exclude:
            parts.append("exclude: " + ", ".join(self.exclude))
        return " · ".join(parts) or "no filters"


def searchable(brief: Brief) -> str:
    """The folded text filters look at: headline, highlights, people, organisations, places."""
    parts: list[Iterable[str]] = [
        (brief.headline,),
        brief.highlights,
        (p.name for p in brief.people),
        brief.organizations,
        brief.places,
    ]
    # A separator word keeps a phrase from matching across two fields.
    return " | ".join(fold(piece) for group in parts for piece in group)


def join_terms(terms: Sequence[str]) -> str:
    """Terms as stored: comma-separated."""
    return ", ".join(terms)

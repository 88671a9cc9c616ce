"""Sentence splitting that keeps character offsets (so quotes and figures keep their sentence)."""

from __future__ import annotations

import re

_BOUNDARY = re.compile(r"[.!?…]+[\"”’')\]]*\s+(?=[\"“‘'(\[]?[A-Z0-9À-Ý])")
_ABBREVIATIONS = frozenset(
    str.split("""
    mr mrs ms dr prof st jr sr gen sen rep gov lt col capt sgt maj adm cmdr no vs etc inc ltd co
    corp dept univ est approx fig jan feb mar apr jun jul aug sep sept oct nov dec mt ft rev hon
    e.g i.e u.s u.k u.n a.m p.m rs
    """)
)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """The (start, end) offsets of each sentence of a paragraph."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        if _is_abbreviation(text[start : match.start() + 1]):
            continue
        end = match.end()
        spans.append((start, match.start() + len(match.group().rstrip())))
        start = end
    if start < len(text) and text[start:].strip():
        spans.append((start, len(text.rstrip())))
    return spans


def _is_abbreviation(before: str) -> bool:
    # `before` ends with the boundary's punctuation, so its last word is what _LAST_WORD would find
    # (rsplit reads from the end instead of trying the pattern at every offset).
    parts = before.rsplit(None, 1)
    if not parts:
        return False
    word = parts[-1].lstrip("(\"“'").rstrip(".").lower()
    if word in _ABBREVIATIONS:
        return True
    # Initials such as "J." in "J. Smith" and "U.S." do not end a sentence.
    return len(word) == 1 and word.isalpha()


def split_sentences(text: str) -> list[str]:
    """The sentences of a paragraph, as text."""
    return [text[a:b] for a, b in sentence_spans(text)]

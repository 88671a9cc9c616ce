"""Text folding shared by extraction and lookup: one notion of "the same name"."""

from __future__ import annotations

import re

from anyascii import anyascii

_SPACE = re.compile(r"\s+")
_NON_WORD = re.compile(r"[^0-9a-z ]+")


def fold(text: str) -> str:
    """Lower-case ASCII, accents folded, punctuation gone: 'García-Harfuch' → 'garcia harfuch'."""
    ascii_text = anyascii(text).lower().replace("-", " ").replace("'", "")
    return _SPACE.sub(" ", _NON_WORD.sub(" ", ascii_text)).strip()


def ascii_form(text: str) -> str:
    """The accent-free spelling, keeping case: 'Omar García Harfuch' → 'Omar Garcia Harfuch'."""
    return anyascii(text)

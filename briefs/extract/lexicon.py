"""The word lists the rule-based extractors share, read once from `briefs/extract/data/*.txt`.

Each data file says in its first comment what it holds; a tuning edit is a reviewable data diff.
Lists hold general words of news English, never the names of one article."""

from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


def _lines(name: str) -> list[str]:
    text = (DATA / f"{name}.txt").read_text(encoding="utf-8")
    return [s for line in text.splitlines() if (s := line.strip()) and not s.startswith("#")]


def words(name: str) -> frozenset[str]:
    """A word list: one word or phrase a line."""
    return frozenset(_lines(name))


def pairs(name: str) -> dict[str, str]:
    """A mapping: one `word = value` a line."""
    return {k.strip(): v.strip() for k, _, v in (line.partition(" = ") for line in _lines(name))}


MONTHS = words("months")
WEEKDAYS = words("weekdays")
ROLE_HEADS = words("role_heads")
ROLE_MODIFIERS = words("role_modifiers")
HONORIFICS = words("honorifics")
ROYAL = words("royal")
ROLE_PLURALS = pairs("role_plurals")
NOT_NAMES = words("not_names")
ORG_WORDS = words("org_words")
ORG_NOUNS = words("org_nouns")
FACILITY_WORDS = words("facility_words")
PLACE_WORDS = words("place_words")
KIN = words("kin")
EVENT_WORDS = words("event_words")
STORM_WORDS = words("storm_words")
PLACE_NOUNS = words("place_nouns")
KNOWN_ORGS = words("known_orgs")
DEMONYMS = pairs("demonyms")
SPEECH_VERBS = words("speech_verbs")
PRONOUNS = pairs("pronouns")
PLURAL_NOUNS = words("plural_nouns")

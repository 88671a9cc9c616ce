"""When two mentions in different briefs are one person: the matching rule, pure and testable.

Two mentions are one person when their surnames agree, their given names are compatible (the
same, one missing, an initial, or a common short form from the `nicknames` data set: Pam and
Pamela, Bob and Robert) and nothing contradicts it: a clearly different role or organisation at
the same time. A generational suffix is part of the surname ("King Jr" is not "King"), so a
father and son stay two people."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from nicknames import NickNamer

from briefs.model import Figure
from briefs.normalize import fold

SAME_TIME = dt.timedelta(days=30)  # roles this close in time must agree
_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
# Words that say nothing about which role or body is meant: never enough to tell two apart.
_VAGUE = frozenset(
    {"the", "of", "for", "and", "a", "an", "in", "on", "at", "to", "s", "us", "new", "acting"}
    | {"deputy", "senior", "chief", "head", "interim", "then", "current", "incoming", "outgoing"}
)


@dataclass(frozen=True, slots=True)
class NameParts:
    """A folded name cut into what the rule compares: given name and surname (with suffix)."""

    given: str | None
    surname: str


@dataclass(frozen=True, slots=True)
class Sighting:
    """What one brief said a person was, and when."""

    role: str | None
    organization: str | None
    day: dt.date | None


@dataclass(frozen=True, slots=True)
class Candidate:
    """A known person sharing the surname: the given names they were written with, what recent
    briefs said they were, and how often the scope mentions them."""

    person_id: int
    givens: frozenset[str | None]
    sightings: tuple[Sighting, ...] = ()
    mentions: int = 0


@functools.lru_cache(maxsize=65536)  # ingest cuts every candidate's full names at every brief
def name_parts(name: str) -> NameParts | None:
    """'Pam Ortega' → (pam, ortega); 'Ortega' → (None, ortega); 'Al King Jr.' → (al, king jr)."""
    tokens = fold(name).split()
    suffix = ""
    if len(tokens) > 1 and tokens[-1] in _SUFFIXES:
        suffix = " " + tokens.pop()
    if not tokens:
        return None
    given = tokens[0] if len(tokens) > 1 else None
    return NameParts(given, tokens[-1] + suffix)


@functools.cache
def _variants() -> NickNamer:
    return NickNamer()


@functools.lru_cache(maxsize=65536)  # pure, and asked for the same few pairs at every ingest
def givens_compatible(a: str | None, b: str | None) -> bool:
    """Same, one missing, an initial of the other, or a common short form of it."""
    if a is None or b is None or a == b:
        return True
    if len(a) == 1 or len(b) == 1:
        return a[0] == b[0]
    variants = _variants()
    return b in variants.nicknames_of(a) or a in variants.nicknames_of(b)


def _words(text: str | None) -> frozenset[str]:
    return frozenset(fold(text or "").split()) - _VAGUE


def _differ(a: str | None, b: str | None) -> bool:
    """Both say something and share no telling word: 'union leader' and 'coach'."""
    wa, wb = _words(a), _words(b)
    return bool(wa) and bool(wb) and not wa & wb and "former" not in wa | wb


def contradicts(new: Sighting, old: Sighting) -> bool:
    """A clearly different role or organisation at (about) the same time."""
    if new.day is None or old.day is None or abs(new.day - old.day) > SAME_TIME:
        return False
    return _differ(new.role, old.role) or _differ(new.organization, old.organization)


def choose(
    givens: Iterable[str | None], seen: Sighting, candidates: Sequence[Candidate]
) -> int | None:
    """The person these mentions are, among known people sharing the surname; None: a new one.

    Every given name must fit every given name the candidate was written with (so Alex can
    join Alexander, but Alexander and Alexandra stay apart). Of several fitting candidates the
    one whose role agrees wins, then the most mentioned."""
    wanted = set(givens)
    fitting = [
        c
        for c in candidates
        if all(givens_compatible(g, h) for g in wanted for h in c.givens)
        and not any(contradicts(seen, s) for s in c.sightings)
    ]
    if not fitting:
        return None
    exact = [c for c in fitting if wanted & c.givens - {None}]
    pool = exact or fitting
    agreeing = [c for c in pool if any(_agrees(seen, s) for s in c.sightings)]
    best = max(agreeing or pool, key=lambda c: (c.mentions, -c.person_id))
    return best.person_id


def _agrees(new: Sighting, old: Sighting) -> bool:
    return bool(_words(new.role) & _words(old.role)) or bool(
        _words(new.organization) & _words(old.organization)
    )


def real_spellings(display: str, spellings: Iterable[str]) -> tuple[str, ...]:
    """Other spellings worth showing: not the display name, not an accent-stripped copy of a
    spelling with accents, not a single word of the display name, each folded form once."""
    written = [s for s in dict.fromkeys(spellings) if s.strip()]
    accented = {fold(s) for s in written if not s.isascii()}
    display_words = set(fold(display).split())
    seen = {fold(display)}
    out = []
    for spelling in written:
        key = fold(spelling)
        if key in seen or (spelling.isascii() and key in accented):
            continue
        if " " not in key and key in display_words:
            continue
        seen.add(key)
        out.append(spelling)
    return tuple(out)


@dataclass(frozen=True, slots=True)
class NamedPerson:
    """A person of one brief as figures are matched to them: folded name keys, own sentences."""

    keys: tuple[str, ...]
    sentences: frozenset[str]


def _position(padded: str, keys: Sequence[str]) -> int:
    """Where the first of these keys stands in a padded folded sentence (see `padded_fold`), as
    a whole word; -1 if not."""
    found = [padded.find(f" {key} ") for key in keys]
    return min((i for i in found if i >= 0), default=-1)


_POSSESSIVE = re.compile(r"(?<=\w)['’]s\b")


def padded_fold(text: str) -> str:
    """Folded, with possessives cut ('Varga's' → 'varga') so names are whole words, and
    a space either side. Figures often share a sentence: fold it once and pass it to each."""
    return f" {fold(_POSSESSIVE.sub('', text))} "


def figure_subjects(
    figure: Figure, people: Sequence[NamedPerson], folded: str | None = None
) -> list[int]:
    """The people (indexes) a figure is about, not merely everyone its sentence names.

    One person named: them. Several: those its 'about' words name ('third operation under
    President Varga's administration' is Varga's, not Ortega's), else the one named
    last before the number, as a sentence's subject usually is."""
    folded = padded_fold(figure.sentence) if folded is None else folded
    where = {
        i: (0 if figure.sentence in p.sentences and pos < 0 else pos)
        for i, p in enumerate(people)
        if (pos := _position(folded, p.keys)) >= 0 or figure.sentence in p.sentences
    }
    if len(where) <= 1:
        return list(where)
    about = padded_fold(figure.about)
    in_about = [i for i in where if _position(about, people[i].keys) >= 0]
    if in_about:
        return in_about
    number = _position(folded, [fold(figure.value)]) if fold(figure.value) else -1
    before = [i for i in where if number < 0 or where[i] < number]
    if not before:
        return []
    return [max(before, key=lambda i: where[i])]

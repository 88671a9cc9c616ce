"""Runs of capitalised words in a sentence: the raw material for names, places and organisations."""

from __future__ import annotations

import re
from dataclasses import dataclass

_UPPER = "A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĖĘĚĜĞĠĢĤĦĨĪĮİĴĶĹĻĽŁŃŅŇŌŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽ"
# A lone capital with a full stop is a middle initial ("Peter K. Langat") when a name follows.
_INITIAL = rf"\.(?=\s[{_UPPER}])"
# A plural possessive inside a name ("Bengaluru Commuters' Forum") keeps the run going.
_PLURAL_POSS = rf"(?:(?<=s)['’](?=\s[{_UPPER}]))?"
_CAP = rf"[{_UPPER}](?:{_INITIAL}|(?:[\w.]*\w)?(?:[-'’][\w]+)*{_PLURAL_POSS}\+?)"
_PARTICLE = r"(?:bin|ibn|bint|al|el|de|da|del|della|di|do|dos|das|van|von|der|den|la|le|du|y)"
# The first capital comes before the look-behind (which then checks the character before it), so
# the pattern starts with a character set and re can skip straight to capitals.
RUN = re.compile(
    rf"[{_UPPER}](?<![\w'’-].)(?:{_INITIAL}|(?:[\w.]*\w)?(?:[-'’][\w]+)*{_PLURAL_POSS}\+?)"
    rf"(?:\s(?:{_PARTICLE}\s){{0,2}}(?:{_PARTICLE}-)?{_CAP})*"
)
_POSSESSIVE = re.compile(r"['’]s?$")
PARTICLES = frozenset(_PARTICLE[3:-1].split("|"))


@dataclass(frozen=True, slots=True)
class Run:
    """Capitalised words in a row, with offsets in their sentence."""

    words: tuple[str, ...]
    start: int
    end: int
    possessive: bool  # the last word carried 's ("Mexico's")
    initial: bool  # the run starts its sentence

    @property
    def text(self) -> str:
        """The words joined by single spaces."""
        return " ".join(self.words)


def cap_runs(sentence: str) -> list[Run]:
    """The runs of capitalised words in a sentence, cut after possessives."""
    runs: list[Run] = []
    lead = len(sentence) - len(sentence.lstrip(" \"“‘'(-—–"))
    if sentence[lead : lead + 3] in ("Q: ", "A: "):  # an interview's speaker label
        lead += 3
    for match in RUN.finditer(sentence):
        runs.extend(_split_possessives(match.group(0), match.start(), lead))
    return runs


def _split_possessives(text: str, offset: int, lead: int) -> list[Run]:
    if "'" not in text and "’" not in text:  # the common case: no possessive, one run
        return [_make(text.split(" "), offset, offset + len(text), False, lead)]
    runs: list[Run] = []
    words: list[str] = []
    start = offset
    pos = offset
    raws = text.split(" ")
    for n, raw in enumerate(raws):
        word_start = pos
        pos += len(raw) + 1
        possessive = bool(_POSSESSIVE.search(raw)) and len(raw) > 2 and raw[-2:] != "'s'"
        if possessive and raw[-1] in "'’" and n + 1 < len(raws):
            possessive = False  # a plural possessive inside a name: "Kericho Growers' Association"
        word = _POSSESSIVE.sub("", raw) if possessive else raw
        if not words:
            start = word_start
        words.append(word)
        if possessive:
            runs.append(_make(words, start, word_start + len(raw), True, lead))
            words = []
    if words:
        runs.append(_make(words, start, offset + len(text), False, lead))
    return runs


def _make(words: list[str], start: int, end: int, possessive: bool, lead: int) -> Run:
    while words and words[-1] in PARTICLES:
        words = words[:-1]
    return Run(tuple(words), start, end, possessive, start <= lead)

"""Reading spelled-out numbers: any run of number words, in one pass, never an exception.

A run that is not one number ("three four", "one hundred hundred twenty four", "twenty twenty")
is read as the numbers it is made of, each with its own span: the reader never raises and its
work grows linearly with the run.
"""

from __future__ import annotations

import re
from typing import NamedTuple

_SMALL = {
    w: i
    for i, w in enumerate(
        str.split(
            "zero one two three four five six seven eight nine ten eleven twelve thirteen "
            "fourteen fifteen sixteen seventeen eighteen nineteen"
        )
    )
}
_TENS = {
    w: 10 * (i + 2)
    for i, w in enumerate(str.split("twenty thirty forty fifty sixty seventy eighty ninety"))
}
_SCALES = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_TOKEN = re.compile(r"[a-z]+", re.IGNORECASE)


class Spelled(NamedTuple):
    """One number read from a run of words: its offsets in the run and its value."""

    start: int
    end: int
    value: int


class _Reader:
    """The number being read: completed scale groups, the current group, the last word's kind."""

    __slots__ = ("end", "group", "hundred", "last", "scale", "start", "total")

    def __init__(self, start: int) -> None:
        self.start = self.end = start
        self.total = self.group = 0
        self.last = ""  # "", "unit", "teen", "ten", "zero", "hundred", "scale"
        self.scale = 0  # the last scale word's size (a later one must be smaller)
        self.hundred = False

    def take(self, word: str) -> bool:
        """Add a word if the number can go on with it; False when it cannot."""
        last = self.last
        if word in _SMALL:
            value = _SMALL[word]
            if value == 0:
                ok = last == ""
            elif value < 10:
                ok = last in ("", "hundred", "scale") or (last == "ten" and self.group % 10 == 0)
            else:
                ok = last in ("", "hundred", "scale")
            if ok:
                self.group += value
                self.last = "zero" if value == 0 else "unit" if value < 10 else "teen"
            return ok
        if word in _TENS:
            if last not in ("", "hundred", "scale"):
                return False
            self.group += _TENS[word]
            self.last = "ten"
            return True
        if word == "hundred":
            if self.hundred or last in ("zero", "hundred") or self.group >= 100:
                return False
            self.group = (self.group or 1) * 100
            self.hundred, self.last = True, "hundred"
            return True
        size = _SCALES.get(word)
        if size is None or last in ("zero", "scale") or (self.scale and size >= self.scale):
            return False
        self.total += (self.group or 1) * size
        self.group, self.hundred, self.scale, self.last = 0, False, size, "scale"
        return True

    def value(self) -> int:
        return self.total + self.group


def read_spelled(text: str) -> list[Spelled]:
    """The numbers in a run of number words ("and", spaces and hyphens between them)."""
    found: list[Spelled] = []
    reader: _Reader | None = None
    pending_and = False
    for match in _TOKEN.finditer(text):
        word = match.group().lower()
        if word == "and":
            pending_and = reader is not None and reader.last in ("hundred", "scale")
            if not pending_and and reader is not None:
                found.append(Spelled(reader.start, reader.end, reader.value()))
                reader = None
            continue
        if reader is not None and (
            not reader.take(word) or (pending_and and reader.last not in ("unit", "teen", "ten"))
        ):
            found.append(Spelled(reader.start, reader.end, reader.value()))
            reader = None
        if reader is None:
            reader = _Reader(match.start())
            if not reader.take(word):
                reader = None
                pending_and = False
                continue
        reader.end = match.end()
        pending_and = False
    if reader is not None:
        found.append(Spelled(reader.start, reader.end, reader.value()))
    return found

"""Numbers that name rather than count: identifiers, versions, names, addresses, phone numbers;
and the signs that make a year-like number, a "one" or a dash between numbers a figure."""

from __future__ import annotations

import re

from briefs.extract.figure_words import words

_WORD_AFTER = re.compile(r"\s*([\w'’-]+)")
_WORD_BEFORE = re.compile(r"([\w'’-]+)[^\w\s]?\s*$")
_FUSED = re.compile(r"[^\W\d_]+")
_FUSED_UNITS = words("fused_units")
_SCORE_WORDS = re.compile(
    r"\b(?:" + "|".join(re.escape(w) for w in sorted(words("score_words"))) + r")\b",
    re.IGNORECASE,
)
_ID_LIST = re.compile(r"\s*(?:,|and|or|to|&)\s*|\s*,\s*(?:and|or)\s*")
_ADDRESS_AFTER = re.compile(r"\s+(?:[A-Z][\w'’-]*\s+){0,3}([A-Z][a-z]*)\.?(?!\w)")
_PHONE = re.compile(
    r"(?<![\w.,])(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,4}\)[ .-]?)?\d{2,4}(?:[ .-]\d{2,4}){1,4}"
    r"(?![\w]|[.,]\d)"
)
_PHONE_DIGITS = 7
_YEAR_RANGE = re.compile(r"(?:1[5-9]|20)\d\d\s?[-–]\s?(?:1[5-9]|20)?\d\d")
_YEAR_OLD = re.compile(r"[-\s]years?[-\s]old\b", re.IGNORECASE)
_TIME_PREPOSITIONS = words("year_before")
_THE_BEFORE = re.compile(r"\bthe\s+$", re.IGNORECASE)
_CLAUSE_AFTER = re.compile(r"\s*(?:[,.;:)!?]|$|\s(?:which|that|who|and|was|is|has|had)\b)")
_DETERMINER_BEFORE = re.compile(r"\b(?:the|a|an|its|their|his|her|our|this|that)\s+$", re.I)
_SCORE_WINDOW = 60


def last_nonspace(text: str, start: int) -> int:
    """Where the text before `start` ends, spaces left out (len(text[:start].rstrip()))."""
    while start > 0 and text[start - 1].isspace():
        start -= 1
    return start


def phone_spans(text: str) -> list[tuple[int, int]]:
    """Telephone numbers: groups of digits with at least seven digits in all."""
    spans = []
    for m in _PHONE.finditer(text):
        written = m.group()
        if sum(c.isdigit() for c in written) >= _PHONE_DIGITS and not _YEAR_RANGE.fullmatch(
            written
        ):
            spans.append(m.span())
    return spans


def is_identifier(text: str, start: int, end: int, id_end: int) -> bool:
    """A number naming a thing, not counting: 'posts 542 and 543', 'gate 12', 'route 9'."""
    before = _WORD_BEFORE.search(text, max(0, start - 30), start)
    if before is not None and before[1].lower() in words("identifier_nouns"):
        return True
    return id_end >= 0 and bool(_ID_LIST.fullmatch(text, id_end, start))


def is_name_number(text: str, start: int, end: int, *, title: bool) -> bool:
    """A number inside a name, version or address: 'Internet Explorer 6', 'HTML 5', '4chan',
    'Launch Pad 39A', 'the 747, which…', '10 Downing Street'."""
    if end < len(text) and text[end].isalpha():
        fused = _FUSED.match(text, end)
        return fused is None or fused.group().lower() not in _FUSED_UNITS
    if (address := _ADDRESS_AFTER.match(text, end)) and address[1] in words("street_nouns"):
        return True
    written = text[start:end]
    if (
        written.isdigit()
        and len(written) >= 3
        and _THE_BEFORE.search(text, max(0, start - 5), start)
        and _CLAUSE_AFTER.match(text, end)
    ):
        return True  # "the 747, which": a model, not a count
    if title:
        return False
    gap = last_nonspace(text, start)
    if gap == start or gap == 0:
        return False
    before = _WORD_BEFORE.search(text, max(0, gap - 30), gap)
    if before is None or (before.end() != start and text[gap - 1] != before[1][-1]):
        return False
    word = before[1]
    if word.endswith(("'s", "’s", "s'", "s’")):
        return False  # "Varga's 6.9 million": a possessive owns a count
    if not word[:1].isupper() or word in words("name_hedges"):
        return False
    first = last_nonspace(text, before.start()) == 0
    if first:  # a capital opening the sentence: a name only when no lower-case word follows
        after = _WORD_AFTER.match(text, end)
        return after is None or not after[1][:1].islower()
    return True


def ordinal_in_name(text: str, start: int, end: int) -> bool:
    """'501st Legion': an ordinal before a capitalised word, with no determiner before it; and
    'the 20th century', a period like a date."""
    after = _WORD_AFTER.match(text, end)
    if after is not None and after[1].lower() in ("century", "centuries", "millennium"):
        return True
    if after is None or not after[1][:1].isupper() or last_nonspace(text, start) == 0:
        return False
    return not _DETERMINER_BEFORE.search(text, max(0, start - 8), start)


def year_is_count(text: str, start: int, end: int) -> bool:
    """'1709 schoolchildren', 'a 2000 year old tradition': a year-like number that counts."""
    if _YEAR_OLD.match(text, end):
        return True
    after = _WORD_AFTER.match(text, end)
    if after is None or text[end : after.start(1)] not in (" ",):
        return False
    noun = after[1]
    plural = noun in words("plural_irregular") or (
        noun.endswith("s") and noun.islower() and noun[-2:] not in ("ss", "us", "is")
    )
    if not plural or noun in words("not_plural"):
        return False
    before = _WORD_BEFORE.search(text, max(0, start - 30), start)
    return before is not None and before[1].lower() not in _TIME_PREPOSITIONS


def one_is_count(text: str, start: int, end: int) -> bool:
    """'one day', 'one vote', 'at least one shell', 'one or two points': 'one' that counts."""
    after = _WORD_AFTER.match(text, end)
    if after is not None:
        noun = after[1].lower()
        if noun in words("one_units") or noun.rstrip("s") in words("one_units"):
            return True
        if noun in ("or", "in", "to"):
            nxt = _WORD_AFTER.match(text, after.end())
            return nxt is not None and nxt[1].lower() in _SMALL_NUMBERS
    before = _WORD_BEFORE.search(text, max(0, start - 20), start)
    return before is not None and before[1].lower() in words("one_hedges")


_SMALL_NUMBERS = words("small_numbers")


def score_context(
    text: str, start: int, end: int, *, spaced: bool, first: int, second: int
) -> bool:
    """'won 4-1', 'a 1 – 1 draw': a dash between two small numbers is a score when spaced, when
    the first is not smaller (a range goes up), or near a word of winning and losing."""
    if spaced or first >= second:
        return True
    return bool(_SCORE_WORDS.search(text, max(0, start - _SCORE_WINDOW), end + _SCORE_WINDOW))

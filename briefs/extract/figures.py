"""Figures: numbers as written, normalised, with what they count; dates and names are left out."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import NamedTuple

from briefs.extract.document import Document
from briefs.extract.figure_about import About, describe
from briefs.extract.figure_filters import is_identifier, phone_spans
from briefs.extract.figure_read import FIGURE as _FIGURE
from briefs.extract.figure_read import NUMBER_WORDS, Raw, read_match
from briefs.model import Figure

_DIGIT = re.compile(r"[\d$€£¥₹]+")
_LEAD = 4  # "Rs. 5": the longest currency prefix before a digit
_LOWER_WORDS = re.compile(r"[a-z]+")
_PHONE_HINT = re.compile(r"[ .)-]{1,2}\d")
_SCORE_NUMBERS = re.compile(r"\d+")
_BRACKET = re.compile(r"\s*\(\s*")
_OR_RESTATED = re.compile(
    r"[^,;.()\d]{0,40},\s*or\s+(?:about|around|roughly|some|nearly|almost|approximately)?\s*",
    re.IGNORECASE,
)
_MENTIONS = 4  # mentions of one value whose description is weighed
_GOOD = 4  # a description this good (a noun phrase after the number) is not looked past
_BETWEEN_BEFORE = re.compile(r"\bbetween\s$", re.IGNORECASE)
_AND_BETWEEN = re.compile(r"\s+and\s+$")
_APPROX = re.compile(
    r"\b(?P<word>nearly|almost|about|around|roughly|approximately|some)\s{1,2}$", re.IGNORECASE
)
_APPROX_SPAN = len("approximately") + 2


class _Mention(NamedTuple):
    """Where a value is written, and what it counts there."""

    raw: Raw
    sentence: str
    about: About | None  # None: not described (an earlier mention said it well)


def find_figures(doc: Document, headline: str | None = None) -> list[Figure]:
    """The figures of a document (and its headline), one entry per value: one number keeps one
    entry whatever it counts ("forty years" and "40 percent"), described by its clearest mention;
    money keeps one entry per currency, and a score one entry per result."""
    first: dict[tuple[float, str | None], Raw] = {}
    best: dict[tuple[float, str | None], _Mention] = {}
    tries: dict[tuple[float, str | None], int] = {}
    texts = [s.text for s in doc.sentences]
    if headline:
        texts.append(headline)
    for i, text in enumerate(texts):
        title = i == len(doc.sentences) and _title_case(text)
        previous: _Mention | None = None
        for raw in _scan(text, title=title):
            tag = raw.currency or _tag(raw)
            key = (-1.0 if raw.unit == "score" else raw.number, tag)  # a score: by its tag
            first.setdefault(key, raw)
            known = best.get(key)
            if previous is not None and _restates(text, previous.raw, raw):
                about = _converted(raw, previous)
            elif known is None or (_quality(known) < _GOOD and tries[key] < _MENTIONS):
                about = describe(text, raw.start, raw.end, raw.kind, raw.unit)
            else:  # described well enough already: not read again (and not at all if unneeded)
                previous = _Mention(raw, text, None)
                continue
            tries[key] = tries.get(key, 0) + 1
            previous = _Mention(raw, text, about)
            if known is None or about.quality > _quality(known):
                best[key] = previous
    return [_figure(first[key], found) for key, found in best.items()]


def _quality(mention: _Mention) -> int:
    return mention.about.quality if mention.about is not None else -1


def _figure(first: Raw, best: _Mention) -> Figure:
    """One value's entry: written as first met, described by its best mention."""
    about = best.about.text if best.about is not None else ""
    return Figure(
        first.value, first.number, first.kind, about, best.sentence, first.unit, first.currency
    )


def _restates(text: str, previous: Raw, raw: Raw) -> bool:
    """'US$50,000 (£39,400)', '1.8 billion pesos, or roughly $31 million': the second figure
    restates the first in another unit (a bracket, or ', or' between figures of one kind)."""
    if _BRACKET.fullmatch(text, previous.end, raw.start):
        return True
    same = raw.kind == previous.kind or raw.kind == "money"
    return same and bool(_OR_RESTATED.fullmatch(text, previous.end, raw.start))


def _converted(raw: Raw, previous: _Mention) -> About:
    """'US$50,000 (£39,400)': the bracket restates the figure before it; a share in brackets
    after a count ('7.18 million votes (50.49 percent)') is that count's share."""
    known = previous.about or describe(
        previous.sentence,
        previous.raw.start,
        previous.raw.end,
        previous.raw.kind,
        previous.raw.unit,
    )
    text = known.text
    if raw.kind == "percent" and previous.raw.kind != "percent":
        words_ = ["share", "of", *text.split()] if text else ["share"]
        return About(" ".join(words_[:8]), known.quality)
    return known


def _title_case(text: str) -> bool:
    """A headline written in title case, where a capital says nothing about a name."""
    tokens = [w for w in text.split() if w[:1].isalpha() and len(w) > 3]
    return len(tokens) >= 3 and sum(w[0].isupper() for w in tokens) >= 0.8 * len(tokens)


def _scan(text: str, *, title: bool = False) -> list[Raw]:
    found: list[Raw] = []
    opened: Raw | None = None  # the first number of "between X and Y"
    phones: list[tuple[int, int]] | None = None  # read once a number looks like one
    next_phone = 0
    id_end = -1  # where the last identifier ("posts 542") ended: a list of them goes on
    for match in _matches(text):
        if phones is None and _PHONE_HINT.match(text, match.end()):
            phones = phone_spans(text)
        while phones and next_phone < len(phones) and phones[next_phone][1] <= match.start():
            next_phone += 1
        if phones and next_phone < len(phones) and phones[next_phone][0] <= match.start():
            continue
        if (
            match["num"]
            and match["num"][0].isdigit()
            and is_identifier(text, match.start("num"), match.end(), id_end)
        ):
            id_end = match.end("num")
            continue
        for raw in read_match(match, text, title):
            if opened is not None and _AND_BETWEEN.fullmatch(text, opened.end, raw.start):
                found[-1] = _range(opened, raw, text)
                opened = None
                continue
            opened = raw if _BETWEEN_BEFORE.search(text, max(0, raw.start - 8), raw.start) else None
            found.append(_approximate(raw, text))
    return found


def _range(first: Raw, second: Raw, text: str) -> Raw:
    """'between 3 and 5 degrees': the first number, the unit and kind of the second."""
    start = first.start - len("between ")
    return second._replace(
        value=text[start : second.end],
        number=first.number,
        currency=second.currency or first.currency,
        start=start,
    )


def _approximate(raw: Raw, text: str) -> Raw:
    """Keep a hedge such as 'nearly' in the written value ('Nearly 200'); the number stays 200."""
    if raw.kind == "ordinal":
        return raw
    hedge = _APPROX.search(text, max(0, raw.start - _APPROX_SPAN), raw.start)
    return raw if hedge is None else raw._replace(value=f"{hedge['word']} {raw.value}")


def _matches(text: str) -> Iterator[re.Match[str]]:
    """What _FIGURE.finditer(text) yields, searching only near digits, symbols and number words."""
    # Every figure holds a digit, a currency symbol or a number word within _LEAD characters of
    # its start, so the big pattern only runs from those anchors instead of at every word.
    low = text.lower()
    found = NUMBER_WORDS.intersection(_LOWER_WORDS.findall(low))
    if not found:
        yield from _from_digits(text)
        return
    if len(low) != len(text):  # lower() changed offsets: scan the whole sentence
        yield from _FIGURE.finditer(text)
        return
    anchors = [m.start() for m in _DIGIT.finditer(text)] + _occurrences(low, found)
    pos = 0
    for anchor in sorted(anchors):
        if anchor < pos:
            continue
        match = _FIGURE.search(text, max(pos, anchor - _LEAD))
        if match is None:
            return
        yield match
        pos = match.end()


def _from_digits(text: str) -> Iterator[re.Match[str]]:
    """The figures of a sentence without number words: each one is near the next digit."""
    pos = 0
    while (digit := _DIGIT.search(text, pos)) is not None:
        match = _FIGURE.search(text, max(pos, digit.start() - _LEAD))
        if match is None:
            return
        yield match
        pos = match.end()


def _occurrences(text: str, found: Iterable[str]) -> list[int]:
    at_: list[int] = []
    for word in found:
        at = text.find(word)
        while at >= 0:
            at_.append(at)
            at = text.find(word, at + 1)
    return at_


def _tag(raw: Raw) -> str | None:
    """What keeps entries of one number apart besides currency: a score is not a count, and
    one result read from either side ("1 – 2", "2 – 1") is one entry."""
    if raw.unit != "score":
        return None
    return "score " + "-".join(sorted(_SCORE_NUMBERS.findall(raw.value)))

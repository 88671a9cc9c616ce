"""Figures: numbers as written, normalised, with what they count; dates and names are left out."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import NamedTuple

from text_to_num import text2num

from briefs.extract.document import Document
from briefs.model import Figure, FigureKind

_UNITS_TEXT = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty "
    "ninety hundred thousand"
)
_UNITS = str.split(_UNITS_TEXT)
_ORDINALS = {
    w: i + 1
    for i, w in enumerate(
        str.split(
            "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
            "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth"
        )
    )
}
_WORD = r"(?:" + "|".join(_UNITS[::-1]) + r")"
_SPELLED = rf"{_WORD}(?:(?:[- ]|\s+and\s+){_WORD})*\b"
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SCALE = r"million|billion|trillion|crores?|lakhs?|bn|mn|m|k"
# Fractions ("half of", "about half", "a quarter", "two-thirds") are kind "measure" with the
# share as the number (0.5, 0.25, 0.667) and unit "fraction". "a third" stays an ordinal
# ("a third such transfer").
_FRACTIONS = {
    "half": 0.5,
    "a quarter": 0.25,
    "one quarter": 0.25,
    "three quarters": 0.75,
    "three quarter": 0.75,
    "one third": 1 / 3,
    "two thirds": 2 / 3,
    "two third": 2 / 3,
}
_HALF_HEDGES = str.split("about nearly almost roughly around some over under than by")
_FRACTION = (
    r"(?<!the )(?<!a )(?<!first )(?<!second )half(?=\s+(?:of|their|its|his|her|our|all)\b)"
    r"|(?:" + "|".join(f"(?<={h} )" for h in _HALF_HEDGES) + r")half\b"
    r"|a\squarter\b|(?:one|three)[- ]quarters?\b|(?:one|two)[- ]thirds?\b"
)
# "double what it spent", "nearly double", "almost triple": a multiplier only after a hedge or
# before what it compares with ("double-digit", "a double murder" are not figures).
_MULTIPLIERS = {"twice": 2, "thrice": 3, "double": 2, "triple": 3, "treble": 3, "quadruple": 4}
_MULT_HEDGES = str.split("nearly almost about roughly around than more some over")
_MULTIPLIER = (
    r"(?:"
    + "|".join(f"(?<={h} )" for h in _MULT_HEDGES)
    + r")(?:double|triple|treble|quadruple)(?![\w-])"
    r"|(?:double|triple|treble|quadruple)(?=\s+(?:what|that|those|the|its|their|his|her)\b)"
)
_CUR_PRE = r"US\$|A\$|C\$|HK\$|\$|€|£|¥|₹|Rs\.?\s?"
_CUR_POST = r"USD|EUR|GBP|dollars|euros|pounds|yen|rupees"
_PCT = r"%|\s?percent|\s?per\s?cent|\s?percentage points"
_COMPOUND = (
    r"year-old|member|time|month|day|week|year|hour|minute|point|seat|nation|man|woman|fold|"
    r"megawatt|gigawatt|kilometre|kilometer|mile|storey|story|game|match|page"
)
_FIGURE = re.compile(
    rf"(?<![\w.\-/:])(?:"
    rf"(?P<cur>{_CUR_PRE})(?P<mnum>{_DIGITS})(?:\s?(?P<mscale>{_SCALE})\b)?"
    rf"|(?P<pnum>{_DIGITS})(?:\s(?:or|to|and)\s(?P<pnum2>{_DIGITS}))?(?P<pct>{_PCT})"
    rf"|(?P<cnum>{_DIGITS}|{_SPELLED})-(?P<cunit>{_COMPOUND})s?\b"
    rf"|(?P<ord>{'|'.join(_ORDINALS)})(?:-ever)?\b(?P<consec>\s+consecutive)?"
    rf"|(?P<dord>\d+)(?:st|nd|rd|th)\b"
    rf"|(?P<mult>twice|thrice|{_MULTIPLIER})\b"
    rf"|(?P<frac>{_FRACTION})"
    rf"|(?P<num>{_DIGITS}|{_SPELLED})(?:\s(?P<scale>million|billion|trillion|crores?|lakhs?)\b)?"
    rf"(?:\s(?P<cur2>{_CUR_POST})\b)?"
    rf")",
    re.IGNORECASE,
)
_SCALES = {
    "million": 1e6,
    "billion": 1e9,
    "trillion": 1e12,
    "bn": 1e9,
    "mn": 1e6,
    "m": 1e6,
    "k": 1e3,
    "crore": 1e7,
    "crores": 1e7,
    "lakh": 1e5,
    "lakhs": 1e5,
}
_CURRENCIES = {
    "us$": "USD",
    "$": "USD",
    "€": "EUR",
    "£": "GBP",
    "¥": "JPY",
    "₹": "INR",
    "rs": "INR",
    "a$": "AUD",
    "c$": "CAD",
    "hk$": "HKD",
    "usd": "USD",
    "dollars": "USD",
    "eur": "EUR",
    "euros": "EUR",
    "gbp": "GBP",
    "pounds": "GBP",
    "yen": "JPY",
    "rupees": "INR",
}
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_MONTH_BEFORE = re.compile(rf"\b{_MONTH}\.?\s+$")
_MONTH_AFTER = re.compile(rf"^(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}\b")
_CAP_BEFORE = re.compile(r"[A-Z][\w-]*\s+$")
_CAP_AFTER = re.compile(r"\s+[A-Z]")
_YEAR = re.compile(r"(?:1[5-9]|20)\d\d")
_MEASURES = re.compile(
    r"^\s+(?P<unit>basis points|bps|barrels|tonnes|tons|km|kilometres|kilometers|miles|kg|"
    r"kilograms|degrees|megawatts|gigawatts|mw|gw|litres|liters|hectares|acres|votes|points)\b",
    re.IGNORECASE,
)
_DIGIT = re.compile(r"[\d$€£¥₹]+")
_LEAD = 4  # "Rs. 5": the longest currency prefix before a digit
_LOWER_WORDS = re.compile(r"[a-z]+")
_NUMBER_WORDS = (
    frozenset(_UNITS) | frozenset(_ORDINALS) | frozenset(_MULTIPLIERS) | {"half", "quarter"}
)
_TIME_AFTER = re.compile(r"^(?::\d\d|\s?[ap]\.?m\b)", re.IGNORECASE)
_ONE_OK = re.compile(
    r"^\s+(?:year|day|week|month|hour|minute|decade|century|million|billion|per cent|percent)s?\b"
)
_STOP = re.compile(
    r"[,.;:](?:\s|$)|[()\"“”?!]|\s(?:that|which|who|while|because|but|since|when|where)\s"
)
_LEAD_STOP = re.compile(r"[,.;:](?:\s|$)|[\"“”?!]")
_ABOUT_WORDS = 8
_LEAD_WINDOW = 60
_TIME_WORD_BEFORE = re.compile(r"\b(?:in|around|since|by|until|from|circa|before|after)\s$", re.I)
_NO_UNIT_AFTER = re.compile(
    r"(?:\s*$|\s*[,.;:)!?]|\s+(?:from|to|and|or|when|as|the|a|in|on|at|by|after|before|but|with|"
    r"until|for|that|which|where|while)\b)"
)
# "between 100,000 and 150,000 tonnes": one figure, the first number, the whole range as written.
_BETWEEN_BEFORE = re.compile(r"\bbetween\s$", re.IGNORECASE)
_AND_BETWEEN = re.compile(r"\s+and\s+$")
_APPROX = re.compile(
    r"\b(?P<word>nearly|almost|about|around|roughly|approximately|some)\s{1,2}$", re.IGNORECASE
)
_APPROX_SPAN = len("approximately") + 2
_NOUN_PHRASE_END = frozenset(
    str.split(
        "to for in on at from with by into over under across after before during as than "
        "was were is are has have had will would could should can may might be been"
    )
)
_LOOSE_ENDS = frozenset(
    str.split("the a an of in on at to for from by with and or its their his her")
)


class _Raw(NamedTuple):
    """One number as read (a tuple: one is built per number, and tuples are cheap to build)."""

    value: str
    number: float
    kind: FigureKind
    unit: str | None
    currency: str | None
    start: int
    end: int


def find_figures(doc: Document) -> list[Figure]:
    """The figures of a document, one entry per value: one number keeps one entry whatever it
    counts ("forty years" and "40 percent"), its `about` listing each meaning; money keeps one
    entry per currency."""
    figures: dict[tuple[float, str | None], Figure] = {}
    for sent in doc.sentences:
        for raw in _scan(sent.text):
            key = (raw.number, raw.currency)
            old = figures.get(key)
            if old is None:
                about = _about(sent.text, raw)
                figures[key] = Figure(
                    raw.value, raw.number, raw.kind, about, sent.text, raw.unit, raw.currency
                )
            elif old.about.count(";") < 2:  # a value keeps at most three descriptions
                about = _about(sent.text, raw)
                if about and about not in old.about:
                    figures[key] = _with_about(old, f"{old.about}; {about}")
    return list(figures.values())


def _with_about(fig: Figure, about: str) -> Figure:
    return Figure(fig.value, fig.number, fig.kind, about, fig.sentence, fig.unit, fig.currency)


def _scan(text: str) -> list[_Raw]:
    found: list[_Raw] = []
    opened: _Raw | None = None  # the first number of "between X and Y"
    for match in _matches(text):
        try:
            raw = _read(match, text)
        except ValueError:  # number words that make no number ("three four"): skipped
            continue
        if raw is None:
            continue
        if opened is not None and _AND_BETWEEN.fullmatch(text, opened.end, raw.start):
            found[-1] = _range(opened, raw, text)
            opened = None
            continue
        opened = raw if _BETWEEN_BEFORE.search(text, max(0, raw.start - 8), raw.start) else None
        found.append(_approximate(raw, text))
    return found


def _range(first: _Raw, second: _Raw, text: str) -> _Raw:
    """'between 3 and 5 degrees': the first number, the unit and kind of the second."""
    start = first.start - len("between ")
    return second._replace(
        value=text[start : second.end],
        number=first.number,
        currency=second.currency or first.currency,
        start=start,
    )


def _approximate(raw: _Raw, text: str) -> _Raw:
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
    words = _NUMBER_WORDS.intersection(_LOWER_WORDS.findall(low))
    if not words:
        yield from _from_digits(text)
        return
    if len(low) != len(text):  # lower() changed offsets: scan the whole sentence
        yield from _FIGURE.finditer(text)
        return
    anchors = [m.start() for m in _DIGIT.finditer(text)] + _occurrences(low, words)
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


def _occurrences(text: str, words: Iterable[str]) -> list[int]:
    found: list[int] = []
    for word in words:
        at = text.find(word)
        while at >= 0:
            found.append(at)
            at = text.find(word, at + 1)
    return found


def _read(m: re.Match[str], text: str) -> _Raw | None:
    start, end = m.start(), m.end()
    if m["cur"]:
        number = _num(m["mnum"]) * _SCALES.get((m["mscale"] or "").lower(), 1)
        cur = _CURRENCIES.get(m["cur"].strip().lower().rstrip("."), "USD")
        return _Raw(m.group(0), number, "money", None, cur, start, end)
    if m["pnum"]:
        unit = m["pct"].strip().lower()
        return _Raw(m.group(0), _num(m["pnum"]), "percent", unit, None, start, end)
    if m["cnum"]:
        return _Raw(m.group(0), _num(m["cnum"]), "count", m["cunit"].lower(), None, start, end)
    if m["ord"]:
        if text[:start].rstrip().lower().endswith("at") and m["ord"].lower() == "first":
            return None
        return _Raw(m.group(0), _ORDINALS[m["ord"].lower()], "ordinal", None, None, start, end)
    if m["dord"]:
        return None if _is_date(text, start, end) else _ordinal(m, start, end)
    if m["frac"]:
        share = _FRACTIONS[m["frac"].lower().replace("-", " ").replace("\n", " ")]
        return _Raw(m.group(0), share, "measure", "fraction", None, start, end)
    if m["mult"]:
        return _Raw(
            m.group(0),
            _MULTIPLIERS[m["mult"].lower()],
            "multiplier",
            None,
            None,
            start,
            end,
        )
    return _plain(m, text)


def _ordinal(m: re.Match[str], start: int, end: int) -> _Raw:
    return _Raw(m.group(0), float(m["dord"]), "ordinal", None, None, start, end)


def _plain(m: re.Match[str], text: str) -> _Raw | None:
    start, end, written = m.start(), m.end(), m["num"]
    is_word = not written[0].isdigit()
    if is_word and written.lower() == "one" and not _ONE_OK.match(text[m.end("num") :]):
        return None
    if not is_word and (_is_date(text, start, end) or _TIME_AFTER.match(text[end:])):
        return None
    if not is_word and not m["scale"] and _year_after_time_word(text, start, end):
        return None
    if not is_word and _CAP_AFTER.match(text, end) and _cap_before(text, start):
        return None
    number = _num(written) * _SCALES.get((m["scale"] or "").lower(), 1)
    if m["cur2"]:
        return _Raw(m.group(0), number, "money", None, _CURRENCIES[m["cur2"].lower()], start, end)
    if measure := _MEASURES.match(text[end:]):
        unit = measure["unit"].lower()
        kind: FigureKind = "count" if unit in ("votes", "points") else "measure"
        return _Raw(
            text[start : end + measure.end()],
            number,
            kind,
            unit,
            None,
            start,
            end + measure.end(),
        )
    return _Raw(m.group(0), number, "count", None, None, start, end)


def _is_date(text: str, start: int, end: int) -> bool:
    if _YEAR.fullmatch(text, start, end):
        return True  # a year, not a count
    if _MONTH_AFTER.match(text[end:]):
        return True
    # Both "...$" patterns can only match in the last word before the number: search just there
    # (a search from `pos` still sees the characters before it for \b).
    gap = len(text[:start].rstrip())
    return gap < start and bool(_MONTH_BEFORE.search(text, max(0, gap - 10), start))


def _year_after_time_word(text: str, start: int, end: int) -> bool:
    """'built around 1420 from timber', 'since 1998.': a year (1000–2100) after a time word."""
    written = text[start:end]
    if len(written) != 4 or not written.isdigit() or not 1000 <= int(written) <= 2100:
        return False
    if not _TIME_WORD_BEFORE.search(text, max(0, start - 8), start):
        return False
    return bool(_NO_UNIT_AFTER.match(text, end))


def _cap_before(text: str, start: int) -> bool:
    """_CAP_BEFORE.search(text[:start]), searching only the last word."""
    gap = len(text[:start].rstrip())
    return gap < start and bool(_CAP_BEFORE.search(text, text.rfind(" ", 0, gap) + 1, start))


def _num(written: str) -> float:
    if written[0].isdigit():
        return float(written.replace(",", ""))
    return float(text2num(written.lower().replace("-", " "), "en"))


def _about(text: str, raw: _Raw) -> str:
    tail = text[raw.end :]
    if stop := _STOP.search(tail):
        tail = tail[: stop.start()]
    words = tail.split()[:_ABOUT_WORDS]
    if words and words[0].lower() in ("of", "in", "a", "an"):
        words = words[1:] if raw.kind in ("percent", "money") else words
    if raw.kind != "count" and len(words) >= 2:
        return " ".join(words).strip()  # the words before the number are not needed
    lead = lead_words(text, raw.start)
    if lead and lead[-1].lower().endswith("ed") and raw.kind == "count":
        words = _with_verb(words, lead[-1])
    elif len(words) < 2 and lead:
        words = lead[-4:] + words
    return " ".join(words).strip()


def lead_words(text: str, start: int) -> list[str]:
    """The last four words of the clause before `start`: _LEAD_STOP.split(text[:start])[-1]'s,
    read from a short window (a long sentence is not split whole for each of its numbers)."""
    low = max(0, start - _LEAD_WINDOW)
    parts = _LEAD_STOP.split(text[low:start])
    words = parts[-1].split()
    if low and len(parts) == 1 and len(words) < 5:
        words = _LEAD_STOP.split(text[:start])[-1].split()
    return words[-4:]


def _with_verb(words: list[str], verb: str) -> list[str]:
    """The counted noun phrase, then the verb: "extradited 37 men to…" → "men extradited to…"."""
    size = next((i for i, w in enumerate(words) if w.lower() in _NOUN_PHRASE_END), len(words))
    if not size:
        return [*words, verb]
    rest = words[size:]
    while rest and rest[-1].lower() in _LOOSE_ENDS:
        rest = rest[:-1]  # the word limit can cut "... trial in the": end on a content word
    return [*words[:size], verb, *rest]

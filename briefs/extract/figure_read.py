"""Reading one matched figure: the big pattern, the tables of scales and currencies, and the
rules that turn a match into numbers (or into nothing: dates, names, identifiers)."""

from __future__ import annotations

import re
from typing import NamedTuple

from briefs.extract.figure_filters import (
    is_name_number,
    last_nonspace,
    one_is_count,
    ordinal_in_name,
    score_context,
    year_is_count,
)
from briefs.extract.figure_numbers import read_spelled
from briefs.extract.figure_words import currency_letters
from briefs.model import FigureKind

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
# share as the number (0.5, 0.25, 0.667) and unit "fraction". "a third" is a share before "of",
# "than" or a stop ("a third of seats", "larger than a third."), else an ordinal ("a third such
# transfer").
_HALF_HEDGES = str.split("about nearly almost roughly around some over under than by")
_FRACTION = (
    r"(?<!the )(?<!a )(?<!first )(?<!second )half(?=\s+(?:of|their|its|his|her|our|all)\b)"
    r"|(?:" + "|".join(f"(?<={h} )" for h in _HALF_HEDGES) + r")half\b"
    r"|a\squarter\b|(?:one|three)[- ]quarters?\b|(?:one|two)[- ]thirds?\b"
    r"|(?:a|one|two|three|four)[- ](?:third|fifth|tenth)s?(?=\s+of\b|\s*[,.;]|\s+than\b)"
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
_CUR_PRE = r"US\$|A\$|C\$|HK\$|NZ\$|S\$|NT\$|R\$|\$|€|£|¥|₹|Rs\.?\s?"
_CUR_POST = r"USD|EUR|GBP|dollars|euros|pounds|yen|rupees"
_PCT = r"%|\s?percent|\s?per\s?cent|\s?percentage points"
_COMPOUND = (
    r"year-old|member|time|month|day|week|year|hour|minute|point|seat|nation|man|woman|fold|"
    r"megawatt|gigawatt|kilometre|kilometer|mile|storey|story|game|match|page"
)
_LETTERS = "|".join(re.escape(c) for c in sorted(currency_letters(), key=len, reverse=True))
FIGURE = re.compile(
    rf"(?<![\w.\-/:])(?:"
    rf"(?P<mixed>(?P<mw>\d{{1,3}})[- ](?P<mn>\d{{1,2}})/(?P<md>\d{{1,3}}))(?![\d/])"
    rf"|(?P<slash>(?P<sn>\d{{1,3}})/(?P<sd>\d{{1,3}}))(?![\d/])"
    rf"|(?P<score>(?P<s1>\d{{1,2}})(?P<dash>\s[-–—]\s|[-–—])(?P<s2>\d{{1,2}}))(?![\d/.,%]|\w)"
    rf"|(?P<lcur>{_LETTERS})(?P<lnum>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?)(?![\d,])"
    rf"|(?P<anum>{_DIGITS}|{_SPELLED})[-\s](?P<aunit>year|month|week|day)s?[-\s]old\b"
    rf"|(?P<cur>{_CUR_PRE})(?P<mnum>{_DIGITS})(?:[\s-]?(?P<mscale>{_SCALE})\b)?"
    rf"|(?P<pnum>{_DIGITS})(?:\s(?:or|to|and)\s(?P<pnum2>{_DIGITS}))?(?P<pct>{_PCT})"
    rf"|(?P<cnum>{_DIGITS}|{_SPELLED}|million|billion|trillion)-(?P<cunit>{_COMPOUND})s?\b"
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
    "nz$": "NZD",
    "s$": "SGD",
    "nt$": "TWD",
    "r$": "BRL",
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
_MONTH_AFTER = re.compile(rf"(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}\b")
_YEAR = re.compile(r"(?:1[5-9]|20)\d\d")
_MEASURES = re.compile(
    r"\s+(?P<unit>basis points|bps|barrels|tonnes|tons|km|kilometres|kilometers|miles|kg|"
    r"kilograms|degrees|megawatts|gigawatts|mw|gw|litres|liters|hectares|acres|votes|points)\b",
    re.IGNORECASE,
)
NUMBER_WORDS = (
    frozenset(_UNITS)
    | frozenset(_ORDINALS)
    | frozenset(_MULTIPLIERS)
    | {"half", "quarter", "million", "billion", "trillion"}
)
_PCT_WORDS = re.compile(r"\s(percent|per\s?cent|percentage points)\b", re.IGNORECASE)
_TIME_AFTER = re.compile(r"(?::\d\d|\s?[ap]\.?m\b)", re.IGNORECASE)
_SLASH_DENOMINATORS = frozenset((2, 3, 4, 5, 6, 8, 10, 16, 32, 64, 100))
_TIME_WORD_BEFORE = re.compile(r"\b(?:in|around|since|by|until|from|circa|before|after)\s$", re.I)
_NO_UNIT_AFTER = re.compile(
    r"(?:\s*$|\s*[,.;:)!?]|\s+(?:from|to|and|or|when|as|the|a|in|on|at|by|after|before|but|with|"
    r"until|for|that|which|where|while)\b)"
)
# "between 100,000 and 150,000 tonnes": one figure, the first number, the whole range as written.


class Raw(NamedTuple):
    """One number as read (a tuple: one is built per number, and tuples are cheap to build)."""

    value: str
    number: float
    kind: FigureKind
    unit: str | None
    currency: str | None
    start: int
    end: int


def read_match(m: re.Match[str], text: str, title: bool) -> list[Raw]:
    start, end = m.start(), m.end()
    if m["mixed"] or m["slash"]:
        return _fraction(m)
    if m["score"]:
        return _score(m, text)
    if m["lcur"]:
        code = currency_letters()[m["lcur"]]
        return [Raw(m.group(0), _num(m["lnum"]), "money", None, code, start, end)]
    if m["anum"]:
        unit = f"{m['aunit'].lower()}-old"
        return [Raw(m.group(0), _last_number(m["anum"]), "count", unit, None, start, end)]
    if m["cur"]:
        number = _num(m["mnum"]) * _SCALES.get((m["mscale"] or "").lower(), 1)
        cur = _CURRENCIES.get(m["cur"].strip().lower().rstrip("."), "USD")
        return [Raw(m.group(0), number, "money", None, cur, start, end)]
    if m["pnum"]:
        unit = m["pct"].strip().lower()
        return [Raw(m.group(0), _num(m["pnum"]), "percent", unit, None, start, end)]
    if m["cnum"]:
        return _compound(m, text)
    if m["ord"]:
        if (
            text[max(0, start - 8) : start].rstrip().lower().endswith("at")
            and m["ord"].lower() == "first"
        ):
            return []
        return [Raw(m.group(0), _ORDINALS[m["ord"].lower()], "ordinal", None, None, start, end)]
    if m["dord"]:
        if _is_date(text, start, end) or ordinal_in_name(text, start, end):
            return []
        return [Raw(m.group(0), float(m["dord"]), "ordinal", None, None, start, end)]
    if m["frac"]:
        share = _share(m["frac"])
        if share is None:
            return []  # a fraction the reader cannot make sense of is skipped
        return [Raw(m.group(0), share, "measure", "fraction", None, start, end)]
    if m["mult"]:
        number = _MULTIPLIERS[m["mult"].lower()]
        return [Raw(m.group(0), number, "multiplier", None, None, start, end)]
    if m["num"][0].isdigit():
        raw = _plain(m, text, m.start("num"), m.end("num"), _num(m["num"]), title)
        return [] if raw is None else [raw]
    return _spelled(m, text)


_TOPS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4}
_BOTTOMS = {"half": 2, "third": 3, "quarter": 4, "fifth": 5, "tenth": 10}


def _share(written: str) -> float | None:
    """'two-thirds' → 0.667, 'a fifth' → 0.2, 'half' → 0.5; None when it is no share."""
    words = written.lower().replace("-", " ").split()
    if len(words) == 1:
        return 0.5 if words[0] == "half" else None
    top, bottom = _TOPS.get(words[0]), _BOTTOMS.get(words[-1].removesuffix("s"))
    if top is None or bottom is None or top >= bottom:
        return None
    return top / bottom


def _fraction(m: re.Match[str]) -> list[Raw]:
    """'7/32', '1-1/2': a share below one with a usual denominator, plus any whole part."""
    top, bottom = int(m["mn"] or m["sn"]), int(m["md"] or m["sd"])
    if not 0 < top < bottom or bottom not in _SLASH_DENOMINATORS:
        return []  # "24/7", "9/11": not a fraction
    number = int(m["mw"] or 0) + top / bottom
    return [Raw(m.group(0), number, "measure", "fraction", None, m.start(), m.end())]


def _score(m: re.Match[str], text: str) -> list[Raw]:
    """'4-1', '1 – 1': a score is one figure (the first number); else two numbers."""
    first, second = int(m["s1"]), int(m["s2"])
    spaced = m["dash"].strip() != m["dash"]
    if score_context(text, m.start(), m.end(), spaced=spaced, first=first, second=second):
        return [Raw(m.group(0), float(first), "count", "score", None, m.start(), m.end())]
    found = []
    for group in ("s1", "s2"):
        a, b = m.start(group), m.end(group)
        raw = _plain(m, text, a, b, float(m[group]), False)
        if raw is not None:
            found.append(raw)
    return found


def _compound(m: re.Match[str], text: str) -> list[Raw]:
    """'six-member', 'billion-year', 'two one-hour sessions' (two numbers: 2, then 1-hour)."""
    written, unit = m["cnum"], m["cunit"].lower()
    found: list[Raw] = []
    if written.lower() in _SCALES:
        number = _SCALES[written.lower()]
    elif written[0].isdigit():
        number = _num(written)
    else:
        parts = read_spelled(written)
        if not parts:
            return []
        for part in parts[:-1]:
            raw = _spelled_raw(text, m.start() + part.start, m.start() + part.end, part.value)
            if raw is not None:
                found.append(raw)
        number = float(parts[-1].value)
        start = m.start() + parts[-1].start
        return [*found, Raw(text[start : m.end()], number, "count", unit, None, start, m.end())]
    return [Raw(m.group(0), number, "count", unit, None, m.start(), m.end())]


def _spelled(m: re.Match[str], text: str) -> list[Raw]:
    """A run of number words, read as the numbers it holds; a scale word goes with the last."""
    base = m.start("num")
    parts = read_spelled(m["num"])
    found: list[Raw] = []
    for i, part in enumerate(parts):
        a, b = base + part.start, base + part.end
        if i == len(parts) - 1:
            raw = _plain(m, text, a, m.end(), float(part.value), False, spelled=True)
        else:
            raw = _spelled_raw(text, a, b, part.value)
        if raw is not None:
            found.append(raw)
    return found


def _spelled_raw(text: str, start: int, end: int, value: int) -> Raw | None:
    if value == 1 and not one_is_count(text, start, end):
        return None
    return Raw(text[start:end], float(value), "count", None, None, start, end)


def _plain(
    m: re.Match[str],
    text: str,
    start: int,
    end: int,
    number: float,
    title: bool,
    *,
    spelled: bool = False,
) -> Raw | None:
    """A number with no symbol before it; `end` may take in a scale or currency word after."""
    num_end = m.end("num") if spelled or m["num"] else end
    if spelled and number == 1 and not one_is_count(text, start, num_end):
        return None
    if not spelled:
        if _TIME_AFTER.match(text, end) or is_name_number(text, start, end, title=title):
            return None
        unit_after = bool(m["num"] and (m["scale"] or m["cur2"]))
        if _is_date(text, start, end) and not unit_after and not year_is_count(text, start, end):
            return None
        if not m["scale"] and _year_after_time_word(text, start, end):
            return None
    if m["num"] and num_end == m.end("num"):
        end = m.end()  # the scale and currency words after the number
        number *= _SCALES.get((m["scale"] or "").lower(), 1)
        if m["cur2"]:
            code = _CURRENCIES[m["cur2"].lower()]
            return Raw(text[start:end], number, "money", None, code, start, end)
    if spelled and (pct := _PCT_WORDS.match(text, end)):  # "forty percent"
        unit = pct[1].lower()
        return Raw(text[start : pct.end()], number, "percent", unit, None, start, pct.end())
    if measure := _MEASURES.match(text, end):
        unit = measure["unit"].lower()
        kind: FigureKind = "count" if unit in ("votes", "points") else "measure"
        return Raw(text[start : measure.end()], number, kind, unit, None, start, measure.end())
    return Raw(text[start:end], number, "count", None, None, start, end)


def _is_date(text: str, start: int, end: int) -> bool:
    if _YEAR.fullmatch(text, start, end):
        return True  # a year, not a count
    if _MONTH_AFTER.match(text, end):
        return True
    # Both "...$" patterns can only match in the last word before the number: search just there
    # (a search from `pos` still sees the characters before it for \b).
    gap = last_nonspace(text, start)
    return gap < start and bool(_MONTH_BEFORE.search(text, max(0, gap - 10), start))


def _year_after_time_word(text: str, start: int, end: int) -> bool:
    """'built around 1420 from timber', 'since 1998.': a year (1000–2100) after a time word."""
    written = text[start:end]
    if len(written) != 4 or not written.isdigit() or not 1000 <= int(written) <= 2100:
        return False
    if not _TIME_WORD_BEFORE.search(text, max(0, start - 8), start):
        return False
    return bool(_NO_UNIT_AFTER.match(text, end))


def _num(written: str) -> float:
    return float(written.replace(",", ""))


def _last_number(written: str) -> float:
    if written[0].isdigit():
        return _num(written)
    parts = read_spelled(written)
    return float(parts[-1].value) if parts else 0.0

"""Publication dates: find a date line near the top of an article and read it."""

from __future__ import annotations

import datetime as dt
import re

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DATE = re.compile(
    r"\b(?:"
    r"(?P<iso>\d{4}-\d{1,2}-\d{1,2})"
    r"|(?P<dmy>\d{1,2}(?:st|nd|rd|th)?\s+" + _MONTH + r",?\s+\d{4})"
    r"|(?P<mdy>" + _MONTH + r"\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4})"
    r"|(?P<slash>\d{1,2}/\d{1,2}/\d{4})"
    r")",
    re.IGNORECASE,
)
_DATE_PREFIX = re.compile(
    r"^\W*(?:(?:first\s+)?published|updated|last\s+updated|posted|date|dated|on)\b\s*:?\s*",
    re.IGNORECASE,
)
_TIME = re.compile(r"\b\d{1,2}[:.]\d{2}\b")
_MAX_DATE_LINE_WORDS = 14
_NUMBERS = re.compile(r"\d+")
_MONTH_NAME = re.compile(r"[A-Za-z]{3,}")
_MONTHS = {
    m: i for i, m in enumerate(str.split("jan feb mar apr may jun jul aug sep oct nov dec"), 1)
}


def parse_date(text: str) -> dt.date | None:
    """The first calendar date written in `text`, or None."""
    match = _DATE.search(text)
    if match is None:
        return None
    raw = match.group(0)
    try:
        if match.group("iso"):
            return dt.date.fromisoformat(_pad_iso(raw))
        if match.group("slash"):
            return _day_first(raw)
        return _written(raw)
    except ValueError:
        return None


def _written(raw: str) -> dt.date:
    """'3 Nov 2025', 'November 3rd, 2025': the day is the first number, the year the last."""
    numbers = _NUMBERS.findall(raw)
    month = _MONTH_NAME.search(raw)
    if month is None:
        raise ValueError(raw)
    return dt.date(int(numbers[-1]), _MONTHS[month.group(0)[:3].lower()], int(numbers[0]))


def _day_first(raw: str) -> dt.date:
    """'03/11/2025' is 3 November; '11/25/2025', whose second number cannot be a month, is not."""
    first, second, year = (int(n) for n in raw.split("/"))
    if second > 12:
        first, second = second, first
    return dt.date(year, second, first)


def _pad_iso(raw: str) -> str:
    year, month, day = raw.split("-")
    return f"{year}-{int(month):02d}-{int(day):02d}"


def date_line(line: str) -> dt.date | None:
    """The date when `line` is a short dateline ('Published: 3 Nov 2025', 'Apr 12, 2020')."""
    stripped = line.strip().strip("*_ ")
    if not stripped or len(stripped.split()) > _MAX_DATE_LINE_WORDS:
        return None
    found = parse_date(stripped)
    if found is None:
        return None
    rest = _DATE.sub(" ", _DATE_PREFIX.sub("", stripped))
    rest = _TIME.sub(" ", rest)
    # A dateline holds little besides the date: a weekday, a byline, a time zone.
    if len(re.findall(r"[A-Za-z]{4,}", rest)) > 6:
        return None
    return found

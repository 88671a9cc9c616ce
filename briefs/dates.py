"""Publication dates: find a date line near the top of an article and read it."""

from __future__ import annotations

import datetime as dt
import re

from dateutil import parser as date_parser

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


def parse_date(text: str) -> dt.date | None:
    """The first calendar date written in `text`, or None."""
    match = _DATE.search(text)
    if match is None:
        return None
    raw = match.group(0)
    try:
        if match.group("iso"):
            return dt.date.fromisoformat(_pad_iso(raw))
        parsed: dt.datetime = date_parser.parse(raw, dayfirst=bool(match.group("slash")))
        return parsed.date()
    except (ValueError, OverflowError):
        return None


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

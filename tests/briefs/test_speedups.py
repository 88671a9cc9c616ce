"""The fast paths give exactly what the plain patterns they replace would give."""

from __future__ import annotations

import random
import re
from collections.abc import Iterable
from pathlib import Path

import pytest

from briefs.extract import dates, figures, spans
from briefs.extract.layout import clean_inline, is_furniture
from briefs.extract.sentences import split_sentences

_DATA = Path(__file__).parents[1] / "data" / "articles"
_SENTENCES = [
    "The fine was €500 million, and Rs. 4,000 more in fees.",
    "Each winner gets US$50,000 and HK$3 in cash; A$7bn was pledged.",
    "Seizures fell by 80 or 90 per cent since 2019, officials said at 3:30 p.m.",
    "Twenty-one people, one of them a 77-year-old, met on May 4th for the first-ever vote.",
    "It was the fifth consecutive meeting; she appeared twice, and Boeing 737 jets flew.",
    "Money often comes to someone who has done ten things (often) in 2024-25.",
    "On 12 March the COP29 talks, worth 1.5 trillion dollars, drew 2,000 delegates.",
    "",
    "No numbers at all here.",
]


def _article_sentences() -> list[str]:
    found = list(_SENTENCES)
    for path in sorted(_DATA.glob("*.*")):
        text = path.read_text(encoding="utf-8")
        for para in text.split("\n"):
            found += split_sentences(para)
    return found


def _spans(matches: Iterable[re.Match[str]]) -> list[tuple[tuple[int, int], dict[str, str | None]]]:
    return [(m.span(), m.groupdict()) for m in matches]


@pytest.mark.parametrize("sentence", _article_sentences())
def test_anchored_figure_search_matches_a_full_scan(sentence: str) -> None:
    assert _spans(figures._matches(sentence)) == _spans(figures._FIGURE.finditer(sentence))


@pytest.mark.parametrize("sentence", _article_sentences())
def test_capital_first_run_pattern_matches_the_look_behind_one(sentence: str) -> None:
    cap, particle = spans._CAP, spans._PARTICLE
    plain = re.compile(rf"(?<![\w'’-]){cap}(?:\s(?:{particle}\s){{0,2}}{cap})*")
    assert [m.span() for m in spans.RUN.finditer(sentence)] == [
        m.span() for m in plain.finditer(sentence)
    ]


def test_clean_inline_strips_the_same_edges_as_the_regex() -> None:
    edges = re.compile(r"^[\s*_#>`]+|[\s*_#`]+$")
    rng = random.Random(7)
    for _ in range(5000):
        text = "".join(rng.choice("ab *_#>`\n\t\u00a0") for _ in range(rng.randint(0, 9)))
        assert clean_inline(text) == re.sub(r"\s+", " ", edges.sub("", text)).strip()


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("Mr. Smith arrived. He left at noon.", 2),
        ("The U.S. economy grew. Prices fell.", 2),
        ("J. Smith spoke (Dr. Jones agreed). Then it rained.", 2),
        ("It ended. (New talks begin.) Done.", 3),
    ],
)
def test_abbreviations_do_not_end_sentences(text: str, count: int) -> None:
    assert len(split_sentences(text)) == count


_FURNITURE_PLAIN = re.compile(
    r"^\(?(?:photo|photograph|image|picture|credit|related|read more|read also|also read|"
    r"see also|more on this|watch|listen)\s*:"
    r"|^\((?:additional\s+)?(?:reporting|writing|editing)\s+by\b"
    r"|\(?(?:photo|image|picture)\s*:\s*[^()]{2,60}\)?\s*$",
    re.IGNORECASE,
)
_BYLINE_PLAIN = re.compile(
    r"^(?:by|words by|written by)\s+[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|and|&|,))*$", re.I
)


@pytest.mark.parametrize(
    "line",
    [
        *_article_sentences(),
        "Photo: Getty Images",
        "A canal near Tucson carries water. (Photo: Getty Images)",
        "A canal near Tucson carries water. (Picture : AP)  ",
        "Related: Five things to know about Lake Mead's record low",
        "(Reporting by Jane Doe; Editing by John Roe)",
        "By Kavya Iyer",
        "Written by Ana Lopez and Tom Lee",
        "by the river the photo: was taken",
        "Image: " + "x" * 70,
    ],
)
def test_furniture_fast_path_matches_the_plain_patterns(line: str) -> None:
    plain = bool(len(line.split()) <= 8 and _BYLINE_PLAIN.match(line))
    assert is_furniture(line) == (plain or bool(_FURNITURE_PLAIN.search(line)))


def test_sentence_ends_drop_the_spaces_after_the_boundary() -> None:
    text = 'One ends here.   Two ends here!  "Three," he said.  Four'
    assert split_sentences(text) == [
        "One ends here.",
        "Two ends here!",
        '"Three," he said.',
        "Four",
    ]


def _dateutil_dates() -> list[str]:
    rng = random.Random(3)
    months = ["Jan", "January", "Feb.", "Sept", "September", "May", "June", "Dec", "dec."]
    found = []
    for _ in range(400):
        day, year, month = rng.randint(1, 31), rng.randint(1990, 2030), rng.choice(months)
        suffix = rng.choice(["", "st", "th"])
        found += [
            f"{day}{suffix} {month} {year}",
            f"{month} {day}{suffix}, {year}",
            f"{day}/{rng.randint(1, 13)}/{year}",
            f"{rng.randint(1, 12)}/{day}/{year}",
        ]
    return found


def test_written_and_slash_dates_read_as_dateutil_reads_them() -> None:
    dateutil_parser = pytest.importorskip("dateutil.parser")
    for text in _dateutil_dates():
        match = dates._DATE.search(text)
        assert match is not None, text
        try:
            want = dateutil_parser.parse(match.group(0), dayfirst=bool(match["slash"])).date()
        except (ValueError, OverflowError):
            want = None
        assert dates.parse_date(text) == want, text

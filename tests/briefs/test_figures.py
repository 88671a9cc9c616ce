"""Figures read from single sentences: normalised values, and what is not a figure."""

from __future__ import annotations

import pytest

from briefs.extract.document import Document
from briefs.extract.figures import find_figures


def _figures(text: str) -> list[tuple[float | None, str, str | None]]:
    doc = Document.build((text,))
    return [(f.number, f.kind, f.currency) for f in find_figures(doc)]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The fine was €500 million.", (500_000_000, "money", "EUR")),
        ("Each winner gets US$50,000 in cash.", (50_000, "money", "USD")),
        ("He won 7.18 million votes.", (7_180_000, "count", None)),
        ("Rates rose by 250 basis points.", (250, "measure", None)),
        ("The six-member panel met.", (6, "count", None)),
        ("The 77-year-old leader spoke.", (77, "count", None)),
        ("It was the fifth consecutive meeting.", (5, "ordinal", None)),
        ("She appeared twice before the panel.", (2, "multiplier", None)),
        ("Seizures fell by 50% last year.", (50, "percent", None)),
        ("One hundred and twenty-four countries voted yes.", (124, "count", None)),
    ],
)
def test_values_are_normalised(sentence: str, expected: tuple[float, str, str | None]) -> None:
    assert expected in _figures(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "The COP29 talks ended on 24 November in Baku.",
        "Covid-19 cases fell in May 2022.",
        "The forecast covers 2023-24 only.",
        "The Los Angeles 2028 Games will follow.",
        "The meeting starts at 10:30 on Friday.",
    ],
)
def test_dates_and_names_are_not_figures(sentence: str) -> None:
    assert _figures(sentence) == []

"""Date lines in the forms outlets use."""

from __future__ import annotations

import datetime as dt

import pytest

from briefs.extract.dates import date_line


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("2025-11-03", dt.date(2025, 11, 3)),
        ("November 3, 2025", dt.date(2025, 11, 3)),
        ("3 Nov 2025", dt.date(2025, 11, 3)),
        ("Friday, 8 December 2023", dt.date(2023, 12, 8)),
        ("Apr 12, 2020", dt.date(2020, 4, 12)),
        ("Published: 14 Jan 2024 09:30 GMT", dt.date(2024, 1, 14)),
        ("Updated March 2, 2021", dt.date(2021, 3, 2)),
        ("*Published 15 August 2022*", dt.date(2022, 8, 15)),
    ],
)
def test_date_lines(line: str, expected: dt.date) -> None:
    assert date_line(line) == expected


@pytest.mark.parametrize(
    "line",
    ["The council met on 3 November 2025 to approve a plan for the old harbour front.", "No date"],
)
def test_sentences_are_not_date_lines(line: str) -> None:
    assert date_line(line) is None

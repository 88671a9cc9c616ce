"""Articles we wrote ourselves, one per layout, each with the facts a reader would check."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from briefs.extract import build_brief
from briefs.model import Brief

ARTICLES = Path(__file__).resolve().parents[1] / "data" / "articles"


def _brief(name: str) -> Brief:
    path = ARTICLES / name
    return build_brief(path.read_bytes(), name)


@pytest.mark.parametrize(
    ("name", "headline", "published", "derived"),
    [
        (
            "seed-harbour-strike.txt",
            "Dockworkers End Nine-Day Strike at Port Halden After Wage Deal",
            dt.date(2025, 3, 4),
            False,
        ),
        (
            "plain-solar-farm.txt",
            "Regional council approves Lakeview solar farm",
            dt.date(2025, 11, 3),
            True,
        ),
        (
            "plain-rail-fares.txt",
            "Rail fares to rise for third year running",
            dt.date(2024, 1, 14),
            True,
        ),
        (
            "markdown-chess-final.md",
            "Teenager wins national chess title in Valmora",
            dt.date(2024, 6, 2),
            True,
        ),
        (
            "html-museum-reopens.html",
            "City museum reopens after three-year renovation",
            dt.date(2023, 9, 15),
            True,
        ),
    ],
)
def test_headline_date_and_highlights(
    name: str, headline: str, published: dt.date, derived: bool
) -> None:
    brief = _brief(name)
    assert brief.headline == headline
    assert brief.published == published
    assert brief.highlights_derived is derived
    assert brief.highlights


@pytest.mark.parametrize(
    ("name", "person", "role"),
    [
        ("seed-harbour-strike.txt", "Ingrid Falk", "Minister of Labour"),
        ("seed-harbour-strike.txt", "Tomas Brenner", "union leader"),
        ("seed-harbour-strike.txt", "Marta Lind", "chief executive"),
        ("plain-solar-farm.txt", "Helena Osei", "chair"),
        ("plain-solar-farm.txt", "Paul Decker", "farmer"),
        ("plain-rail-fares.txt", "Samir Haddad", "chief executive"),
        ("plain-rail-fares.txt", "Anna Kowalczyk", "spokeswoman"),
        ("markdown-chess-final.md", "Viktor Sandberg", "grandmaster"),
        ("html-museum-reopens.html", "Olivia Brandt", "director"),
    ],
)
def test_people_and_roles(name: str, person: str, role: str) -> None:
    found = {p.name: p for p in _brief(name).people}
    assert found[person].role == role


@pytest.mark.parametrize(
    ("name", "speaker", "start"),
    [
        ("seed-harbour-strike.txt", "Marta Lind", "Our terminals"),
        ("plain-solar-farm.txt", "Paul Decker", "We are not against solar"),
        ("plain-rail-fares.txt", "Samir Haddad", "Passengers will see"),
        ("markdown-chess-final.md", "Viktor Sandberg", "She played"),
        ("html-museum-reopens.html", "Felix Amari", "the hardest puzzle"),
    ],
)
def test_quote_speakers(name: str, speaker: str, start: str) -> None:
    quote = next(q for q in _brief(name).quotes if q.text.startswith(start))
    assert quote.speaker == speaker


@pytest.mark.parametrize(
    ("name", "number", "kind", "currency"),
    [
        ("seed-harbour-strike.txt", 6, "percent", None),
        ("seed-harbour-strike.txt", 4200, "count", None),
        ("plain-solar-farm.txt", 85_000_000, "money", "EUR"),
        ("plain-rail-fares.txt", 2, "multiplier", None),
        ("markdown-chess-final.md", 12_000, "money", "USD"),
        ("html-museum-reopens.html", 42_000_000, "money", "USD"),
    ],
)
def test_figures(name: str, number: float, kind: str, currency: str | None) -> None:
    figures = [f for f in _brief(name).figures if f.number == number and f.kind == kind]
    assert len(figures) == 1
    assert figures[0].currency == currency


def test_seed_layout_keeps_each_item_once() -> None:
    brief = _brief("seed-harbour-strike.txt")
    assert len(brief.quotes) == 3
    assert brief.body.count("Dockworkers at Port Halden returned") == 1
    assert brief.analysis.count("The deal ends the stoppage") == 1
    assert [s.heading for s in brief.sections] == [None, "Talks and Terms"]


def test_html_page_furniture_is_left_out() -> None:
    brief = _brief("html-museum-reopens.html")
    for furniture in ("cookies", "Related stories", "All rights reserved", "analytics", "Sign in"):
        assert furniture not in brief.body
    assert [s.heading for s in brief.sections] == [None, "A new home for old treasures"]


def test_markdown_markup_is_stripped() -> None:
    brief = _brief("markdown-chess-final.md")
    assert "**" not in brief.body
    assert "##" not in brief.body
    assert brief.sections[1].heading == "A tense final round"
    assert brief.body.startswith("Sixteen-year-old Lena Hartmann won")

"""The floor the committed sample article (Wikinews, CC BY 2.5) must reach."""

from __future__ import annotations

import pytest

from briefs.extract import build_brief
from briefs.model import Brief
from briefs.normalize import fold
from tests.conftest import SAMPLE


@pytest.fixture(scope="module")
def brief() -> Brief:
    return build_brief(SAMPLE.read_bytes(), SAMPLE.name)


def test_the_prime_minister_has_his_role(brief: Brief) -> None:
    key = next(p for p in brief.people if p.name == "John Key")
    assert key.role == "Prime Minister"
    assert {p.name for p in brief.people} >= {"John Key", "John Burrows"}


@pytest.mark.parametrize(
    ("lookup", "name"), [("key", "John Key"), ("mr key", "John Key"), ("burrows", "John Burrows")]
)
def test_lookups_resolve_through_aliases(brief: Brief, lookup: str, name: str) -> None:
    hits = [p.name for p in brief.people if lookup in {fold(a) for a in (p.name, *p.aliases)}]
    assert hits == [name]


@pytest.mark.parametrize(
    "words",
    [
        "strong rationale",
        "In the end I'll have one vote in each referendum just like every other New Zealander "
        "on the electoral roll",
    ],
)
def test_quotes_of_the_prime_minister(brief: Brief, words: str) -> None:
    quote = next(q for q in brief.quotes if q.text.rstrip(".,") == words)
    assert quote.speaker == "John Key"


@pytest.mark.parametrize(
    ("number", "kind", "about"),
    [(12, "count", "panel"), (2, "count", "referendums"), (26_000_000, "money", "cost")],
)
def test_figures(brief: Brief, number: float, kind: str, about: str) -> None:
    figure = next(f for f in brief.figures if f.number == number and f.kind == kind)
    assert about in figure.about


def test_the_repeated_body_is_read_once(brief: Brief) -> None:
    assert brief.body.count("On Tuesday, the New Zealand government announced") == 1
    assert len({(f.number, f.kind) for f in brief.figures}) == len(brief.figures)


def test_structure(brief: Brief) -> None:
    assert brief.headline == "New Zealand begins process to consider changing national flag design"
    assert brief.published is not None
    assert brief.published.isoformat() == "2015-05-07"
    assert len(brief.highlights) == 5
    assert not brief.highlights_derived
    assert [s.heading for s in brief.sections][1] == "A Public Say on the Design"
    assert brief.analysis.startswith("The process gives New Zealanders")
    assert {"Christchurch", "Wellington"} <= set(brief.places)

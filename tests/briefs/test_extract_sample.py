"""The floor the shared sample article must reach (skipped when the sample is absent)."""

from __future__ import annotations

import pytest

from briefs.extract import build_brief
from briefs.model import Brief
from briefs.normalize import fold
from tests.conftest import SHARED_ARTICLES

SAMPLE = SHARED_ARTICLES / "mexico-extraditions-2026-01-21.txt"
pytestmark = pytest.mark.skipif(not SAMPLE.exists(), reason="shared sample article absent")


@pytest.fixture(scope="module")
def brief() -> Brief:
    return build_brief(SAMPLE.read_bytes(), SAMPLE.name)


@pytest.mark.parametrize(
    ("name", "role", "org"),
    [
        ("Claudia Sheinbaum", "President", "Mexico"),
        ("Omar García Harfuch", "Secretary of Security", "Mexico"),
        ("Pam Bondi", "Attorney General", "US Justice Department"),
        ("Rodrigo Peña", "security expert", None),
        ("Diego Marroquín Bitar", "trade analyst", None),
        ("Trump", None, None),
    ],
)
def test_people_with_roles(brief: Brief, name: str, role: str | None, org: str | None) -> None:
    person = next(p for p in brief.people if p.name == name)
    assert person.role == role
    if org:
        assert person.organization == org


@pytest.mark.parametrize(
    ("lookup", "name"),
    [
        ("bondi", "Pam Bondi"),
        ("harfuch", "Omar García Harfuch"),
        ("garcia harfuch", "Omar García Harfuch"),
        ("pena", "Rodrigo Peña"),
        ("marroquin", "Diego Marroquín Bitar"),
    ],
)
def test_lookups_resolve_through_aliases(brief: Brief, lookup: str, name: str) -> None:
    hits = [p.name for p in brief.people if lookup in {fold(a) for a in (p.name, *p.aliases)}]
    assert hits == [name]


@pytest.mark.parametrize(
    ("speaker", "words"),
    [
        ("Omar García Harfuch", "threat to the country's security"),
        (
            "Pam Bondi",
            "These 37 cartel members will now pay for their crimes against the American people "
            "on American soil.",
        ),
        ("Claudia Sheinbaum", "sovereign decision"),
        ("Trump administration", "run by cartels"),
    ],
)
def test_quotes_and_speakers(brief: Brief, speaker: str, words: str) -> None:
    quote = next(q for q in brief.quotes if q.text.rstrip(".,") == words.rstrip(".,"))
    assert quote.speaker == speaker


@pytest.mark.parametrize(
    ("number", "kind", "about"),
    [
        (37, "count", "cartel members"),
        (3, "ordinal", "such"),
        (7, "count", "armed Mexican aircraft"),
        (50, "percent", "fentanyl seizures"),
    ],
)
def test_figures(brief: Brief, number: float, kind: str, about: str) -> None:
    figure = next(f for f in brief.figures if f.number == number and f.kind == kind)
    assert about in figure.about


def test_nothing_counted_twice_although_the_body_repeats(brief: Brief) -> None:
    assert len(brief.quotes) == 4
    assert len({(f.number, f.kind) for f in brief.figures}) == len(brief.figures) == 4
    assert len(brief.people) == 6
    assert brief.body.count("In a significant move") == 1


def test_structure(brief: Brief) -> None:
    assert brief.headline.endswith("Drug Trafficking")
    assert brief.published is not None
    assert brief.published.isoformat() == "2026-01-21"
    assert len(brief.highlights) == 5
    assert not brief.highlights_derived
    assert [s.heading for s in brief.sections][1] == "Extradition Details and Legal Context"
    assert brief.analysis.startswith("The extradition of cartel members")
    assert {"Washington", "New York", "San Diego"} <= set(brief.places)

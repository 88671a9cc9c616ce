"""Rules of news writing for people and roles, each on sentences written for the test."""

from __future__ import annotations

import pytest

from briefs.extract import build_brief
from briefs.model import Person


def _people(body: str) -> dict[str, Person]:
    brief = build_brief(f"A headline for the test\n\n{body}\n", "rules.txt")
    return {p.name: p for p in brief.people}


@pytest.mark.parametrize(
    ("body", "name"),
    [
        ("Voters in the district chose Tam Kin-wah of the Liberal Union on Sunday.", "Tam Kin-wah"),
        ("Tam Kin-wah and Ho Mei-ling were both elected after a long count.", "Ho Mei-ling"),
        ("The order was signed by Colonel Tariq al-Hashimi on Friday night.", "Tariq al-Hashimi"),
        ("Delegates cheered when Lina Or took the stage in the main hall.", "Lina Or"),
    ],
    ids=["surname first", "second of a pair", "particle surname", "short surname"],
)
def test_name_shapes_of_world_news_are_read_whole(body: str, name: str) -> None:
    assert name in _people(body)


@pytest.mark.parametrize(
    ("body", "name", "role"),
    [
        ("Port Authority Director Helen Marsh opened the terminal.", "Helen Marsh", "Director"),
        (
            "Later, Governor of Oregon Dana Whitlock said the dam would stay.",
            "Dana Whitlock",
            "Governor",
        ),
        (
            "The winners were city councillors Omar Reyes of the Green Party, Jane Holt and Yuki Sato.",
            "Yuki Sato",
            "councillor",
        ),
        (
            "The exhibition features illustrator Marco Bellini and his sketches.",
            "Marco Bellini",
            "illustrator",
        ),
        (
            "Peter Lang, the Minister of Transport, cut the ribbon.",
            "Peter Lang",
            "Minister of Transport",
        ),
        (
            "Ruth Ogden, a retired midwife, told the inquiry about the night.",
            "Ruth Ogden",
            "retired midwife",
        ),
        ("Simon Crane, QC, said the appeal would be lodged this week.", "Simon Crane", "QC"),
    ],
    ids=[
        "title fused",
        "title of place",
        "plural role before a list",
        "agent noun",
        "apposition title",
        "apposition description",
        "post-nominal",
    ],
)
def test_roles_come_from_the_words_around_the_name(body: str, name: str, role: str) -> None:
    person = _people(body)[name]
    assert person.role == role


@pytest.mark.parametrize(
    "body",
    [
        "Orion Navigator, its main rival, has been gaining users while Atlas Browser lost ground.",
        "Her graphic novel Summer Harbor was launched at the fair on Saturday.",
        "The Lunar Probe Meridian will be moved to a museum next spring.",
        "The survey was led by the Central Statistics Study in New Zealand this year.",
        "Voters backed candidates of Civic Renewal and People First in the east.",
    ],
    ids=["products", "a work", "a vehicle", "places in a run", "parties after of"],
)
def test_names_of_things_are_not_people(body: str) -> None:
    assert _people(body) == {}


def test_a_person_named_after_their_organisation_is_found_with_both() -> None:
    people = _people(
        "After the vote, CEO of the Housing Trust Maya Lindgren told reporters it was fair."
    )
    person = people["Maya Lindgren"]
    assert person.role == "CEO"
    assert person.organization == "Housing Trust"


def test_the_listener_of_told_is_no_evidence_but_kin_and_age_are() -> None:
    people = _people(
        "Officials told Harbor Weekly the plan was ready. Ravi Menon, 42, and his wife "
        "Sunita Menon, 39, attended the hearing."
    )
    assert "Weekly" not in people
    assert {"Ravi Menon", "Sunita Menon"} <= set(people)

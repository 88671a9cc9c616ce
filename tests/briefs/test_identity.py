"""The matching rule of who is who, on names and roles (no library involved)."""

from __future__ import annotations

import datetime as dt

import pytest

from briefs.identity import (
    Candidate,
    NamedPerson,
    NameParts,
    Sighting,
    choose,
    contradicts,
    figure_subjects,
    givens_compatible,
    name_parts,
    real_spellings,
)
from briefs.model import Figure

DAY = dt.date(2026, 1, 21)


@pytest.mark.parametrize(
    ("name", "parts"),
    [
        ("Pam Bondi", NameParts("pam", "bondi")),
        ("Trump", NameParts(None, "trump")),
        ("Omar García Harfuch", NameParts("omar", "harfuch")),
        ("Martin Luther King Jr.", NameParts("martin", "king jr")),
    ],
)
def test_name_parts(name: str, parts: NameParts) -> None:
    assert name_parts(name) == parts


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("pam", "pamela", True),
        ("bill", "william", True),
        ("bob", "robert", True),
        ("alex", "alexander", True),
        ("alex", "alexandra", True),
        ("alexander", "alexandra", False),
        ("maria", "carlos", False),
        ("p", "pamela", True),
        ("j", "pamela", False),
        (None, "donald", True),
    ],
)
def test_given_names(a: str | None, b: str | None, same: bool) -> None:
    assert givens_compatible(a, b) is same
    assert givens_compatible(b, a) is same


def test_a_clearly_different_role_at_the_same_time_contradicts() -> None:
    leader = Sighting("union leader", None, DAY)
    assert contradicts(Sighting("coach", "Arden United", DAY), leader)
    assert not contradicts(Sighting("union leader", "Harbour Workers Union", DAY), leader)
    assert not contradicts(Sighting("coach", None, DAY + dt.timedelta(days=400)), leader)
    assert not contradicts(Sighting("former union leader", None, DAY), Sighting("coach", None, DAY))
    assert not contradicts(Sighting(None, None, DAY), leader)


def test_choose_keeps_two_people_sharing_a_surname_apart() -> None:
    maria = Candidate(1, frozenset({"maria"}), (Sighting("union leader", None, DAY),), 5)
    carlos = Candidate(2, frozenset({"carlos"}), (Sighting("coach", None, DAY),), 9)
    seen = Sighting("leader", None, DAY)
    assert choose({"maria"}, seen, [maria, carlos]) == 1
    assert choose({"ana"}, seen, [maria, carlos]) is None
    assert choose({None}, Sighting("coach", None, DAY), [maria, carlos]) == 2  # role agrees
    alexander = Candidate(3, frozenset({"alexander", "alex"}))
    assert choose({"alexandra"}, seen, [alexander]) is None  # Alex may be either, not both


def test_accent_stripped_copies_and_bare_name_parts_are_not_other_spellings() -> None:
    spellings = ["Omar García Harfuch", "García Harfuch", "Garcia Harfuch", "García", "Garcia"]
    assert real_spellings("Omar García Harfuch", spellings) == ("García Harfuch",)
    assert real_spellings("Pamela Bondi", ["Pam Bondi", "Bondi", "PAM BONDI"]) == ("Pam Bondi",)


def test_a_figure_belongs_to_whom_it_is_about_not_to_everyone_named() -> None:
    sentence = (
        "This marks the third such operation under President Claudia Sheinbaum's "
        "administration, as she navigates the demands of the Trump administration."
    )
    third = Figure(
        "third", 3.0, "ordinal", "such operation under President Claudia Sheinbaum's", sentence
    )
    people = [
        NamedPerson(("claudia sheinbaum", "sheinbaum"), frozenset()),
        NamedPerson(("trump",), frozenset()),
    ]
    assert figure_subjects(third, people) == [0]
    said = Figure("40", 40.0, "count", "ships", "Reyes said 40 ships waited, Whitlock said.")
    both = [NamedPerson(("reyes",), frozenset()), NamedPerson(("whitlock",), frozenset())]
    assert figure_subjects(said, both) == [0]
    alone = Figure("12", 12.0, "count", "boats", "Twelve boats left.")
    assert figure_subjects(alone, both) == []

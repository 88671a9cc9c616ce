"""People rules: bodies and places that look like names, names that hide behind clauses."""

from __future__ import annotations

import pytest

from briefs.extract import build_brief
from briefs.model import Brief


def _brief(*paragraphs: str) -> Brief:
    return build_brief("Headline for a test\n2025-11-03\n\n" + "\n\n".join(paragraphs))


def _names(brief: Brief) -> set[str]:
    return {p.name for p in brief.people}


@pytest.mark.parametrize(
    ("paragraph", "not_person"),
    [
        ("Historic England's chief executive, Martin R. Holloway, praised the find.", "Historic"),
        (
            "Ana Ruiz, a curator at the National Maritime Museum in Greenwich, said it was rare.",
            "Greenwich",
        ),
        (
            "The Karnataka government approved the money, Transport Minister Anand Shetty said.",
            "Karnataka",
        ),
        ("Mayor Liza Ocampo spoke to us at City Hall on Monday, her aide Ben Cruz said.", "City"),
        (
            "The Central Arizona Project, which delivers water, faces cuts, Gov. Elena Marquez said.",
            "Arizona",
        ),
        (
            "Meera Nair-Kulkarni, founder of the Bengaluru Commuters' Forum, said it was late.",
            "Bengaluru",
        ),
        (
            "Q: Critics say the plan moves too slowly.\n\nA: Councillor Ramon Cruz agreed.",
            "Critics",
        ),
    ],
)
def test_bodies_places_and_plural_nouns_are_not_people(paragraph: str, not_person: str) -> None:
    names = _names(_brief(*paragraph.split("\n\n")))
    assert names, "the real person in the sentence is still found"
    assert not any(not_person in n.split() for n in names)


def test_bengaluru_commuters_forum_is_one_organisation() -> None:
    brief = _brief(
        "Meera Nair-Kulkarni, founder of the Bengaluru Commuters' Forum, said it was late."
    )
    assert "Bengaluru Commuters' Forum" in brief.organizations


def test_a_name_followed_by_who_opening_a_sentence_is_a_person() -> None:
    brief = _brief(
        "Abena Mensah-Darko, who farms eight hectares near Kumasi, said the rise was late."
    )
    assert "Abena Mensah-Darko" in _names(brief)


def test_a_professor_of_a_university_is_a_person_with_the_title_as_role() -> None:
    brief = _brief(
        "Prof. Hannah Lindqvist of the University of Arizona warned that costs could rise."
    )
    person = next(p for p in brief.people if p.name == "Hannah Lindqvist")
    assert person.role == "Prof."
    assert "University of Arizona" in brief.organizations


def test_dr_without_a_full_stop_is_the_role_when_no_other_is_given() -> None:
    brief = _brief("'It is a buyer's market,' said Dr Priya Raman-Holt, who runs an agency.")
    assert [(p.name, p.role) for p in brief.people] == [("Priya Raman-Holt", "Dr")]


def test_a_role_given_in_words_wins_over_the_academic_title() -> None:
    brief = _brief(
        "Dr. Samuel Okafor, a hydrologist at Arizona State University, said it was clean."
    )
    assert [(p.name, p.role) for p in brief.people] == [("Samuel Okafor", "hydrologist")]


def test_a_surname_that_is_a_facility_word_is_still_a_person_when_named_as_speaker() -> None:
    assert "Stuart Hall" in _names(_brief("Stuart Hall said the plan was sound."))


def test_a_surname_that_is_a_facility_word_is_a_person_with_a_description() -> None:
    brief = _brief("The essay, by Stuart Hall, a sociologist, was reissued.")
    assert "Stuart Hall" in _names(brief)


def test_a_person_before_and_a_body_is_not_cut_from_the_body() -> None:
    brief = _brief(
        "The Independent Electoral and Boundaries Commission declared the result, "
        "chairman Wafula Chebukati said."
    )
    assert "Independent Electoral and Boundaries Commission" in brief.organizations

"""The general rules added after the held-out baseline, each on sentences of its own."""

from __future__ import annotations

import datetime as dt

import pytest

from briefs.extract import build_brief
from briefs.model import Brief


def _brief(*paragraphs: str) -> Brief:
    return build_brief("Headline for a test\n2025-11-03\n\n" + "\n\n".join(paragraphs))


def _names(brief: Brief) -> set[str]:
    return {p.name for p in brief.people}


def _person(brief: Brief, name: str) -> tuple[str | None, str | None]:
    person = next(p for p in brief.people if p.name == name)
    return person.role, person.organization


@pytest.mark.parametrize(
    ("paragraph", "not_person"),
    [
        ("Traffic on the Trans-Andean Highway near Mendoza stopped, police said.", "Andean"),
        ("The quake was felt widely, according to the US Geological Survey in Denver.", "Survey"),
        ("Patients were taken to the Carlos Monge hospital on Friday.", "Monge"),
        ("The bill needs junior partner Vanguardia, which holds 14 seats.", "Vanguardia"),
        ("Builder Halden Estates said it would appeal, and Mia Roe said so too.", "Estates"),
        ("Residents complained to the Lands Inspectorate about the plan, Ana Ruiz said.", "Lands"),
    ],
)
def test_bodies_and_things_are_not_people(paragraph: str, not_person: str) -> None:
    names = _names(_brief(paragraph))
    assert not any(not_person in n for n in names), names


def test_a_surname_the_text_uses_as_a_body_is_not_evidence() -> None:
    brief = _brief(
        "Blackburn Rovers have signed the striker Ola Berg from Molde on a three-year deal.",
        "Rovers manager Tom Hill said Berg would start on Saturday.",
        "Rovers had two offers turned down in June.",
    )
    assert "Blackburn Rovers" not in _names(brief)
    assert {"Ola Berg", "Tom Hill"} <= _names(brief)


def test_a_titled_name_before_of_a_body_stays_a_person() -> None:
    brief = _brief("Professor Ines Haugen of Trinity College Dublin, who led the work, said so.")
    assert _person(brief, "Ines Haugen") == ("Professor", "Trinity College Dublin")


def test_the_trump_administration_still_names_a_person() -> None:
    assert "Trump" in _names(_brief("Officials said the Trump administration would respond."))


@pytest.mark.parametrize(
    ("paragraph", "name", "role"),
    [
        (
            "Meteorologist Asha Pillai, who runs the warning desk, said rain was due.",
            "Asha Pillai",
            "Meteorologist",
        ),
        ("Managing director Pieter Smit said the firm would appeal.", "Pieter Smit", None),
        ("Political scientist Mei Tanaka said turnout had fallen.", "Mei Tanaka", None),
        ("Ukrainian midfielder Oleh Marchenko scored on Sunday.", "Oleh Marchenko", "midfielder"),
        ("The Lagos businessman Tunde Ade was acquitted on Monday.", "Tunde Ade", "businessman"),
    ],
    ids=["occupation", "managing", "adjective", "position", "businessman"],
)
def test_roles_before_the_name(paragraph: str, name: str, role: str | None) -> None:
    expected = role or " ".join(paragraph.split()[:2])
    assert _person(_brief(paragraph), name)[0] == expected


def test_a_nationality_and_a_relative_clause_around_the_role() -> None:
    brief = _brief(
        "Joana Prado, the Portuguese engineer whose bridges span the Douro, has died. She was 90."
    )
    assert _person(brief, "Joana Prado")[0] == "engineer"


def test_a_plural_role_before_two_names() -> None:
    brief = _brief(
        "Two former directors of the fund, Omar Haddad and Lena Fischer, were also convicted."
    )
    assert _person(brief, "Omar Haddad")[0] == "director of the fund"
    assert _person(brief, "Lena Fischer")[0] == "director of the fund"


def test_a_pronoun_or_possessive_is_not_an_organisation() -> None:
    brief = _brief(
        "Ana Lopes founded the studio in 1990.",
        "Her former partner Rui Costa called her brilliant. The firm's current chair, "
        "Eva Marx, agreed.",
    )
    assert _person(brief, "Rui Costa") == ("former partner", None)
    assert _person(brief, "Eva Marx")[0] == "current chair"


@pytest.mark.parametrize(
    ("paragraph", "org"),
    [
        ("Glass Futures, the industry association, said it was pleased.", "Glass Futures"),
        ("The figures were compiled by the website PollTrack on Friday.", "PollTrack"),
        ("The port authority, Autoridade Portuaria do Recife, said 12 ships waited.", None),
    ],
)
def test_bodies_named_beside_a_body_noun(paragraph: str, org: str | None) -> None:
    brief = _brief(paragraph)
    assert not brief.people
    if org:
        assert org in brief.organizations


def test_a_second_quote_of_a_body_keeps_its_speaker() -> None:
    brief = _brief(
        'Glass Futures, the industry association, said it was "deeply concerned" but would '
        '"work constructively" with ministers.'
    )
    assert {q.speaker for q in brief.quotes} == {"Glass Futures"}


def test_a_pronoun_with_an_adverb_before_the_verb() -> None:
    brief = _brief(
        "Ana Lopes, an architect, studied in Porto and designed 40 schools.",
        'She once told an interviewer that "a school is a promise to a town".',
    )
    assert brief.quotes[0].speaker == "Ana Lopes"


@pytest.mark.parametrize(
    ("sentence", "number"),
    [
        ("The firm will spend $6bn, double what it spent last year.", 2),
        ("The tower would be nearly double the height of its neighbours.", 2),
        ("Cases are expected to almost triple by 2050.", 3),
        ("Exports could more than quadruple within a decade.", 4),
    ],
)
def test_multiplier_words(sentence: str, number: float) -> None:
    figures = _brief(sentence).figures
    assert any(f.number == number and f.kind == "multiplier" for f in figures)


@pytest.mark.parametrize(
    "sentence",
    [
        "Inflation stayed in double digits and a double murder shocked the town.",
        "The double-decker buses and triple-A bonds were not affected.",
    ],
)
def test_double_and_triple_as_adjectives_are_not_figures(sentence: str) -> None:
    assert not _brief(sentence).figures


def test_a_standfirst_under_a_markdown_title_is_text_and_a_date_may_follow() -> None:
    brief = build_brief(
        "# Rail strike ends after nine days\n\n"
        "### Unions accepted a 6% offer after talks that ran through the night\n\n"
        "**Published:** 3 June 2025 · Transport desk\n\n"
        "The strike ended on Tuesday, the union said in a statement to members.\n\n"
        "Trains will run normally from Wednesday, the operator said on its website.\n",
        "strike.md",
    )
    assert brief.published == dt.date(2025, 6, 3)
    assert brief.headline == "Rail strike ends after nine days"
    assert any(f.number == 6 for f in brief.figures)


def test_a_place_joined_to_a_body_is_one_organisation() -> None:
    brief = _brief("Leeds and Bradford Transport Authority said fares would rise by 4%.")
    assert "Leeds and Bradford Transport Authority" in brief.organizations


@pytest.mark.parametrize(
    ("paragraph", "not_person"),
    [
        ("Typhoon Haima struck the coast on Monday. Haima is the third storm this year.", "Haima"),
        ("Governor Lin Hoa, who toured Quang Ngai on Tuesday, said schools would reopen.", "Ngai"),
    ],
)
def test_storms_and_places_before_a_place_noun_are_not_people(
    paragraph: str, not_person: str
) -> None:
    brief = _brief(paragraph, "Residents of Quang Ngai province were evacuated.")
    assert not any(not_person in n for n in _names(brief)), _names(brief)


def test_a_name_used_before_a_role_is_a_body_that_can_speak() -> None:
    brief = _brief(
        "A former Brentford physiotherapist won her claim, her solicitor, Ana Ruiz, said.",
        'Brentford said it was "disappointed with the outcome" and would appeal.',
    )
    assert "Brentford" not in _names(brief)
    assert "Brentford" in brief.organizations
    assert brief.quotes[0].speaker == "Brentford"
    assert _person(brief, "Ana Ruiz")[0] == "solicitor"

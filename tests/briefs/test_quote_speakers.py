"""Quote speakers: pronouns after a named person, names with initials after the quote."""

from __future__ import annotations

from briefs.extract import build_brief
from briefs.model import Brief


def _brief(*paragraphs: str) -> Brief:
    return build_brief("Headline for a test\n2025-11-03\n\n" + "\n\n".join(paragraphs))


def _speakers(brief: Brief) -> dict[str, str | None]:
    return {q.text: q.speaker for q in brief.quotes}


def test_he_said_opening_a_sentence_goes_to_the_person_named_before() -> None:
    brief = _brief(
        "According to Dr. Emmanuel K. Asante, an agricultural economist, many trees are old. "
        'He said replanting them would take "at least a decade".'
    )
    assert _speakers(brief) == {"at least a decade": "Emmanuel K. Asante"}


def test_she_said_after_a_person_named_in_the_previous_paragraph() -> None:
    brief = _brief(
        "Abena Mensah-Darko, who farms eight hectares near Kumasi, said the rise was late.",
        '"Fertiliser now costs three times what it did," she said.',
    )
    assert set(_speakers(brief).values()) == {"Abena Mensah-Darko"}


def test_a_speaker_with_initials_after_the_quote() -> None:
    brief = _brief(
        '"We will not compromise on safety," BMRCL managing director S. R. Venkatesh said.'
    )
    assert set(_speakers(brief).values()) == {"S. R. Venkatesh"}


def test_later_quotes_go_to_the_person_not_to_the_body_they_lead() -> None:
    brief = _brief(
        "Historic England's chief executive, Martin R. Holloway, called the wreck "
        '"the most important find in a generation."'
    )
    assert set(_speakers(brief).values()) == {"Martin R. Holloway"}


def test_a_new_sentence_after_the_quote_is_not_its_attribution() -> None:
    brief = _brief('Ana Ruiz said it was late. "It is late," she said. Mr. Cole left.')
    assert set(_speakers(brief).values()) == {"Ana Ruiz"}

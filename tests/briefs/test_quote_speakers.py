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


def test_the_subject_of_the_reporting_verb_not_a_name_in_a_modifier() -> None:
    brief = _brief(
        'Mayor Lena Varga of Ostrava, speaking after a meeting with Tomas Hruby, said "the '
        'budget is settled".'
    )
    assert set(_speakers(brief).values()) == {"Lena Varga"}


def test_he_after_an_object_goes_to_the_earlier_subject() -> None:
    brief = _brief(
        "Peter Lindqvist, a former adviser, wrote about the case on his blog.",
        'He described Oskar Brandt as a man "who never listened to anyone".',
    )
    assert set(_speakers(brief).values()) == {"Peter Lindqvist"}


def test_a_pronoun_skips_a_sentence_subject_of_the_other_gender() -> None:
    brief = _brief(
        "Mr. Arnav Kapoor and his wife Meera Kapoor run the shop.",
        'Allegedly, Arnav\'s sister asked him to close it, but he replied "I cannot do that".',
    )
    assert set(_speakers(brief).values()) == {"Arnav Kapoor"}


def test_an_inverted_attribution_after_the_quote() -> None:
    brief = _brief('"The river will rise again tonight," said Hanna Olsen, a hydrologist.')
    assert set(_speakers(brief).values()) == {"Hanna Olsen"}


def test_an_inverted_attribution_by_an_agency() -> None:
    brief = _brief('"Troops were moved to the border overnight," added KRTA.')
    assert _speakers(brief) == {"Troops were moved to the border overnight": "KRTA"}


def test_a_paragraph_that_is_only_a_quote_continues_the_speaker() -> None:
    brief = _brief(
        '"We did not expect this," Dr. Ines Morales said.',
        '"The numbers are far worse than last year, and the clinics are full."',
    )
    assert set(_speakers(brief).values()) == {"Ines Morales"}


def test_a_speaker_introduced_in_the_sentence_before() -> None:
    brief = _brief(
        "Senator Walter Price issued a statement on the closure. "
        '"This is a sad day for the town and for every worker here."'
    )
    assert set(_speakers(brief).values()) == {"Walter Price"}


def test_a_document_and_its_body_speak() -> None:
    brief = _brief(
        'The Transport Agency letter reads "all permits must be renewed by March".',
        'A leaked memo seen by the Daily Courier says "staff will be cut".',
    )
    speakers = _speakers(brief)
    assert speakers["all permits must be renewed by March"] == "Transport Agency"
    assert speakers["staff will be cut"] == "leaked memo"


def test_unnamed_speakers_keep_the_texts_words() -> None:
    brief = _brief(
        'One commenter wrote on the forum "the servers were down all night".',
        'The commenter added that "nobody answered the phone".',
        'The study\'s authors say the result is "a warning for every school".',
        'They call for "free checks in all districts".',
    )
    speakers = _speakers(brief)
    assert speakers["the servers were down all night"] == "One commenter"
    assert speakers["nobody answered the phone"] == "One commenter"
    assert speakers["a warning for every school"] == "The study's authors"
    assert speakers["free checks in all districts"] == "The study's authors"


def test_a_publication_speaks() -> None:
    brief = _brief('The Northern Herald noted the protest had grown into a "real movement".')
    assert _speakers(brief)["real movement"] in ("The Northern Herald", "Northern Herald")


def test_according_to_and_in_the_words_of() -> None:
    brief = _brief(
        'The harvest was "the worst in memory", according to farmer Jonas Berg.',
        'In the words of the judge, Carla Mendes, "the law is clear".',
    )
    assert set(_speakers(brief).values()) == {"Jonas Berg", "Carla Mendes"}


def test_many_attributed_quotes_in_one_paragraph_stay_fast() -> None:
    import time

    para = " ".join('"a b c" said Smith,' for _ in range(3000))
    start = time.perf_counter()
    brief = _brief("Anna Smith spoke at length. " + para)
    assert time.perf_counter() - start < 20
    assert len(brief.quotes) == 3000

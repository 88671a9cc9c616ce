"""Kinds of figure and of non-figure, and what a figure counts, on sentences written for the tests."""

from __future__ import annotations

import pytest

from briefs.extract.document import Document
from briefs.extract.figure_numbers import read_spelled
from briefs.extract.figures import find_figures
from briefs.model import Figure


def _figures(*sentences: str, headline: str | None = None) -> list[Figure]:
    return find_figures(Document.build(sentences), headline)


def _numbers(sentence: str) -> list[float | None]:
    return [f.number for f in _figures(sentence)]


def _about(sentence: str, number: float) -> str:
    return next(f.about for f in _figures(sentence) if f.number == number)


# --- spelled-out numbers never raise -------------------------------------------------------


@pytest.mark.parametrize(
    ("words", "values"),
    [
        ("three four", [3, 4]),
        ("one hundred hundred twenty four", [100, 124]),
        ("twenty twenty", [20, 20]),
        ("two thousand and five", [2005]),
        ("ninety-nine thousand nine hundred", [99_900]),
        ("zero zero seven", [0, 0, 7]),
        ("thousand million", [1000, 1_000_000]),
    ],
)
def test_a_run_of_number_words_is_read_as_the_numbers_it_holds(
    words: str, values: list[int]
) -> None:
    assert [p.value for p in read_spelled(words)] == values


@pytest.mark.parametrize(
    "sentence",
    [
        "The clerk wrote three four on the form.",
        "It said one hundred hundred twenty four.",
        "The band played twenty twenty twenty all night.",
        "Tickets: one two three four five six seven eight nine ten and thousand and.",
        "She counted two one-hour sessions and three four-day trips.",
    ],
)
def test_nonsense_number_sequences_never_raise(sentence: str) -> None:
    assert all(f.number is not None for f in _figures(sentence))


def test_ten_thousand_figures_in_one_sentence_are_read() -> None:
    sentence = "The values were " + ", ".join(str(i) for i in range(10_000)) + "."
    assert len(_figures(sentence)) > 9_000


# --- numbers that name rather than count ---------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "The update ships with Photoshop 7 and a new toolbar.",
        "Pages written in XHTML 2 render slowly.",
        "Guards moved to checkpoints 31 and 32 on Monday.",
        "Passengers waited at gate 14 for an hour.",
        "The ferry left from pier 3 late.",
        "Call the office on 020 7946 0958 before noon.",
        "The shop at 12 Mill Street has closed.",
        "Gamers on 8kun shared the clip.",
        "She flew the 737, which was later grounded.",
        "Veterans of 82nd Airborne marched.",
    ],
)
def test_names_versions_identifiers_phones_and_addresses_are_not_figures(sentence: str) -> None:
    assert _figures(sentence) == []


def test_a_possessive_before_a_number_keeps_the_count() -> None:
    assert _numbers("She beat Marsh's 2.1 million with 2.4 million votes.") == [2.1e6, 2.4e6]


# --- counts that look like years, ages ---------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "number"),
    [
        ("A poll of 1850 nurses found most were tired.", 1850),
        ("The study followed 2001 children for a decade.", 2001),
        ("They revived a 1500 year old custom.", 1500),
    ],
)
def test_a_year_like_number_before_a_plural_noun_is_a_count(sentence: str, number: int) -> None:
    assert _numbers(sentence) == [number]


@pytest.mark.parametrize(
    "sentence",
    ["The law changed in 2019 elections.", "Since 1990 prices rose.", "The 2018 games ended."],
)
def test_a_year_stays_a_year(sentence: str) -> None:
    assert _figures(sentence) == []


@pytest.mark.parametrize(
    ("sentence", "number", "about"),
    [
        ("Mara Lind, 51, runs the bakery.", 51, "age of Mara Lind"),
        ("He left school aged 15 to work.", 15, "his age"),
        ("She moved to Oslo when she was nine.", 9, "her age"),
        ("The 64-year-old mechanic retired.", 64, "age of mechanic"),
        ("They kept a 300 year old tree.", 300, "age of tree"),
    ],
)
def test_ages_name_whose_age_they_are(sentence: str, number: float, about: str) -> None:
    assert _about(sentence, number) == about


# --- scores, fractions, currencies, "one" ------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "value"),
    [
        ("The hosts won 3-1 at home.", "3-1"),
        ("It finished 2 – 2 after extra time.", "2 – 2"),
        ("They lost 0-2 to the champions.", "0-2"),
    ],
)
def test_scores_are_one_figure(sentence: str, value: str) -> None:
    found = _figures(sentence)
    assert [(f.value, f.unit) for f in found] == [(value, "score")]


def test_an_ascending_range_without_a_game_is_two_numbers() -> None:
    assert _numbers("Children aged 6-9 took part.") == [6, 9]


@pytest.mark.parametrize(
    ("sentence", "number"),
    [
        ("The bolt is 5/16 inch wide.", 5 / 16),
        ("Add 2-1/2 cups of flour.", 2.5),
        ("A fifth of the budget went on roads.", 0.2),
        ("Turnout was larger than a third.", 1 / 3),
    ],
)
def test_fractions(sentence: str, number: float) -> None:
    assert _numbers(sentence) == [pytest.approx(number)]


def test_24_7_is_not_a_fraction() -> None:
    assert _figures("The pharmacy is open 24/7 now.") == []


@pytest.mark.parametrize(
    ("sentence", "number", "currency"),
    [
        ("Each family got P3,000 in aid.", 3000, "PHP"),
        ("Rent rose to R12,500 a month.", 12_500, "ZAR"),
        ("The school raised NZ$40,000.", 40_000, "NZD"),
    ],
)
def test_currency_letters_before_an_amount(sentence: str, number: float, currency: str) -> None:
    found = _figures(sentence)
    assert [(f.number, f.currency) for f in found] == [(number, currency)]


@pytest.mark.parametrize(
    "sentence",
    [
        "They had one week to pack.",
        "Each member has one vote.",
        "At least one bridge collapsed.",
        "He scored one or two goals a season.",
    ],
)
def test_one_before_a_unit_or_after_a_hedge_is_a_count(sentence: str) -> None:
    ones = [n for n in _numbers(sentence) if n == 1]
    assert ones, f"no count of one read in {sentence!r}"


@pytest.mark.parametrize("sentence", ["One of them left early.", "She was the one who called."])
def test_referential_one_is_not_a_figure(sentence: str) -> None:
    assert _figures(sentence) == []


def test_the_headline_is_read() -> None:
    found = _figures("Rescuers worked through the night.", headline="Over 300 miners rescued")
    assert [(f.number, f.about) for f in found] == [(300, "miners")]


def test_a_title_case_headline_capital_does_not_make_a_name() -> None:
    found = _figures("Crews cleared the roads.", headline="Storm Leaves 40 Homes Without Power")
    assert [f.number for f in found] == [40]


# --- what a figure counts ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "number", "about"),
    [
        ("The fire destroyed 14 wooden houses on the hill.", 14, "wooden houses"),
        ("The storm hit the coast, killing 23 and injuring 60.", 23, "people killed"),
        ("The storm hit the coast, killing 23 and injuring 60.", 60, "people injured"),
        ("The ward has from 12 to 20 beds.", 12, "beds"),
        ("Officials said the death toll could rise above a hundred.", 100, "death toll"),
        ("Nine of the club's players were injured.", 9, "club's players"),
        ("The committee raised its estimate to 8 percent.", 8, "raised its estimate"),
        ("She won by 310 votes.", 310, "votes"),
        ("The talks lasted 36 hours without a break.", 36, "hours"),
        ("The bill was rejected twice by the senate.", 2, "times rejected"),
    ],
)
def test_about_is_the_counted_thing(sentence: str, number: float, about: str) -> None:
    got = _about(sentence, number)
    assert got.startswith(about), got
    assert len(got.split()) <= 8


def test_a_restated_amount_in_brackets_takes_the_first_amount_s_description() -> None:
    found = _figures("The winner gets a prize of US$10,000 (£7,900) in cash.")
    assert [f.about for f in found] == ["gets a prize", "gets a prize"]


def test_a_share_in_brackets_after_a_count_is_that_count_s_share() -> None:
    found = _figures("She won 2.2 million votes (54 percent).")
    assert [f.about for f in found] == ["votes", "share of votes"]


def test_a_repeated_value_is_described_by_one_mention_not_joined_windows() -> None:
    found = _figures(
        "Two were arrested.", "The court heard from two witnesses.", "It met twice in May."
    )
    assert len(found) == 1
    assert found[0].about == "witnesses"


@pytest.mark.parametrize(
    ("sentence", "about"),
    [
        ("Some 40 firefighters - many of them volunteers - fought the blaze.", "firefighters"),
        ("The 30 vans were parked outside the council.", "vans"),
        ("Over 2 million visitors according to the organisers came.", "visitors"),
        ("It marked the 20th anniversary of the first crewed lunar flight.", "anniversary"),
    ],
)
def test_the_noun_phrase_ends_where_the_clause_goes_on(sentence: str, about: str) -> None:
    found = _figures(sentence)
    assert found[0].about.startswith(about), found[0].about
    assert "-" not in found[0].about.split()


def test_spelled_percentages_are_percent() -> None:
    found = _figures("Nearly sixty percent of the crop was lost.")
    assert [(f.number, f.kind, f.about) for f in found] == [(60, "percent", "crop")]


def test_one_result_from_both_sides_is_one_score() -> None:
    found = _figures("Leeds won 2 – 1 at home.", "The 1 – 2 defeat hurt the visitors.")
    assert [f.value for f in found] == ["2 – 1"]


@pytest.mark.parametrize(
    "sentence", ["Bands of the 60s played.", "It was built in the 19th century by monks."]
)
def test_decades_and_centuries_are_not_figures(sentence: str) -> None:
    assert _figures(sentence) == []


@pytest.mark.parametrize("sentence", ["It took four thirds of the time.", "Three fifths, he said."])
def test_odd_fraction_words_are_read_or_skipped_never_raise(sentence: str) -> None:
    assert all(f.number is None or f.number < 10 for f in _figures(sentence))


def test_at_the_age_of() -> None:
    assert _about("Ana Ruiz left home at the age of 16 for Madrid.", 16) == "Ana's age"


@pytest.mark.parametrize(
    ("sentence", "number", "about"),
    [
        ("The fund will pay out $4 million in grants.", 4e6, "grants"),
        ("Sales could drop by 9 percent next year.", 9, "Sales"),
        ("The total bill has risen to $80 million.", 80e6, "total bill"),
    ],
)
def test_money_in_what_and_time_words_after_a_number(
    sentence: str, number: float, about: str
) -> None:
    assert _about(sentence, number) == about


def test_an_amount_restated_after_or_takes_the_first_description() -> None:
    found = _figures("The city paid 2 billion pesos for parks, or roughly $35 million.")
    assert [f.about for f in found] == ["pesos for parks", "pesos for parks"]

"""Figure rules: Indian scales, fractions, years after time words, ranges, one entry per number."""

from __future__ import annotations

import pytest

from briefs.extract.document import Document
from briefs.extract.figures import find_figures
from briefs.model import Figure


def _figures(*sentences: str) -> list[Figure]:
    return find_figures(Document.build(sentences))


def _one(sentence: str) -> Figure:
    found = _figures(sentence)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("sentence", "value", "number"),
    [
        ("The state approved Rs 500 crore for the line.", "Rs 500 crore", 5e9),
        ("The total cost has risen to Rs 14,788 crore.", "Rs 14,788 crore", 147_880_000_000),
        ("Each family gets Rs. 2 lakh in aid.", "Rs. 2 lakh", 200_000),
        ("Farmers lost ₹3 crores last year.", "₹3 crores", 3e7),
    ],
)
def test_lakh_and_crore_scale_rupees(sentence: str, value: str, number: float) -> None:
    fig = _one(sentence)
    assert (fig.value, fig.number, fig.kind, fig.currency) == (value, number, "money", "INR")


@pytest.mark.parametrize(
    ("sentence", "value", "number"),
    [
        ("Half of it comes from the national government.", "Half", 0.5),
        ("Smuggling was about half the shortfall.", "about half", 0.5),
        ("Costs rose by nearly a quarter since work began.", "nearly a quarter", 0.25),
        ("Two-thirds of voters agreed.", "Two-thirds", 2 / 3),
        ("Some three quarters of homes have power.", "Some three quarters", 0.75),
    ],
)
def test_fractions_are_measures_with_the_share_as_number(
    sentence: str, value: str, number: float
) -> None:
    fig = _one(sentence)
    assert (fig.value, fig.kind, fig.unit) == (value, "measure", "fraction")
    assert fig.number == pytest.approx(number)


@pytest.mark.parametrize(
    "sentence",
    [
        "She said the team would halve the cost.",
        "In the second half the team scored.",
        "In the second half of the season the team scored.",
        "It was a third such transfer under her government.",
    ],
)
def test_half_as_a_noun_and_a_third_as_an_ordinal_are_not_fractions(sentence: str) -> None:
    assert all(f.unit != "fraction" for f in _figures(sentence))


@pytest.mark.parametrize(
    "sentence",
    [
        "The ship was built around 1420 from timber felled in the Baltic.",
        "The company has traded since 1887.",
        "Output should double by 2030, officials said.",
        "The wall was finished in 1066 and stood for centuries.",
    ],
)
def test_a_year_after_a_time_word_is_not_a_figure(sentence: str) -> None:
    assert _figures(sentence) == []


@pytest.mark.parametrize(
    ("sentence", "number"),
    [
        ("The plant employs around 1420 workers.", 1420),
        ("Prices rose by 2030 rupees a tonne.", 2030),
    ],
)
def test_a_four_digit_count_with_a_unit_stays_a_figure(sentence: str, number: float) -> None:
    assert [f.number for f in _figures(sentence)] == [number]


def test_a_range_is_one_figure_with_the_first_number_and_the_whole_text() -> None:
    fig = _one("Officials estimate that between 100,000 and 150,000 tonnes of beans were smuggled.")
    assert (fig.value, fig.number, fig.kind, fig.unit) == (
        "between 100,000 and 150,000 tonnes",
        100_000,
        "measure",
        "tonnes",
    )


def test_a_street_between_3_and_5_degrees_cooler_is_one_figure() -> None:
    fig = _one("A street with trees is between 3 and 5 degrees cooler at noon.")
    assert (fig.value, fig.number) == ("between 3 and 5 degrees", 3)


def test_one_number_with_two_meanings_is_one_entry_described_by_its_clearest_mention() -> None:
    found = _figures(
        "Costs could rise by 40 percent if construction is delayed.",
        "This is the most important decision in forty years.",
    )
    assert len(found) == 1
    assert found[0].number == 40
    assert ";" not in found[0].about
    assert found[0].about == "years"
    assert "forty years" in found[0].sentence


def test_the_same_amount_in_two_currencies_stays_two_entries() -> None:
    assert len(_figures("It cost $5 million, or €5 million at the time.")) == 2

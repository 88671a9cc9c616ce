"""How a figure's written value keeps what the text says around the number."""

from __future__ import annotations

import pytest

from briefs.extract.document import Document
from briefs.extract.figures import find_figures
from briefs.model import Figure


def _figures(text: str) -> list[Figure]:
    return find_figures(Document.build((text,)))


@pytest.mark.parametrize(
    ("sentence", "value", "number"),
    [
        ("Nearly 200 countries agreed.", "Nearly 200", 200),
        ("Almost 40% of seizures happened at the border.", "Almost 40%", 40),
        ("The fund spent about €5 million.", "about €5 million", 5_000_000),
        ("Roughly twice as many ships sailed.", "Roughly twice", 2),
    ],
)
def test_hedge_words_stay_in_the_value(sentence: str, value: str, number: float) -> None:
    figure = _figures(sentence)[0]
    assert (figure.value, figure.number) == (value, number)


def test_a_range_is_one_figure_holding_the_first_number() -> None:
    figures = _figures("Between 80 or 90 per cent of voters agreed.")
    assert [(f.value, f.number, f.kind) for f in figures] == [("80 or 90 per cent", 80, "percent")]


def test_an_ordinal_takes_no_hedge() -> None:
    assert _figures("It came about third in the vote.")[0].value == "third"


@pytest.mark.parametrize(
    ("sentence", "about"),
    [
        (
            "Mexico has extradited 37 alleged cartel members to face trial in the US.",
            "alleged cartel members extradited",
        ),
        ("Officials counted 12 boats.", "boats counted"),
        ("Police arrested 40 in the capital.", "people arrested"),
    ],
)
def test_about_puts_the_verb_after_what_is_counted(sentence: str, about: str) -> None:
    assert _figures(sentence)[0].about == about

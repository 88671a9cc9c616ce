"""The gold scorer's rules (tests/briefs/scoring.py), on small hand-made briefs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from briefs.model import Brief, Figure, Person, Quote
from tests.briefs import scoring
from tests.briefs.scoring import score_brief


def _brief(**parts: Any) -> Brief:
    return Brief(
        headline="Title",
        published=None,
        source=None,
        highlights=(),
        highlights_derived=False,
        sections=(),
        analysis="",
        body="",
        **parts,
    )


def _gold(**parts: Any) -> dict[str, Any]:
    return {
        "headline": "Title**",
        "published": None,
        "people": [],
        "quotes": [],
        "figures": [],
    } | parts


def _figure(value: str, number: float, about: str = "") -> Figure:
    return Figure(value=value, number=number, kind="count", about=about, sentence="")


def test_headline_drops_the_trailing_stars_and_a_missing_date_matches_null() -> None:
    score = score_brief(_gold(), _brief())
    assert (score.headlines, score.dates) == (1, 1)


def test_people_match_on_an_alias_once_and_optional_ones_count_neither_way() -> None:
    gold = _gold(
        people=[
            {"name": "Ana Ruiz", "role": "minister", "aliases": ["Ruiz"]},
            {"name": "Bo Lind", "role": None, "aliases": [], "optional": True},
            {"name": "Cy Park", "role": None, "aliases": [], "optional": True},
        ]
    )
    found = (Person("Ruiz", role="Foreign Minister"), Person("Ana Ruiz"), Person("Bo Lind"))
    score = score_brief(gold, _brief(people=found))
    assert (score.people.tp, score.people.fp, score.people.fn) == (1, 1, 0)
    # The exact name is paired first, and it has no role.
    assert (score.roles.right, score.roles.checked) == (0, 1)


@pytest.mark.parametrize(
    ("role", "right"),
    [("Foreign Minister", True), ("chairman", True), ("head of the board", False), (None, False)],
)
def test_a_role_shares_a_content_word_with_the_gold_role_or_an_alt(
    role: str | None, right: bool
) -> None:
    gold = _gold(
        people=[{"name": "Ana Ruiz", "role": "minister of the interior", "role_alts": ["Chairman"]}]
    )
    score = score_brief(gold, _brief(people=(Person("Ana Ruiz", role=role),)))
    assert score.roles.right == right


def _quote(text: str, speaker: str | None) -> Quote:
    return Quote(text=text, speaker=speaker, speaker_kind="person", partial=False, sentence="")


def test_quotes_need_the_words_and_for_quote_speaker_also_an_accepted_speaker() -> None:
    gold = _gold(
        people=[{"name": "Ana Ruiz", "role": None, "aliases": ["Ruiz"]}],
        quotes=[
            {"speaker": "Ana Ruiz", "text": "We will not wait"},
            {"speaker": "the court", "text": "a grave breach", "speaker_alts": ["court"]},
            {"speaker": "Ana Ruiz", "text": "no comment at all"},
            {"speaker": "unattributed", "text": "route out", "optional": True},
        ],
    )
    found = (
        _quote("“We will not wait.”", "Ruiz"),
        _quote("a grave breach", "Court"),
        _quote("no comment at all", "Bo Lind"),
        _quote("route out", "Bo Lind"),
        _quote("something else entirely", None),
    )
    score = score_brief(gold, _brief(quotes=found))
    assert (score.quotes.tp, score.quotes.fp, score.quotes.fn) == (3, 1, 0)
    assert (score.speakers.right, score.speakers.checked) == (2, 3)
    with_speaker = score.quotes_with_speaker
    assert (with_speaker.tp, with_speaker.fp, with_speaker.fn) == (2, 2, 1)


def test_figures_match_on_number_then_written_form_and_a_list_takes_each_value() -> None:
    gold = _gold(
        figures=[
            {"value": "80 or 90 per cent", "number": [80, 90], "about": "share of revenue"},
            {"value": "a third", "number": 0.3333333333, "about": "seats", "alt": ["third"]},
            {"value": "two", "number": 2, "about": "judges who dissented"},
            {"value": "first", "number": 1, "about": "ordinal", "optional": True},
        ]
    )
    found = (
        _figure("80", 80, "share of revenue returned"),
        _figure("90", 90),
        _figure("third", 3, "a third of the seats went to the camp's candidates in all five areas"),
        _figure("first", 1),
        _figure("12", 12),
    )
    score = score_brief(gold, _brief(figures=found))
    assert (score.figures.tp, score.figures.fp, score.figures.fn) == (2, 1, 1)
    assert (score.about.right, score.about.checked) == (2, 2)
    assert (score.about_short.right, score.about_short.checked) == (1, 2)


def test_an_article_whose_brief_raises_is_lost_not_fatal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a.txt").write_text("text", encoding="utf-8")
    gold = _gold(file="a.txt", people=[{"name": "Ana Ruiz", "role": None}])
    (tmp_path / "a.gold.json").write_text(json.dumps(gold), encoding="utf-8")

    def boom(data: bytes, source: str) -> Brief:
        raise ValueError("bad input")

    monkeypatch.setattr(scoring, "build_brief", boom)
    score = scoring.score_file(tmp_path / "a.gold.json")
    assert (score.lost, score.people.fn, score.headlines) == (1, 1, 0)
    assert score.misses[0].kind == "lost"


@pytest.mark.parametrize(
    ("about", "right"),
    [("votes against Odinga's", True), ("Odinga’s", True), ("against the", False), ("6.94", False)],
)
def test_about_shares_a_content_word_not_a_function_word_or_a_number(
    about: str, right: bool
) -> None:
    gold = _gold(figures=[{"value": "6.94 million", "number": 6940000, "about": "6.94 Odinga"}])
    score = score_brief(gold, _brief(figures=(_figure("6.94 million", 6940000, about),)))
    assert score.about.right == right

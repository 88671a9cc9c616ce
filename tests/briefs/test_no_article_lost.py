"""No article is lost to an extraction error: random edits of real articles always give a brief
(or a clear ArticleUnreadable), and one failing extractor costs only its own part."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefs.errors import ArticleUnreadable
from briefs.extract import ExtractorGuard, build_brief

REAL = Path(__file__).resolve().parents[1] / "data" / "articles" / "real"
ARTICLES = sorted(p for p in REAL.iterdir() if p.suffix in (".txt", ".md", ".html"))
TEXTS = [p.read_text(encoding="utf-8") for p in ARTICLES]
ODD = "\u00ad\u200b\u200d\ufeff\u202e“”‘’\"'«»—–…\u3002\uff0e①𝟏٣é\u0301\n\t "


@st.composite
def edited_article(draw: st.DrawFn) -> str:
    """A real article after a few random edits of the kinds real input suffers."""
    text = draw(st.sampled_from(TEXTS))
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["cut", "shuffle", "repeat", "insert", "unbalance"]))
        at = draw(st.integers(0, len(text)))
        if kind == "cut":
            text = text[:at] + text[at + draw(st.integers(1, 400)) :]
        elif kind == "shuffle":
            lines = text.split("\n")
            text = "\n".join(draw(st.permutations(lines)))
        elif kind == "repeat":
            words = text[at : at + 200].split()[:3] or ["three"]
            text = text[:at] + " " + " ".join(words * draw(st.integers(2, 40))) + text[at:]
        elif kind == "insert":
            text = text[:at] + draw(st.text(alphabet=ODD, min_size=1, max_size=8)) + text[at:]
        else:
            text = text[:at] + draw(st.sampled_from(['"', "“", "”", "'", "(", "["])) + text[at:]
    return text


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edited_article())
def test_random_edits_of_real_articles_never_raise(text: str) -> None:
    try:
        brief = build_brief(text, "edited.txt")
    except ArticleUnreadable:
        return  # refused with a reason: a clear answer, not a lost article
    assert brief.headline
    assert not brief.failed_parts, f"an extractor failed: {brief.failed_parts}"


@pytest.mark.parametrize(
    "words",
    ["three four", "one hundred hundred twenty four", "twenty twenty", "nine nine nine eight"],
)
def test_number_words_that_make_no_number_never_lose_the_article(words: str) -> None:
    text = f"Counting day\n\nThe inspectors counted {words} crates at the port on Monday.\n"
    brief = build_brief(text, "numbers.txt")
    assert brief.headline == "Counting day"
    assert "figures" not in brief.failed_parts


def test_a_failing_extractor_costs_only_its_own_part(caplog: pytest.LogCaptureFixture) -> None:
    guard = ExtractorGuard("story.txt")

    def broken() -> list[str]:
        raise ValueError("a bug in one extractor")

    assert guard.run("figures", broken, []) == []
    assert guard.run("people", lambda: ["Ana Ruiz"], []) == ["Ana Ruiz"]
    assert guard.failed == ["figures"]
    assert "figures of story.txt" in caplog.text


def test_ten_thousand_attributed_quotes_are_each_read_with_their_speaker() -> None:
    # The audit's stall: each quote once scanned back over every earlier one.
    lead = "Quotes at the hearing\n\nThe council met on Monday to hear the residents.\n\n"
    text = lead + " ".join('"a" said Smith,' for _ in range(10_000)) + "\n"
    brief = build_brief(text, "quotes.txt")
    assert len(brief.quotes) == 10_000
    assert {q.speaker for q in brief.quotes} == {"Smith"}


def test_a_long_run_of_capitalised_words_is_no_person_and_loses_nothing() -> None:
    words = " ".join(("Alpha", "Beta", "Gamma", "Delta")[i % 4] for i in range(40_000))
    text = f"Capitals\n\nThe {words} said the plan was good.\n\nThe council met on Monday.\n"
    brief = build_brief(text, "capitals.txt")
    assert brief.headline == "Capitals"
    assert all(len(p.name.split()) <= 6 for p in brief.people)

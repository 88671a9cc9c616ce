"""Input that is not an article is refused with a short reason; odd articles still give briefs."""

from __future__ import annotations

import pytest

from briefs.errors import ArticleUnreadable
from briefs.extract import build_brief


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        ("   \n\t\n  ", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image"),
        (b"\x00\x01\x02binary", "binary"),
        ("Caf\u00e9 owners protest new rules in the old town today.".encode("latin-1"), "UTF-8"),
        ("- - -\n12 34 56\n", "no"),
    ],
)
def test_unreadable_input_names_the_reason(data: str | bytes, reason: str) -> None:
    with pytest.raises(ArticleUnreadable) as caught:
        build_brief(data, "input.txt")
    assert reason in caught.value.reason
    assert caught.value.source == "input.txt"


def test_oversize_input_is_refused_and_the_limit_is_configurable() -> None:
    text = "Title\n\n" + "The council met on Monday to discuss the budget. " * 100
    with pytest.raises(ArticleUnreadable, match="too large"):
        build_brief(text, "big.txt", max_bytes=1000)
    assert build_brief(text, "big.txt", max_bytes=10_000).body


def test_article_without_date_headings_or_quotes_still_gives_a_brief() -> None:
    brief = build_brief(
        "Quiet week in the valley\n\nNothing much happened in the valley this week.\n"
    )
    assert brief.headline == "Quiet week in the valley"
    assert brief.published is None
    assert brief.quotes == ()
    assert brief.people == ()
    assert brief.sections[0].heading is None


def test_hostile_text_passes_through_unchanged() -> None:
    text = (
        "Ping storm hits server\n\n"
        'A user posted "@everyone look at this <@&123> now" in the chat on Monday, '
        "moderators said.\n"
    )
    brief = build_brief(text)
    assert "@everyone look at this <@&123> now" in brief.body
    assert brief.quotes[0].text == "@everyone look at this <@&123> now"

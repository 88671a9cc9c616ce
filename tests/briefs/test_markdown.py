"""The one escaping function: article text shows as written and never opens Markdown."""

from __future__ import annotations

import pytest

from briefs.markdown import escape, link
from briefs.render import plain

HOSTILE = [
    "Bank news](https://phish.example) [Real headline",
    "**bold** __under__ *it* _it_ ~~gone~~ ||spoiler|| `code`",
    "# Heading\n> quote\n- item\n-# subtext\n1. first",
    "<@123> <#456> <t:0:R> <https://x.example>",
    "back\\slash \\*not escaped\\*",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_escaped_text_reads_back_as_written(text) -> None:
    assert plain(escape(text)) == text


@pytest.mark.parametrize("text", HOSTILE)
def test_escaped_text_has_no_unescaped_markdown(text) -> None:
    escaped = escape(text)
    bare = escaped.replace("\\\\", "").replace("\\", "\0")  # what is left unescaped
    for i, ch in enumerate(bare):
        if ch in "*_`~|[]<>":
            assert i > 0, (text, escaped)
            assert bare[i - 1] == "\0", (text, escaped)


def test_link_keeps_its_url_inside_the_link() -> None:
    made = link("A [b] c", "https://news.example/a (b)<c>")
    assert made == "[A \\[b\\] c](https://news.example/a%20%28b%29%3Cc%3E)"
    assert link("t", "https://x.example", preview=False) == "[t](<https://x.example>)"

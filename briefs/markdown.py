"""Discord Markdown around article text: the one escaping function, and the only links made.

Everything an article (or a member) wrote passes through `escape` where it enters a rendered
answer, so a headline like ``Bank news](https://phish.example) [Real headline`` stays text; the
bot's own Markdown (bold labels, its links to sources) is added around the escaped text.
"""

from __future__ import annotations

import re

# Characters that open Markdown anywhere in a line: emphasis, code, spoilers, strikes, masked
# links, and angle brackets (mentions, timestamps, suppressed links).
_INLINE = re.compile(r"([\\*_`~|\[\]<>])")
# Characters that open Markdown only at the start of a line: headings, quotes, lists, subtext.
_LINE_START = re.compile(r"(?m)^(\s*\d*)(#|-|\+|(?<=\d)\.)")
_URL_UNSAFE = re.compile(r"[\s<>()\"\\]")
_ESCAPED = re.compile(r"\\([^0-9A-Za-z\s])")
_HELD = re.compile(r"\x00(\d+)\x00")


def escape(text: str) -> str:
    """Text shown as written: every Markdown mark in it escaped."""
    text = _INLINE.sub(r"\\\1", text)
    return _LINE_START.sub(lambda m: f"{m.group(1)}\\{m.group(2)}", text)


def link(text: str, url: str, *, preview: bool = True) -> str:
    """A link the bot makes: escaped text; the URL cannot close the link early.

    Without `preview`, the URL is in angle brackets, so a message shows no link preview.
    """
    safe = _URL_UNSAFE.sub(lambda m: f"%{ord(m.group(0)):02X}", url)
    return f"[{escape(text)}](<{safe}>)" if not preview else f"[{escape(text)}]({safe})"


def holding_escapes(markdown: str) -> tuple[str, list[str]]:
    """Escaped characters swapped for placeholders, so Markdown rules cannot see them."""
    held: list[str] = []

    def hold(match: re.Match[str]) -> str:
        held.append(match.group(1))
        return f"\x00{len(held) - 1}\x00"

    return _ESCAPED.sub(hold, markdown), held


def restoring(text: str, held: list[str]) -> str:
    """Placeholders from holding_escapes back to the characters they stood for."""
    return _HELD.sub(lambda m: held[int(m.group(1))], text)

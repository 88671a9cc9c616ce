"""OPML: the feed list format every reader imports and exports."""

from __future__ import annotations

import xml.etree.ElementTree as ET  # parsed with DTDs refused, see read_opml
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import quoteattr

from briefs.errors import ArticleUnreadable

MAX_OPML_BYTES = 1_000_000
MAX_OUTLINES = 200


@dataclass(frozen=True, slots=True)
class OpmlFeed:
    """One feed of an OPML file: its address and title."""

    url: str
    title: str = ""


def read_opml(data: bytes, *, name: str = "OPML") -> list[OpmlFeed]:
    """The feeds an OPML document lists (http and https only, each once, at most 200)."""
    if len(data) > MAX_OPML_BYTES:
        raise ArticleUnreadable(name, "the OPML file is larger than 1 MB")
    if b"<!DOCTYPE" in data.upper() or b"<!ENTITY" in data.upper():
        raise ArticleUnreadable(name, "OPML with a DTD is refused")
    try:
        root = ET.fromstring(data)  # noqa: S314  # no DTD (checked above), bounded size
    except ET.ParseError as e:
        raise ArticleUnreadable(name, "not an OPML document") from e
    feeds: dict[str, OpmlFeed] = {}
    for outline in root.iter("outline"):
        url = (outline.get("xmlUrl") or "").strip()
        if url.startswith(("http://", "https://")) and url not in feeds:
            title = outline.get("title") or outline.get("text") or ""
            feeds[url] = OpmlFeed(url, " ".join(title.split())[:200])
    return list(feeds.values())[:MAX_OUTLINES]


def write_opml(feeds: Sequence[OpmlFeed], *, title: str) -> str:
    """An OPML 2.0 document listing the feeds."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<opml version="2.0">',
        f"  <head><title>{_text(title)}</title></head>",
        "  <body>",
    ]
    for feed in feeds:
        name = quoteattr(feed.title or feed.url)
        lines.append(
            f'    <outline type="rss" text={name} title={name} xmlUrl={quoteattr(feed.url)}/>'
        )
    lines += ["  </body>", "</opml>", ""]
    return "\n".join(lines)


def _text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

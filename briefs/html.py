"""HTML pages: the main text and metadata, extracted by trafilatura (no network)."""

from __future__ import annotations

import logging
import re

import trafilatura

from briefs.dates import parse_date
from briefs.layout import Parsed, assemble, clean_inline, markdown_blocks

log = logging.getLogger(__name__)

_HTML_HINT = re.compile(r"<(?:!doctype\s+html|html|head|body|article|p|div)\b", re.IGNORECASE)
_FRONT_MATTER = re.compile(r"\A---\n(?P<meta>.*?)\n---\n", re.DOTALL)
_META_LINE = re.compile(r"^(?P<key>[a-z_]+):\s*(?P<value>.*)$", re.MULTILINE)


def looks_like_html(text: str) -> bool:
    """Whether the text is an HTML page rather than prose."""
    head = text[:2000]
    return bool(_HTML_HINT.search(head)) and head.lstrip().startswith("<")


def parse_html(html: str) -> Parsed | None:
    """The article in an HTML page, or None when the page holds no main text."""
    extracted = trafilatura.extract(
        html,
        output_format="markdown",
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
        deduplicate=False,
    )
    if not extracted:
        return None
    meta, body = _split_front_matter(extracted)
    title = _unquote(meta.get("title", ""))
    published = parse_date(_unquote(meta.get("date", "")))
    blocks = markdown_blocks(body)
    if blocks and blocks[0].kind == "title" and title and blocks[0].text == clean_inline(title):
        blocks = blocks[1:]
    if title:
        blocks.insert(0, markdown_blocks(f"# {title}")[0])
    parsed = assemble(blocks, published=published)
    log.debug("html page: %d sections", len(parsed.sections))
    return parsed


def _split_front_matter(text: str) -> tuple[dict[str, str], str]:
    match = _FRONT_MATTER.match(text)
    if match is None:
        return {}, text
    meta = {m.group("key"): m.group("value") for m in _META_LINE.finditer(match.group("meta"))}
    return meta, text[match.end() :]


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value

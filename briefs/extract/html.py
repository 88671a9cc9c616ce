"""HTML pages: the main text and metadata, extracted by trafilatura (no network)."""

from __future__ import annotations

import logging
import re
import unicodedata

from briefs.extract.dates import parse_date
from briefs.extract.layout import Parsed, assemble, clean_inline, markdown_blocks

log = logging.getLogger(__name__)

_HTML_HINT = re.compile(r"<(?:!doctype\s+html|html|head|body|article|p|div)\b", re.IGNORECASE)


def looks_like_html(text: str) -> bool:
    """Whether the text is an HTML page rather than prose."""
    head = text[:2000]
    return bool(_HTML_HINT.search(head)) and head.lstrip().startswith("<")


def parse_html(html: str) -> Parsed | None:
    """The article in an HTML page, or None when the page holds no main text."""
    import trafilatura  # loaded on the first page: 0.2 s that text and Markdown never need
    from trafilatura.settings import Document

    # bare_extraction hands back title and date directly: no YAML header to build and re-read,
    # and no simhash fingerprint (extract() computes one whenever metadata is asked for).
    # fast=True skips the readability/justext comparison, which halves the cost per page.
    document = trafilatura.bare_extraction(
        html,
        output_format="python",
        include_formatting=True,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
        deduplicate=False,
        fast=True,
    )
    if not isinstance(document, Document) or not document.text:
        return None
    title = unicodedata.normalize("NFC", document.title or "")
    published = parse_date(document.date or "")
    blocks = markdown_blocks(unicodedata.normalize("NFC", document.text))
    if blocks and blocks[0].kind == "title" and title and blocks[0].text == clean_inline(title):
        blocks = blocks[1:]
    if title:
        blocks.insert(0, markdown_blocks(f"# {title}")[0])
    parsed = assemble(blocks, published=published)
    log.debug("html page: %d sections", len(parsed.sections))
    return parsed

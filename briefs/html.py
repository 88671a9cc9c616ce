"""HTML pages: the main text and metadata, extracted by trafilatura (no network)."""

from __future__ import annotations

import logging
import re
import unicodedata
from html import unescape

import trafilatura
from htmldate import find_date
from trafilatura.metadata import examine_meta, extract_meta_json, extract_title, extract_url
from trafilatura.settings import DEFAULT_CONFIG, Document, set_date_params
from trafilatura.utils import line_processing, load_html

from briefs.dates import parse_date
from briefs.layout import Parsed, assemble, clean_inline, markdown_blocks

log = logging.getLogger(__name__)

_HTML_HINT = re.compile(r"<(?:!doctype\s+html|html|head|body|article|p|div)\b", re.IGNORECASE)


def looks_like_html(text: str) -> bool:
    """Whether the text is an HTML page rather than prose."""
    head = text[:2000]
    return bool(_HTML_HINT.search(head)) and head.lstrip().startswith("<")


def parse_html(html: str) -> Parsed | None:
    """The article in an HTML page, or None when the page holds no main text."""
    # Only the page's text is extracted by trafilatura; its title and date are read below with
    # trafilatura's own metadata steps, skipping those whose fields a brief does not use (author,
    # which deep-copies the whole tree, site name, categories, tags, licence).
    # fast=True skips the readability/justext comparison, which halves the cost per page.
    document = trafilatura.bare_extraction(
        html,
        output_format="python",
        include_formatting=True,
        with_metadata=False,
        include_comments=False,
        include_tables=False,
        include_images=False,
        deduplicate=False,
        fast=True,
    )
    if not isinstance(document, Document) or not document.text:
        return None
    try:
        page_title, page_date = _title_and_date(html)
    except (TypeError, ValueError):  # bare_extraction discards a page whose metadata fails so
        return None
    title = unicodedata.normalize("NFC", page_title or "")
    published = parse_date(page_date or "")
    blocks = markdown_blocks(unicodedata.normalize("NFC", document.text))
    if blocks and blocks[0].kind == "title" and title and blocks[0].text == clean_inline(title):
        blocks = blocks[1:]
    if title:
        blocks.insert(0, markdown_blocks(f"# {title}")[0])
    parsed = assemble(blocks, published=published)
    log.debug("html page: %d sections", len(parsed.sections))
    return parsed


def _title_and_date(html: str) -> tuple[str | None, str | None]:
    """The title and date trafilatura's extract_metadata finds (same steps, same order, same
    trimming), without the fields a brief does not use."""
    tree = load_html(html)
    if tree is None:
        return None, None
    metadata = examine_meta(tree)
    try:
        metadata = extract_meta_json(tree, metadata)
    except Exception as err:  # trafilatura tolerates bugs in its JSON-LD reader the same way
        log.debug("error in JSON metadata extraction: %s", err)
    title = metadata.title or extract_title(tree)
    url = metadata.url or extract_url(tree, None)
    params = set_date_params(DEFAULT_CONFIG.getboolean("DEFAULT", "EXTENSIVE_DATE_SEARCH"))
    date = find_date(tree, **{**params, "url": url})
    return _trimmed(title), _trimmed(date)


def _trimmed(value: str | None) -> str | None:
    """A metadata field as trafilatura's Document.clean_and_trim leaves it."""
    if not isinstance(value, str):
        return value
    if len(value) > 10000:
        value = value[:9999] + "…"
    return line_processing(unescape(value))

"""The one intake of article text: size check, decoding, and what is not an article.

Every way in (the command line, `/briefs add` file/text/URL, feeds) passes through
`decode_article`, so the same article arrives as the same text (and the same content hash)
whether it came with a BOM, CRLF line ends or neither."""

from __future__ import annotations

import json
import re
from pathlib import PurePosixPath, PureWindowsPath

from briefs.errors import ArticleUnreadable, NotAnArticle

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_WORD = re.compile(r"[^\W\d_]{2,}")
_SENTENCE_END = re.compile(r"[.!?][\"'”’)]?(?:\s|$)")
# Project files that sit beside articles in a folder and read like prose but are not news.
_PROJECT_FILES = re.compile(
    r"^(?:readme|licen[cs]e|copying|notice|changelog|changes|history|news|authors|"
    r"contributing|code_of_conduct|security)(?:[._-].*)?$",
    re.IGNORECASE,
)
_NOT_TEXT = {  # file signatures of formats that are never article text
    b"%PDF": "a PDF document",
    b"\x89PNG": "an image",
    b"\xff\xd8\xff": "an image",
    b"GIF8": "an image",
    b"RIFF": "an image or media file",
    b"PK\x03\x04": "an archive or office document",
}
_DATA_SUFFIXES = {
    ".json": "JSON data",
    ".csv": "a table (CSV)",
    ".tsv": "a table (TSV)",
    ".pdf": "a PDF document",
    ".png": "an image",
    ".jpg": "an image",
    ".jpeg": "an image",
    ".gif": "an image",
    ".webp": "an image",
    ".svg": "an image",
}
_MIN_PROSE_WORDS = 6


def source_name(source: str | None) -> str | None:
    """What is stored and shown of a source: a URL whole, a file path by its file name only."""
    if source is None or "://" in source:
        return source
    return PureWindowsPath(PurePosixPath(source).name).name or source


def check_size(size: int, source: str | None, max_bytes: int) -> None:
    """The one size limit of an article."""
    if size > max_bytes:
        raise ArticleUnreadable(source, f"too large ({size:,} bytes; the limit is {max_bytes:,})")


def decode_article(data: str | bytes, source: str | None, max_bytes: int) -> str:
    """Article text as stored and hashed: UTF-8 without BOM, LF line ends; refuses non-articles."""
    check_size(len(data.encode("utf-8", "surrogatepass")) if isinstance(data, str) else len(data),
               source, max_bytes)  # fmt: skip
    _refuse_by_name(source)
    if isinstance(data, bytes):
        for signature, kind in _NOT_TEXT.items():
            if data.startswith(signature):
                raise NotAnArticle(source, f"{kind}, not an article")
        if b"\x00" in data:
            raise ArticleUnreadable(source, "binary data, not text")
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError as e:
            raise ArticleUnreadable(source, "not UTF-8 text") from e
    text = normalize_text(data)
    if "\x00" in text:
        raise ArticleUnreadable(source, "binary data, not text")
    if not text.strip():
        raise ArticleUnreadable(source, "empty")
    sample = text[:20_000]
    odd = len(_CONTROL.findall(sample)) + sample.count("\ufffd")
    if odd > max(8, len(sample) // 50):
        raise ArticleUnreadable(source, "binary data, not text")
    _refuse_data(text, source)
    return text


def normalize_text(text: str) -> str:
    """Text without a byte-order mark and with LF line ends (before any content hash)."""
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def require_prose(headline: str, paragraphs: tuple[str, ...], source: str | None) -> None:
    """An article has a headline and at least one paragraph of prose (sentences of words)."""
    if not headline.strip():
        raise NotAnArticle(source, "no headline: not an article")
    if not any(is_prose(p) for p in paragraphs):
        raise NotAnArticle(source, "no paragraph of prose: not an article")


def is_prose(paragraph: str) -> bool:
    """Running text: a few words (not only numbers or markup) and at least one finished sentence."""
    if paragraph.lstrip().startswith(("{", "[", "|", "<")):
        return False
    words = sum(1 for t in paragraph.split() if _WORD.search(t))
    return words >= _MIN_PROSE_WORDS and _SENTENCE_END.search(paragraph) is not None


def _refuse_by_name(source: str | None) -> None:
    name = source_name(source)
    if name is None or "://" in name:
        return
    if _PROJECT_FILES.match(name):
        raise NotAnArticle(source, "a project file (README, licence, changelog), not an article")
    kind = _DATA_SUFFIXES.get(PurePosixPath(name).suffix.lower())
    if kind:
        raise NotAnArticle(source, f"{kind}, not an article")


def _refuse_data(text: str, source: str | None) -> None:
    stripped = text.strip()
    if stripped[:1] in "{[":
        try:
            json.loads(stripped)
        except ValueError:
            pass
        else:
            raise NotAnArticle(source, "JSON data, not an article")
    lines = [ln for ln in stripped.split("\n")[:50] if ln.strip()]
    for sep in (",", "\t", ";"):
        counts = {ln.count(sep) for ln in lines}
        if len(lines) >= 3 and len(counts) == 1 and counts.pop() >= 2:
            raise NotAnArticle(source, "a table (CSV), not an article")

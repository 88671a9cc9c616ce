"""Article layouts: turn seed, plain and Markdown text into headline, date, highlights, sections."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Literal

from briefs.extract.dates import date_line
from briefs.model import Section

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

BlockKind = Literal["title", "heading", "para", "bullet", "sep"]


@dataclass(frozen=True, slots=True)
class Block:
    """One line-level piece of an article: a title, heading, paragraph, list item or separator."""

    kind: BlockKind
    text: str


@dataclass(frozen=True, slots=True)
class Parsed:
    """An article's structure before entities are read from it."""

    headline: str
    published: dt.date | None
    highlights: tuple[str, ...]
    sections: tuple[Section, ...]
    analysis: str


_MD_HINT = re.compile(r"^(?:#{1,6} \S|\*\*[^*\n]+\*\*|\*[^*\n]+\*\s*$|> )", re.MULTILINE)
_SEPARATOR = re.compile(r"^\s*(?:-|—|–|-{3,}|\*{3,}|(?:\* ){2,}\*|_{3,})\s*$")
_BULLET = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+(?=\S)")
_HEADLINE = re.compile(r"^\s*headline\s*:\s*", re.IGNORECASE)
_HIGHLIGHTS = re.compile(
    r"^\s*(?:highlights|key points|key takeaways|at a glance|in brief|summary)\s*:?\s*$", re.I
)
_ANALYSIS = re.compile(
    r"^\s*(?:scenario analysis|what this might mean|what this means|what it means|analysis|"
    r"outlook|our analysis)\s*:?\s*$",
    re.IGNORECASE,
)
_SKIP_MARKERS = re.compile(r"^\s*(?:rewritten article|original article|article)\s*:?\s*$", re.I)
# Page furniture that is not article text: bylines, photo credits and captions, links to other
# stories, wire-service credits ("(Reporting by …; Editing by …)").
_BYLINE = re.compile(
    r"^(?:by|words by|written by)\s+[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|and|&|,))*$", re.I
)
_FURNITURE = re.compile(
    r"\(?(?:photo|photograph|image|picture|credit|related|read more|read also|also read|"
    r"see also|more on this|watch|listen)\s*:"
    r"|\((?:additional\s+)?(?:reporting|writing|editing)\s+by\b",
    re.IGNORECASE,
)
# A caption's credit at the end of a line: "… (Photo: Getty Images)".
_CREDIT_END = re.compile(r"\(?(?:photo|image|picture)\s*:\s*[^()]{2,60}\)?$", re.IGNORECASE)
_CREDIT_SPAN = 80  # the longest credit _CREDIT_END can match, with room for spaces
_BYLINE_STARTS = ("by", "wo", "wr")
_MAX_BYLINE_WORDS = 8
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?P<body>.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_FIELD = re.compile(r"^(?P<key>[A-Za-z_]+)\s*:\s*(?P<value>.+?)\s*$", re.MULTILINE)
_MARKUP_LEAD = re.compile(r"[\s*_#>`]+")
_TERMINAL = re.compile(r"[.!?:;,\"”’)]$")
_MAX_HEADING_WORDS = 12
# A heading of this many words between the title and the first paragraph is a standfirst (a
# sentence under the title), not a section heading: its text is article text.
_MIN_STANDFIRST_WORDS = 6


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    """The Markdown parser, built on the first Markdown article (plain text never needs it)."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark")


def looks_like_markdown(text: str) -> bool:
    """Whether the text uses Markdown headings or emphasis lines."""
    return len(_MD_HINT.findall(text)) >= 2


def clean_inline(text: str) -> str:
    """Drop Markdown leftovers at both ends and collapse spaces ('Title**' → 'Title')."""
    # Same as re.sub(r"^[\s*_#>`]+|[\s*_#`]+$", "", text), without trying "...$" at every offset.
    lead = _MARKUP_LEAD.match(text)
    start = lead.end() if lead else 0
    end = len(text)
    while end > start and (text[end - 1] in "*_#`" or text[end - 1].isspace()):
        end -= 1
    return " ".join(text[start:end].split())


def text_blocks(text: str) -> list[Block]:
    """Blocks of a plain or seed-layout text, one per line or blank-line paragraph."""
    lines = _joined_lines(text.splitlines())
    # The next non-blank line after each line, found in one backward pass.
    following: list[str | None] = [None] * len(lines)
    for i in range(len(lines) - 2, -1, -1):
        following[i] = lines[i + 1] or following[i + 1]
    blocks: list[Block] = []
    for i, line in enumerate(lines):
        if line is None:
            continue
        blocks.append(_classify_line(line, following[i], first=not blocks))
    return blocks


def _joined_lines(raw: list[str]) -> list[str | None]:
    """Lines with hard-wrapped paragraph lines joined; None marks a blank line."""
    out: list[str | None] = []
    for line in raw:
        stripped = line.strip()
        if not stripped:
            out.append(None)
            continue
        prev = out[-1] if out else None
        if prev and len(prev) >= 50 and not _TERMINAL.search(prev) and stripped[0].islower():
            out[-1] = f"{prev} {stripped}"
        else:
            out.append(stripped)
    return out


def _classify_line(line: str, following: str | None, *, first: bool) -> Block:
    if first:
        return Block("title", clean_inline(line))
    if _SEPARATOR.match(line):
        return Block("sep", "")
    if _BULLET.match(line):
        return Block("bullet", clean_inline(_BULLET.sub("", line)))
    if _is_heading(line, following):
        return Block("heading", clean_inline(line))
    return Block("para", line.strip())


def _is_heading(line: str, following: str | None) -> bool:
    words = line.split()
    if following is None or len(words) > _MAX_HEADING_WORDS or len(line) > 90:
        return False
    if _TERMINAL.search(line.rstrip("*_ ")) or line[0] in "\"“‘'(":
        return False
    return line[0].isupper() or line[0].isdigit()


def markdown_blocks(text: str) -> list[Block]:
    """Blocks of a Markdown text, with the markup stripped."""
    blocks: list[Block] = []
    tokens = _markdown().parse(text)
    in_list = 0
    for i, token in enumerate(tokens):
        if token.type in ("bullet_list_open", "ordered_list_open"):
            in_list += 1
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            in_list -= 1
        elif token.type == "hr":
            blocks.append(Block("sep", ""))
        elif token.type == "inline" and i > 0:
            opener = tokens[i - 1]
            plain = clean_inline(_inline_text(token))
            if not plain:
                continue
            if opener.type == "heading_open":
                is_title = opener.tag == "h1" and not any(b.kind == "title" for b in blocks)
                blocks.append(Block("title" if is_title else "heading", plain))
            elif in_list:
                blocks.append(Block("bullet", plain))
            else:
                blocks.extend(Block("para", p) for p in _paragraph_lines(token, plain))
    return blocks


def _paragraph_lines(token: Token, plain: str) -> list[str]:
    # A Markdown paragraph written as separate short lines (a dateline under a title) stays split.
    if "\n" in token.content and any(date_line(x) for x in token.content.splitlines()):
        return [clean_inline(x) for x in token.content.splitlines() if clean_inline(x)]
    return [plain]


def _inline_text(token: Token) -> str:
    parts: list[str] = []
    for child in token.children or ():
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts)


@dataclass(slots=True)
class _Assembler:
    """Walks blocks once, dropping repeated paragraphs (the seed layout repeats its body)."""

    headline: str = ""
    published: dt.date | None = None
    highlights: list[str] = field(default_factory=list)
    sections: list[tuple[str | None, list[str]]] = field(default_factory=list)
    analysis: list[str] = field(default_factory=list)
    mode: str = "top"
    pending_heading: str | None = None
    seen: set[str] = field(default_factory=set)

    def feed(self, block: Block) -> None:
        """Take one block in article order."""
        text = block.text
        if block.kind == "title":
            self.headline = self.headline or text
        elif is_furniture(text):
            return
        elif block.kind == "sep":
            self.mode = "body" if self.mode in ("highlights", "top") else self.mode
        elif _HEADLINE.match(text):
            self.headline = clean_inline(_HEADLINE.sub("", text)) or self.headline
            self.mode = "body"
        elif self.published is None and self.mode == "top" and (date := date_line(text)):
            self.published = date
        elif _HIGHLIGHTS.match(text) and not self.highlights:
            self.mode = "highlights"
        elif _SKIP_MARKERS.match(text):
            self.mode = "body"
        elif _ANALYSIS.match(text):
            self.mode = "analysis"
        elif block.kind == "bullet" and self.mode in ("highlights", "top"):
            self.mode = "highlights"
            self.highlights.append(text)
        elif block.kind == "heading":
            self._heading(text)
        else:
            self._paragraph(text)

    def _heading(self, text: str) -> None:
        if self.mode == "top" and not self.sections and len(text.split()) >= _MIN_STANDFIRST_WORDS:
            # The standfirst opens the body; a date line may still follow it.
            self.seen.add(" ".join(text.split()).lower())
            self.sections.append((None, [text]))
            return
        if self.mode == "analysis" and self.analysis:
            self.mode = "repeat"
        elif self.mode in ("top", "highlights"):
            self.mode = "body"
        key = "h:" + text.lower()
        if key not in self.seen:
            self.pending_heading = text
            self.seen.add(key)
        else:
            self.pending_heading = None

    def _paragraph(self, text: str) -> None:
        key = " ".join(text.split()).lower()  # spaces collapsed, as _SPACE.sub would
        if key in self.seen:
            if self.mode == "analysis":
                self.mode = "repeat"
            return
        self.seen.add(key)
        if self.mode in ("analysis", "repeat"):
            self.mode = "analysis"
            self.analysis.append(text)
            return
        self.mode = "body"
        if self.pending_heading is not None or not self.sections:
            self.sections.append((self.pending_heading, []))
            self.pending_heading = None
        self.sections[-1][1].append(text)

    def result(self) -> Parsed:
        """The assembled article."""
        return Parsed(
            headline=self.headline,
            published=self.published,
            highlights=tuple(self.highlights),
            sections=tuple(Section(h, tuple(ps)) for h, ps in self.sections if ps),
            analysis="\n\n".join(self.analysis),
        )


def assemble(blocks: list[Block], *, published: dt.date | None = None) -> Parsed:
    """Assemble blocks into an article, each paragraph kept once."""
    assembler = _Assembler(published=published)
    for block in blocks:
        assembler.feed(block)
    return assembler.result()


def is_furniture(text: str) -> bool:
    """Whether a line is a byline, photo credit, caption or link to another story."""
    # Cheap tests first: almost every line is a paragraph that none of the patterns can match,
    # so the patterns run only where they could (the start, or the end near a colon).
    if (
        text[:2].lower() in _BYLINE_STARTS
        and len(text.split()) <= _MAX_BYLINE_WORDS
        and _BYLINE.match(text)
    ):
        return True
    if _FURNITURE.match(text):
        return True
    tail = text.rstrip()[-_CREDIT_SPAN:]
    return ":" in tail and bool(_CREDIT_END.search(tail))


def front_matter(text: str) -> tuple[dict[str, str], str]:
    """The fields of a leading '---' front-matter block (title, date, …) and the text after it."""
    match = _FRONT_MATTER.match(text)
    if match is None:
        return {}, text
    fields = {m["key"].lower(): m["value"].strip("\"' ") for m in _FIELD.finditer(match["body"])}
    return fields, text[match.end() :]


def parse_text(text: str) -> Parsed:
    """Parse a seed-layout, plain or Markdown article."""
    fields, text = front_matter(text)
    blocks = markdown_blocks(text) if looks_like_markdown(text) else text_blocks(text)
    title = fields.get("title")
    if title:
        if blocks and blocks[0].kind == "title" and blocks[0].text != title:
            blocks[0] = Block("para", blocks[0].text)
        blocks = [Block("title", title), *(b for b in blocks if b.text != title)]
    date = fields.get("date") or fields.get("published")
    return assemble(blocks, published=date_line(date) if date else None)

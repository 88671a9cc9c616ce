"""The article body split once into paragraphs, sentences, capitalised runs and quoted spans."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from briefs.extract.sentences import sentence_spans
from briefs.extract.spans import Run, cap_runs

_OPENERS = '“"«„'
_CLOSERS = '”"»“'
_MARK = re.compile(r"[“”\"«»„]")
_SINGLE = re.compile(r"[‘’']")
# Characters read on each side of a name, a quote or a number: an apposition, a title or an
# attribution sits next to what it describes, so no rule needs more, and no text, however long
# its sentences, makes a rule read more.
WINDOW = 240


def before(text: str, start: int, window: int = WINDOW) -> str:
    """At most `window` characters of `text` ending at `start`."""
    return text[max(0, start - window) : start]


def after(text: str, end: int, window: int = WINDOW) -> str:
    """At most `window` characters of `text` from `end`."""
    return text[end : end + window]


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence, where it sits, and its capitalised runs."""

    index: int
    para: int
    start: int  # offset in the paragraph
    text: str
    runs: tuple[Run, ...]


@dataclass(frozen=True, slots=True)
class QuoteSpan:
    """Quoted words in a paragraph: offsets of the text inside the marks."""

    para: int
    start: int
    end: int
    closed: bool  # False when the paragraph ends before a closing mark (a running quote)


@dataclass(slots=True)
class Document:
    """An article body prepared for the entity extractors."""

    paragraphs: tuple[str, ...]
    sentences: list[Sentence] = field(default_factory=list)
    quotes: list[QuoteSpan] = field(default_factory=list)
    by_para: list[list[Sentence]] = field(default_factory=list)
    _starts: list[list[int]] = field(default_factory=list)  # sentence starts, per paragraph
    _quote_spans: dict[int, list[tuple[int, int]]] = field(default_factory=dict)

    @classmethod
    def build(cls, paragraphs: tuple[str, ...]) -> Document:
        """Split paragraphs into sentences and find the quoted spans."""
        doc = cls(paragraphs)
        # British style quotes with single marks, but only when the article has no double marks,
        # since elsewhere a single mark is an apostrophe or a quote inside a quote.
        single = not any(_MARK.search(text) for text in paragraphs)
        for p, text in enumerate(paragraphs):
            row: list[Sentence] = []
            for a, b in sentence_spans(text):
                part = text[a:b]
                sent = Sentence(len(doc.sentences), p, a, part, tuple(cap_runs(part)))
                doc.sentences.append(sent)
                row.append(sent)
            doc.by_para.append(row)
            doc._starts.append([s.start for s in row])
            spans = find_single_quotes(p, text) if single else find_quotes(p, text)
            doc.quotes.extend(spans)
            if spans:
                doc._quote_spans[p] = [(q.start, q.end) for q in spans]
        return doc

    def in_quote(self, para: int, offset: int) -> bool:
        """Whether a paragraph offset falls inside quotation marks."""
        spans = self._quote_spans.get(para)
        if not spans:
            return False
        i = bisect_right(spans, (offset, len(self.paragraphs[para]) + 1)) - 1
        return i >= 0 and spans[i][0] <= offset < spans[i][1]

    def partial_quote(self, span: QuoteSpan, text: str) -> bool:
        """Whether quoted words are part of a sentence ('called it "a win"'), not a whole one."""
        para = self.paragraphs[span.para]
        lead = para[max(0, span.start - 12) : max(0, span.start - 1)].rstrip()
        starts_clause = not lead or lead[-1] in ",:.!?—–-(" or span.start <= 1
        return not starts_clause or len(text.split()) < 3

    def quote_sentence(self, span: QuoteSpan, first: Sentence) -> str:
        """The sentence(s) a quote stands in, with the attribution after it."""
        last = self.sentence_at(span.para, max(span.start, span.end - 1))
        if first.index == last.index and span.end + 1 < len(self.paragraphs[span.para]):
            last = self.sentence_at(span.para, span.end + 1)
        if first.index == last.index:
            return first.text
        return " ".join(s.text for s in self.sentences[first.index : last.index + 1])

    def sentence_at(self, para: int, offset: int) -> Sentence:
        """The sentence holding a paragraph offset."""
        row = self.by_para[para]
        i = bisect_right(self._starts[para], offset) - 1
        return row[max(i, 0)]


def find_quotes(para: int, text: str) -> list[QuoteSpan]:
    """Quoted spans of a paragraph, pairing marks in order and tolerating mismatched styles."""
    spans: list[QuoteSpan] = []
    open_at: int | None = None
    for match in _MARK.finditer(text):
        pos = match.start()
        mark = text[pos]
        if open_at is None:
            if _can_open(text, pos, mark):
                open_at = pos + 1
        elif _can_close(text, pos, mark):
            spans.append(QuoteSpan(para, open_at, pos, True))
            open_at = None
    if open_at is not None and len(text) - open_at > 1:
        spans.append(QuoteSpan(para, open_at, len(text), False))
    return spans


def find_single_quotes(para: int, text: str) -> list[QuoteSpan]:
    """Quoted spans marked with single quotation marks, telling them from apostrophes."""
    spans: list[QuoteSpan] = []
    open_at: int | None = None
    for match in _SINGLE.finditer(text):
        pos = match.start()
        before = text[pos - 1] if pos else " "
        after = text[pos + 1] if pos + 1 < len(text) else " "
        if open_at is None:
            if text[pos] != "’" and (before.isspace() or before in "([—–-:") and after.isalnum():
                open_at = pos + 1
        elif text[pos] != "‘" and not before.isspace() and not after.isalnum():
            spans.append(QuoteSpan(para, open_at, pos, True))
            open_at = None
    if open_at is not None and len(text) - open_at > 1:
        spans.append(QuoteSpan(para, open_at, len(text), False))
    return spans


def _can_open(text: str, pos: int, mark: str) -> bool:
    if mark not in _OPENERS:
        return False
    before = text[pos - 1] if pos else " "
    after = text[pos + 1] if pos + 1 < len(text) else " "
    return not after.isspace() and (before.isspace() or before in "([—–-:" or pos == 0)


def _can_close(text: str, pos: int, mark: str) -> bool:
    if mark not in _CLOSERS:
        return False
    before = text[pos - 1] if pos else " "
    return not before.isspace()

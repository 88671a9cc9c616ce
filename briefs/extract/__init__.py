"""The brief builder: one article (seed, plain, Markdown or HTML) in, one Brief out."""

from __future__ import annotations

import re

from briefs.errors import ArticleUnreadable
from briefs.extract.document import Document
from briefs.extract.figures import find_figures
from briefs.extract.html import looks_like_html, parse_html
from briefs.extract.layout import Parsed, parse_text
from briefs.extract.lexicon import HONORIFICS, ORG_NOUNS, ROLE_HEADS, ROLE_MODIFIERS
from briefs.extract.people import Mention, PeopleFinder
from briefs.extract.places import org_from_run, org_name, place_in
from briefs.extract.quotes import QuoteFinder
from briefs.extract.sentences import split_sentences
from briefs.extract.spans import Run
from briefs.model import Brief

DEFAULT_MAX_BYTES = 2_000_000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_WORD = re.compile(r"[^\W\d_]{2,}")
_ACRONYM_DEF = re.compile(
    r"(?P<full>(?:[A-Z][\w-]*\s+(?:(?:of|and|for|the|on)\s+)?){1,7})\((?P<acr>[A-Z][A-Za-z&]{1,9})\)"
)
_DERIVED_HIGHLIGHTS = 3
_ORG_NOUN = "|".join(sorted(ORG_NOUNS))
# A name with no organisation word, told a body by a noun beside it.
_ORG_APPOSITIVE = re.compile(
    rf"^,\s+(?:the|an?)\s+(?:(?!(?:of|for|at|in|with|to|by)\s)[\w-]+\s+){{0,3}}?(?:{_ORG_NOUN})\s*(?:,|\.|$|\s+(?:of|for|that|which)\b)"
)
_BODY_BEFORE = re.compile(
    rf"(?:The|Its|Their)\s+(?:[a-z][\w-]*\s+){{0,2}}(?:{_ORG_NOUN}|authority|ministry|agency),\s+$"
)
_BODY_OPENERS = ("The ", "Its ", "Their ")
_APPOSITION_OPENERS = (", the ", ", a ", ", an ")
_NOT_LETTER = frozenset(',.;:!?"”“()')


def build_brief(
    data: str | bytes, source: str | None = None, *, max_bytes: int = DEFAULT_MAX_BYTES
) -> Brief:
    """Read one article and build its brief; raise ArticleUnreadable when it cannot be read."""
    text = _decode(data, source, max_bytes)
    parsed = parse_html(text) if looks_like_html(text) else parse_text(text)
    if parsed is None or not any(s.paragraphs for s in parsed.sections):
        raise ArticleUnreadable(source, "no article text found")
    paragraphs = tuple(p for s in parsed.sections for p in s.paragraphs)
    if not any(_WORD.search(p) and len(p.split()) >= 4 for p in paragraphs):
        raise ArticleUnreadable(source, "no sentences found: not an article")
    return _brief(parsed, paragraphs, source)


def _decode(data: str | bytes, source: str | None, max_bytes: int) -> str:
    size = len(data.encode("utf-8", "surrogatepass")) if isinstance(data, str) else len(data)
    if size > max_bytes:
        raise ArticleUnreadable(source, f"too large ({size:,} bytes; the limit is {max_bytes:,})")
    if isinstance(data, bytes):
        if b"\x00" in data:
            raise ArticleUnreadable(source, "binary data, not text")
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as e:
            raise ArticleUnreadable(source, "not UTF-8 text") from e
    if "\x00" in data:
        raise ArticleUnreadable(source, "binary data, not text")
    if not data.strip():
        raise ArticleUnreadable(source, "empty")
    sample = data[:20_000]
    odd = len(_CONTROL.findall(sample)) + sample.count("\ufffd")
    if odd > max(8, len(sample) // 50):
        raise ArticleUnreadable(source, "binary data, not text")
    return data.replace("\r\n", "\n").replace("\r", "\n")


def _brief(parsed: Parsed, paragraphs: tuple[str, ...], source: str | None) -> Brief:
    doc = Document.build(paragraphs)
    acronyms = _acronyms(paragraphs)
    orgs, org_runs, orgs_at = _orgs(doc, acronyms)
    finder = PeopleFinder(doc, acronyms, org_runs, orgs_at)
    people, mentions = finder.run()
    orgs += [name for name in sorted(finder.bodies()) if name not in orgs]
    places = _places(doc, org_runs, mentions)
    person_words = {w for p in people for w in (p.name, *p.aliases)}
    quotes = QuoteFinder(doc, people, mentions, orgs).run()
    highlights, derived = parsed.highlights, False
    if not highlights:
        highlights, derived = _derive_highlights(paragraphs), True
    return Brief(
        headline=parsed.headline or paragraphs[0][:120],
        published=parsed.published,
        source=source,
        highlights=highlights,
        highlights_derived=derived,
        sections=parsed.sections,
        analysis=parsed.analysis,
        body="\n\n".join(paragraphs),
        people=tuple(people),
        quotes=tuple(quotes),
        figures=tuple(find_figures(doc)),
        places=tuple(p for p in places if p not in person_words),
        organizations=tuple(o for o in orgs if o not in person_words),
    )


def _acronyms(paragraphs: tuple[str, ...]) -> dict[str, str]:
    found: dict[str, str] = {}
    for para in paragraphs:
        if "(" not in para:  # the pattern needs one; skipping saves its backtracking
            continue
        for match in _ACRONYM_DEF.finditer(para):
            words = match["full"].split()
            initials = "".join(w[0] for w in words if w[0].isupper())
            acr = match["acr"]
            # Keep only as many words as the acronym needs ("Reserve Bank of India (RBI)").
            while words and len(initials) > len(acr) and words[0][0].isupper():
                words, initials = words[1:], initials[1:]
            found.setdefault(acr, " ".join(words).removeprefix("The "))
    return found


def _orgs(
    doc: Document, acronyms: dict[str, str]
) -> tuple[list[str], set[tuple[int, int]], dict[int, list[tuple[int, str]]]]:
    orgs: dict[str, None] = dict.fromkeys(v for v in acronyms.values() if org_name(v.split()))
    org_runs: set[tuple[int, int]] = set()
    orgs_at: dict[int, list[tuple[int, str]]] = {}
    for sent in doc.sentences:
        skip_until = -1
        text = sent.text
        for i, run in enumerate(sent.runs):
            if run.start < skip_until:
                org_runs.add((sent.index, run.start))
                continue
            org = org_from_run(run, text, sent.runs, i)
            # Only a comma after the run or a body noun before it can make it a body.
            if org is None and (
                text.startswith(", ", run.end)
                or text[text.rfind(" ", 0, run.start - 1) + 1 : run.start - 1] in ORG_NOUNS
            ):
                org = _named_as_body(run, text)
            if org:
                orgs.setdefault(acronyms.get(org, org))
                orgs_at.setdefault(sent.index, []).append((run.start, org))
                last = org.split()[-1]
                if run.words[-1] == last or last not in run.words:
                    skip_until = sent.text.find(last, run.start) + 1
                    org_runs.add((sent.index, run.start))
    return list(orgs), org_runs, orgs_at


def _named_as_body(run: Run, text: str) -> str | None:
    """A run the text calls a body ("X, the industry association,", "developer X")."""
    end, start = run.end, run.start
    if run.possessive or end - start < 3:
        return None
    if text.startswith(", ", end):
        if text.startswith(_BODY_OPENERS) and _BODY_BEFORE.match(text, 0, start):
            return run.text  # "The port authority, X, said": the sentence's subject is a body
        if text.startswith(_APPOSITION_OPENERS, end):
            if _ORG_APPOSITIVE.match(text[end : end + 60]):
                return run.text.removeprefix("The ")
            return None
    gap = start - 1
    if gap < 1 or text[gap] != " " or text[gap - 1] in _NOT_LETTER:
        return None
    if text[text.rfind(" ", 0, gap) + 1 : gap] not in ORG_NOUNS:
        return None
    first = run.words[0].lower().rstrip(".")
    if first in ROLE_HEADS or first in HONORIFICS or first in ROLE_MODIFIERS:
        return None  # "the club President X": a title opens a person's name
    return run.text


def _places(doc: Document, org_runs: set[tuple[int, int]], mentions: list[Mention]) -> list[str]:
    named = {(m.sentence, m.start) for m in mentions}
    places: dict[str, None] = {}
    for sent in doc.sentences:
        for run in sent.runs:
            key = (sent.index, run.start)
            if key in org_runs or key in named:
                continue
            for _, _, name in place_in(run.words):
                places.setdefault(name)
    return list(places)


def _derive_highlights(paragraphs: tuple[str, ...]) -> tuple[str, ...]:
    picked: list[str] = []
    for para in paragraphs:
        sentences = split_sentences(para)
        if sentences and len(sentences[0].split()) >= 6:
            picked.append(sentences[0])
        if len(picked) == _DERIVED_HIGHLIGHTS:
            break
    return tuple(picked)

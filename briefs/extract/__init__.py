"""The brief builder: one article (seed, plain, Markdown or HTML) in, one Brief out."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from briefs.article_text import decode_article, require_prose
from briefs.errors import NotAnArticle
from briefs.extract.document import Document
from briefs.extract.figures import find_figures
from briefs.extract.html import looks_like_html, parse_html
from briefs.extract.layout import Parsed, parse_text
from briefs.extract.organizations import acronyms_in, find_organizations
from briefs.extract.people import Mention, PeopleFinder
from briefs.extract.places import place_in
from briefs.extract.quotes import QuoteFinder
from briefs.extract.sentences import split_sentences
from briefs.model import Brief, Figure, Person, Quote

log = logging.getLogger(__name__)
T = TypeVar("T")
Organizations = tuple[list[str], set[tuple[int, int]], dict[int, list[tuple[int, str]]]]

DEFAULT_MAX_BYTES = 2_000_000
_DERIVED_HIGHLIGHTS = 3


def build_brief(
    data: str | bytes, source: str | None = None, *, max_bytes: int = DEFAULT_MAX_BYTES
) -> Brief:
    """Read one article and build its brief; raise ArticleUnreadable when it cannot be read."""
    text = decode_article(data, source, max_bytes)
    parsed = parse_html(text) if looks_like_html(text) else parse_text(text)
    if parsed is None or not any(s.paragraphs for s in parsed.sections):
        raise NotAnArticle(source, "no paragraph of prose: not an article")
    paragraphs = tuple(p for s in parsed.sections for p in s.paragraphs)
    require_prose(parsed.headline, paragraphs, source)
    return _brief(parsed, paragraphs, source)


class ExtractorGuard:
    """Runs each extractor so that an unexpected error in one part costs that part only."""

    def __init__(self, source: str | None) -> None:
        self.source = source
        self.failed: list[str] = []

    def run(self, part: str, extract: Callable[[], T], empty: T) -> T:
        """The part's result, or `empty` (logged, and named in the brief) when it fails."""
        try:
            return extract()
        except Exception:  # the guard: a bug in one extractor never loses the article
            log.exception("Reading the %s of %s failed; kept the rest", part, self.source or "-")
            self.failed.append(part)
            return empty


def _brief(parsed: Parsed, paragraphs: tuple[str, ...], source: str | None) -> Brief:
    guard = ExtractorGuard(source)
    doc = Document.build(paragraphs)
    acronyms: dict[str, str] = guard.run("acronyms", lambda: acronyms_in(paragraphs), {})
    no_orgs: Organizations = ([], set(), {})
    orgs, org_runs, orgs_at = guard.run(
        "organizations", lambda: find_organizations(doc, acronyms), no_orgs
    )
    finder = PeopleFinder(doc, acronyms, org_runs, orgs_at)
    nobody: tuple[list[Person], list[Mention]] = ([], [])
    people, mentions = guard.run("people", finder.run, nobody)
    bodies: list[str] = guard.run("organizations", lambda: sorted(finder.bodies()), [])
    orgs += [name for name in bodies if name not in orgs]
    places: list[str] = guard.run("places", lambda: _places(doc, org_runs, mentions), [])
    person_words = {w for p in people for w in (p.name, *p.aliases)}
    quotes: list[Quote] = guard.run("quotes", QuoteFinder(doc, people, mentions, orgs).run, [])
    figures: list[Figure] = guard.run("figures", lambda: find_figures(doc, parsed.headline), [])
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
        figures=tuple(figures),
        places=tuple(p for p in places if p not in person_words),
        organizations=tuple(o for o in orgs if o not in person_words),
        failed_parts=tuple(dict.fromkeys(guard.failed)),
    )


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

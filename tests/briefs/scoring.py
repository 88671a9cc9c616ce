"""Scoring a brief against a hand-made gold file: one implementation for tests and benchmarks.

The rules are those of ../shared/articles/dev/README.md ("Suggested scoring") with the additions
of ../shared/articles/real/README-part1.md and README-part2.md:

- people match on the folded name or any alias; a role is right when it shares a content word
  with the gold role or one of its `role_alts` (counted on matched people that have a gold role);
- quotes match on text (curly marks straightened, whitespace collapsed, end punctuation
  stripped; containment either way or a fuzzy ratio of 90); the speaker is right when it is the
  gold speaker, an alias of that person, or one of `speaker_alts`. A quote counts for
  quote+speaker only when both match;
- figures match on `number` (a list matches any of its values), then on `value` or `alt`;
  `about` is right when it shares one content word with the gold `about` (and, for the
  stricter "short phrase" check, has at most eight words);
- items marked optional count neither for nor against: a found item that matches one is neither
  rewarded nor penalised. A second figure for another value of a gold number list ("80 or 90
  per cent" found as 80 and 90) is not a false positive either;
- headline: exact after trimming whitespace and a trailing `**`; date: exact ISO match.

Matching is one to one: each gold item takes at most one found item (the best match first), so
the same person, quote or figure found twice counts once and the copy is a false positive.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Generic, TypeVar

from rapidfuzz import fuzz

from briefs.extract import build_brief
from briefs.model import Brief, Figure, Person, Quote
from briefs.normalize import fold

Gold = dict[str, Any]  # Any: JSON values
T = TypeVar("T")

_CURLY = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})
_EDGE_PUNCT = " \t\n\"'.,;:!?…"
_FUNCTION_WORDS = (
    "a an the of and or but nor for to in on at by with from as into about than per via against "
    "between after before since during until through over under up down out off its his her "
    "their our your my this that these those is are was were be been has have had will would "
    "can could may might should it he she they we you who which what some any all each more "
    "most also not no so if then there"
)
_STOPWORDS = frozenset(_FUNCTION_WORDS.split())
_POSSESSIVE = re.compile(r"(?<=\w)['’]s\b")
SHORT_ABOUT_WORDS = 8


@dataclass
class Counts:
    """True and false positives and false negatives of one kind of item."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: Counts) -> None:
        """Sum another count into this one."""
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn

    def precision(self) -> float:
        """Share of what was found that is right (1.0 when nothing was found)."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    def recall(self) -> float:
        """Share of the wanted items that were found (1.0 when none was wanted)."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision(), self.recall()
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Share:
    """How many of the checked items are right."""

    right: int = 0
    checked: int = 0

    def add(self, other: Share) -> None:
        """Sum another share into this one."""
        self.right, self.checked = self.right + other.right, self.checked + other.checked

    def tick(self, ok: bool) -> None:
        """Count one checked item."""
        self.right += ok
        self.checked += 1

    def value(self) -> float:
        """The share (1.0 when nothing was checked)."""
        return self.right / self.checked if self.checked else 1.0


@dataclass(frozen=True)
class Miss:
    """One error, for the error listing: its kind and a line describing it."""

    kind: str  # "person FP", "wrong role", "quote FN", "wrong speaker", "bad about", …
    text: str


@dataclass
class Score:
    """The scores of one article, or summed over a set (`files` > 1)."""

    files: int = 1
    lost: int = 0  # articles whose brief could not be built (build_brief raised)
    headlines: int = 0
    dates: int = 0
    people: Counts = field(default_factory=Counts)
    roles: Share = field(default_factory=Share)
    quotes: Counts = field(default_factory=Counts)  # text only
    quotes_with_speaker: Counts = field(default_factory=Counts)
    speakers: Share = field(default_factory=Share)  # on text-matched quotes
    figures: Counts = field(default_factory=Counts)
    about: Share = field(default_factory=Share)  # README rule: one shared content word
    about_short: Share = field(default_factory=Share)  # that, in at most eight words
    misses: list[Miss] = field(default_factory=list)

    def add(self, other: Score) -> None:
        """Sum another article's score into this one (errors are not carried over)."""
        self.files += other.files
        self.lost += other.lost
        self.headlines += other.headlines
        self.dates += other.dates
        for name in ("people", "quotes", "quotes_with_speaker", "figures"):
            getattr(self, name).add(getattr(other, name))
        for name in ("roles", "speakers", "about", "about_short"):
            getattr(self, name).add(getattr(other, name))


# --- Text comparisons -----------------------------------------------------------------------


def names(item: Gold) -> set[str]:
    """A person's folded name and aliases."""
    return {fold(n) for n in [item["name"], *item.get("aliases", [])] if n}


def content_words(text: str | None) -> set[str]:
    """Folded words that carry meaning: no function words, no bare numbers, no possessive 's
    ("Odinga's" is "odinga")."""
    text = _POSSESSIVE.sub("", text or "")
    return {w for w in fold(text).split() if w not in _STOPWORDS and not w.isdigit()}


def _norm_quote(text: str) -> str:
    return " ".join(text.translate(_CURLY).split()).strip(_EDGE_PUNCT).lower()


def quote_likeness(a: str, b: str) -> int:
    """3 for the same text, 2 when one holds the other, 1 for a fuzzy ratio ≥ 90, else 0."""
    x, y = _norm_quote(a), _norm_quote(b)
    if not (x and y):
        return 0
    if x == y:
        return 3
    if x in y or y in x:
        return 2
    return int(fuzz.ratio(x, y) >= 90)


def same_quote(a: str, b: str) -> bool:
    """Quote texts match (see quote_likeness)."""
    return quote_likeness(a, b) > 0


def speaker_ok(gold_quote: Gold, speaker: str | None, people: Sequence[Gold]) -> bool:
    """The speaker is the gold one, an alias of that person, or one of `speaker_alts`."""
    if speaker is None:
        return False
    wanted = fold(gold_quote["speaker"])
    ok = {wanted, *(fold(a) for a in gold_quote.get("speaker_alts", []))}
    for person in people:
        if fold(person["name"]) == wanted:
            ok |= names(person)
    return fold(speaker) in ok


def role_ok(gold_person: Gold, role: str | None) -> bool:
    """The role shares a content word with the gold role or one of its `role_alts`."""
    got = content_words(role)
    return any(
        got & content_words(r) for r in [gold_person["role"], *gold_person.get("role_alts", [])]
    )


def gold_numbers(item: Gold) -> list[float]:
    """A gold figure's value or values."""
    number = item["number"]
    return [float(n) for n in number] if isinstance(number, list) else [float(number)]


def _same_number(a: float | None, b: float) -> bool:
    return a is not None and math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-6)


def figure_likeness(g: Gold, f: Figure) -> int:
    """0 for no match; else the number counts most, then the written form (or an alt), then a
    shared word in `about` (which only breaks ties between gold items of the same number)."""
    forms = {fold(v) for v in [g["value"], *g.get("alt", [])]}
    number = any(_same_number(f.number, n) for n in gold_numbers(g))
    written = fold(f.value) in forms
    return 4 * number + 2 * written + about_ok(g, f) if number or written else 0


def about_ok(g: Gold, f: Figure) -> bool:
    """README rule: the found `about` shares one content word with the gold one."""
    return bool(content_words(f.about) & content_words(g.get("about")))


def about_short_ok(g: Gold, f: Figure) -> bool:
    """Stricter: a short phrase (at most eight words) that also passes the README rule."""
    return len(f.about.split()) <= SHORT_ABOUT_WORDS and about_ok(g, f)


def headline_ok(gold: Gold, brief: Brief) -> bool:
    """Exact headline after trimming whitespace and a trailing `**`."""
    return brief.headline.strip() == re.sub(r"\*+$", "", gold["headline"].strip()).strip()


def date_ok(gold: Gold, brief: Brief) -> bool:
    """Exact ISO date."""
    found = brief.published.isoformat() if brief.published else None
    return found == gold.get("published")


# --- One-to-one matching --------------------------------------------------------------------


@dataclass
class Matching(Generic[T]):
    """Gold items paired with found ones; what is left over on either side."""

    pairs: list[tuple[Gold, T]]  # required gold items and their match
    missed: list[Gold]  # required gold items with no match (false negatives)
    extra: list[T]  # found items matching no gold item (false positives)

    def counts(self) -> Counts:
        """The pairs, extras and misses as counts."""
        return Counts(tp=len(self.pairs), fp=len(self.extra), fn=len(self.missed))


def match_items(
    gold: Sequence[Gold],
    found: Sequence[T],
    likeness: Callable[[Gold, T], int],
    near: Callable[[Gold, T], bool] | None = None,
    spare: Callable[[Gold, T], bool] | None = None,
) -> Matching[T]:
    """Pair the best-matching items first, each gold and found item at most once.

    Optional gold items are paired like the others, then left out. A found item left over is a
    false positive unless it is `near` an optional gold item (default: any likeness), or `spare`
    excuses it beside a gold item that was paired (another value of a number list).
    """
    scored = [
        (q, i, j)
        for i, g in enumerate(gold)
        for j, f in enumerate(found)
        if (q := likeness(g, f)) > 0
    ]
    gold_to: dict[int, int] = {}
    found_to: dict[int, int] = {}
    for _, i, j in sorted(scored, key=lambda t: (-t[0], t[1], t[2])):
        if i not in gold_to and j not in found_to:
            gold_to[i], found_to[j] = j, i

    def excused(f: T) -> bool:
        for i, g in enumerate(gold):
            if g.get("optional") and (near(g, f) if near else likeness(g, f) > 0):
                return True
            if spare is not None and i in gold_to and spare(g, f):
                return True
        return False

    return Matching(
        pairs=[
            (gold[i], found[j]) for i, j in sorted(gold_to.items()) if not gold[i].get("optional")
        ],
        missed=[g for i, g in enumerate(gold) if i not in gold_to and not g.get("optional")],
        extra=[f for j, f in enumerate(found) if j not in found_to and not excused(f)],
    )


# --- Scoring each kind of item --------------------------------------------------------------


def _cut(text: str | None, width: int = 100) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _person_likeness(g: Gold, p: Person) -> int:
    found = {fold(n) for n in [p.name, *p.aliases] if n}
    gold = names(g)
    if fold(p.name) == fold(g["name"]):
        return 3
    if fold(p.name) in gold or fold(g["name"]) in found:
        return 2
    return int(bool(found & gold))


def score_people(gold: Gold, brief: Brief, score: Score) -> None:
    """People P/R/F1 and role right, of matched people with a gold role."""
    m = match_items(gold["people"], brief.people, _person_likeness)
    score.people = m.counts()
    for g, p in m.pairs:
        if g.get("role"):
            ok = role_ok(g, p.role)
            score.roles.tick(ok)
            if not ok:
                alts = "".join(f" / {r!r}" for r in g.get("role_alts", []))
                score.misses.append(
                    Miss("wrong role", f"{g['name']}: got {p.role!r}, gold {g['role']!r}{alts}")
                )
        elif p.role:
            score.misses.append(Miss("role not in gold", f"{g['name']}: got {p.role!r}"))
    for p in m.extra:
        where = _cut(p.mentions[0]) if p.mentions else ""
        score.misses.append(Miss("person FP", f"{p.name} (role {p.role!r}) | {where}"))
    for g in m.missed:
        score.misses.append(Miss("person FN", f"{g['name']} (role {g.get('role')!r})"))


def score_quotes(gold: Gold, brief: Brief, score: Score) -> None:
    """Quote P/R on text, speaker right on those, and quote+speaker P/R/F1."""
    people = gold["people"]

    def text(g: Gold, q: Quote) -> int:
        return quote_likeness(g["text"], q.text)

    def text_then_speaker(g: Gold, q: Quote) -> int:
        likeness = text(g, q)
        return 2 * likeness + speaker_ok(g, q.speaker, people) if likeness else 0

    def both(g: Gold, q: Quote) -> int:
        return text(g, q) if speaker_ok(g, q.speaker, people) else 0

    by_text = match_items(gold["quotes"], brief.quotes, text_then_speaker)
    score.quotes = by_text.counts()
    # A found quote with the words of an optional gold quote is spared whoever it is given to.
    score.quotes_with_speaker = match_items(
        gold["quotes"], brief.quotes, both, near=lambda g, q: text(g, q) > 0
    ).counts()
    for g, q in by_text.pairs:
        ok = speaker_ok(g, q.speaker, people)
        score.speakers.tick(ok)
        if not ok:
            alts = "".join(f" / {a!r}" for a in g.get("speaker_alts", []))
            score.misses.append(
                Miss(
                    "wrong speaker",
                    f'"{_cut(q.text, 70)}": got {q.speaker!r}, gold {g["speaker"]!r}{alts}'
                    f" | {_cut(q.sentence, 160)}",
                )
            )
    for q in by_text.extra:
        score.misses.append(
            Miss("quote FP", f'"{_cut(q.text, 70)}" ({q.speaker!r}) | {_cut(q.sentence)}')
        )
    for g in by_text.missed:
        score.misses.append(Miss("quote FN", f'"{_cut(g["text"], 90)}" ({g["speaker"]!r})'))


def score_figures(gold: Gold, brief: Brief, score: Score) -> None:
    """Figures P/R/F1, and `about` right on matched figures (README rule and short phrase)."""
    m = match_items(
        gold["figures"],
        brief.figures,
        figure_likeness,
        spare=lambda g, f: isinstance(g["number"], list) and figure_likeness(g, f) > 0,
    )
    score.figures = m.counts()
    for g, f in m.pairs:
        ok, short = about_ok(g, f), about_short_ok(g, f)
        score.about.tick(ok)
        score.about_short.tick(short)
        if not short:
            kind = "long about" if ok else "bad about"
            score.misses.append(Miss(kind, f"{f.value}: got {f.about!r}, gold {g.get('about')!r}"))
    for f in m.extra:
        score.misses.append(
            Miss("figure FP", f"{f.value} ({f.number:g}) about {f.about!r} | {_cut(f.sentence)}")
            if f.number is not None
            else Miss("figure FP", f"{f.value} about {f.about!r} | {_cut(f.sentence)}")
        )
    for g in m.missed:
        score.misses.append(
            Miss("figure FN", f"{g['value']} ({g['number']}) about {g.get('about')!r}")
        )


def score_brief(gold: Gold, brief: Brief) -> Score:
    """Every score of one brief against its gold file, with the list of errors."""
    score = Score(headlines=headline_ok(gold, brief), dates=date_ok(gold, brief))
    if not score.headlines:
        score.misses.append(Miss("headline", f"got {brief.headline!r}, gold {gold['headline']!r}"))
    if not score.dates:
        got = brief.published.isoformat() if brief.published else None
        score.misses.append(Miss("date", f"got {got!r}, gold {gold.get('published')!r}"))
    score_people(gold, brief, score)
    score_quotes(gold, brief, score)
    score_figures(gold, brief, score)
    return score


_NOTHING = Brief(
    headline="",
    published=None,
    source=None,
    highlights=(),
    highlights_derived=False,
    sections=(),
    analysis="",
    body="",
)


# --- Files ----------------------------------------------------------------------------------


@cache
def load_gold(path: Path) -> Gold:
    """A gold file, read once."""
    return dict(json.loads(path.read_text(encoding="utf-8")))


@cache
def brief_for(path: Path) -> Brief:
    """The brief of the article a gold file describes (it sits beside the gold file)."""
    name = load_gold(path)["file"]
    return build_brief((path.parent / name).read_bytes(), name)


def score_file(path: Path) -> Score:
    """Score the article beside a gold file. If the brief cannot be built the article is lost:
    it counts once in `lost` and as a brief with nothing in it (every wanted item missed)."""
    gold = load_gold(path)
    data = (path.parent / gold["file"]).read_bytes()
    try:
        brief = build_brief(data, gold["file"])
    except Exception as error:  # the scorer reports a crash, it does not stop on it
        score = score_brief(gold, _NOTHING)
        score.lost = 1
        score.misses.insert(0, Miss("lost", f"build_brief raised {error!r}"))
        return score
    return score_brief(gold, brief)

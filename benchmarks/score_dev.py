"""Score the extractor against the hand-made gold briefs of the development set.

Usage: python benchmarks/score_dev.py [DIR]   (default: ../shared/articles/dev beside the repo)
Follows the scoring suggested in that folder's README.md: people, quotes and figures precision,
recall and F1; role accuracy on matched people; speaker accuracy on matched quotes; headline and
date correctness. Items marked optional count neither for nor against.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from briefs.extract import build_brief
from briefs.model import Brief
from briefs.normalize import fold

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "shared" / "articles" / "dev"
_CURLY = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})
_EDGE_PUNCT = " \t\n\"'.,;:!?…"
_STOPWORDS = frozenset(["the", "a", "an", "of", "and", "for"])


@dataclass
class Tally:
    """Counts for one kind of item."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    checked: int = 0  # matched items whose attribute (role, speaker) was checked
    correct: int = 0

    def add(self, other: Tally) -> None:
        """Sum another tally into this one."""
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        self.checked += other.checked
        self.correct += other.correct

    def prf(self) -> tuple[float, float, float]:
        """Precision, recall and F1."""
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    def accuracy(self) -> float:
        """Share of matched items whose attribute is right."""
        return self.correct / self.checked if self.checked else 1.0


@dataclass
class FileScore:
    """Scores of one article."""

    name: str
    headline: bool
    date: bool
    people: Tally = field(default_factory=Tally)
    quotes: Tally = field(default_factory=Tally)
    figures: Tally = field(default_factory=Tally)


def _norm_quote(text: str) -> str:
    return " ".join(text.translate(_CURLY).split()).strip(_EDGE_PUNCT).lower()


def _quote_match(a: str, b: str) -> bool:
    x, y = _norm_quote(a), _norm_quote(b)
    return bool(x and y) and (x in y or y in x or fuzz.ratio(x, y) >= 90)


def _names(item: dict[str, Any]) -> set[str]:
    return {fold(n) for n in [item["name"], *item.get("aliases", [])] if n}


def _words(text: str | None) -> set[str]:
    return {w for w in fold(text or "").split() if w not in _STOPWORDS}


def _greedy(
    gold: list[dict[str, Any]], found: list[Any], match: Any
) -> tuple[list[tuple[dict[str, Any], Any]], list[Any], list[dict[str, Any]]]:
    """Pairs (gold, found), unmatched found, unmatched gold."""
    free = list(found)
    pairs: list[tuple[dict[str, Any], Any]] = []
    missed: list[dict[str, Any]] = []
    for item in gold:
        hit = next((f for f in free if match(item, f)), None)
        if hit is None:
            missed.append(item)
        else:
            free.remove(hit)
            pairs.append((item, hit))
    return pairs, free, missed


def score_people(gold: list[dict[str, Any]], brief: Brief) -> Tally:
    """People: a match on the name or any alias; role by word overlap."""
    found = [{"name": p.name, "aliases": list(p.aliases), "role": p.role} for p in brief.people]
    pairs, extra, missed = _greedy(gold, found, lambda g, f: bool(_names(g) & _names(f)))
    tally = Tally()
    for g, f in pairs:
        if g.get("optional"):
            continue
        tally.tp += 1
        tally.checked += 1
        gold_role, got = _words(g.get("role")), _words(f.get("role"))
        tally.correct += (not gold_role and not got) or bool(gold_role & got)
    tally.fn = sum(not g.get("optional") for g in missed)
    tally.fp = len(extra)
    return tally


def score_quotes(gold: list[dict[str, Any]], brief: Brief, people: list[dict[str, Any]]) -> Tally:
    """Quotes: text match; speaker is the gold one, an alias of them, or a listed alternative."""
    aliases = {fold(p["name"]): _names(p) for p in people}
    pairs, extra, missed = _greedy(
        gold, list(brief.quotes), lambda g, q: _quote_match(g["text"], q.text)
    )
    tally = Tally()
    for g, q in pairs:
        if g.get("optional"):
            continue
        tally.tp += 1
        tally.checked += 1
        ok = {fold(g["speaker"]), *(fold(a) for a in g.get("speaker_alts", []))}
        ok |= aliases.get(fold(g["speaker"]), set())
        tally.correct += q.speaker is not None and fold(q.speaker) in ok
    tally.fn = sum(not g.get("optional") for g in missed)
    tally.fp = len(extra)
    return tally


def _numbers(item: dict[str, Any]) -> list[float]:
    number = item["number"]
    return [float(n) for n in number] if isinstance(number, list) else [float(number)]


def score_figures(gold: list[dict[str, Any]], brief: Brief) -> Tally:
    """Figures: match on the normalised number (a list matches any of its values)."""

    def match(g: dict[str, Any], f: Any) -> bool:
        return f.number is not None and any(abs(f.number - n) < 1e-6 for n in _numbers(g))

    pairs, extra, missed = _greedy(gold, list(brief.figures), match)
    tally = Tally(tp=sum(not g.get("optional") for g, _ in pairs))
    tally.fn = sum(not g.get("optional") for g in missed)
    tally.fp = len(extra)
    return tally


def score_file(article: Path, gold: dict[str, Any]) -> FileScore:
    """All scores for one article."""
    brief = build_brief(article.read_bytes(), article.name)
    want = re.sub(r"\*+$", "", gold["headline"].strip()).strip()
    date = brief.published.isoformat() if brief.published else None
    result = FileScore(article.name, brief.headline.strip() == want, date == gold.get("published"))
    result.people = score_people(gold["people"], brief)
    result.quotes = score_quotes(gold["quotes"], brief, gold["people"])
    result.figures = score_figures(gold["figures"], brief)
    return result


def _row(name: str, head: str, people: Tally, quotes: Tally, figures: Tally) -> str:
    cells = [f"{name:<36}", f"{head:>5}"]
    for tally, extra in ((people, "role"), (quotes, "spkr"), (figures, None)):
        p, r, f1 = tally.prf()
        cells.append(f"{p:5.2f} {r:5.2f} {f1:5.2f}")
        if extra:
            cells.append(f"{tally.accuracy():5.2f}")
    return " | ".join(cells)


def main(argv: list[str]) -> int:
    """Score every gold file in the folder and print a table."""
    folder = Path(argv[1]) if len(argv) > 1 else DEFAULT_DIR
    golds = sorted(folder.glob("*.gold.json")) if folder.is_dir() else []
    if not golds:
        print(f"no development set at {folder}: nothing to score")
        return 0
    header = _row("file", "h/d", Tally(), Tally(), Tally()).split(" | ")
    print(
        " | ".join(
            [
                f"{'file':<36}",
                "  h/d",
                "people P     R    F1",
                " role",
                "quotes P     R    F1",
                " spkr",
                "figures P    R    F1",
            ]
        )
    )
    del header
    total = FileScore("TOTAL", True, True)
    heads = dates = 0
    for path in golds:
        gold = json.loads(path.read_text(encoding="utf-8"))
        score = score_file(folder / gold["file"], gold)
        heads += score.headline
        dates += score.date
        for mine, summed in (
            (score.people, total.people),
            (score.quotes, total.quotes),
            (score.figures, total.figures),
        ):
            summed.add(mine)
        flags = f"{'H' if score.headline else '-'}{'D' if score.date else '-'}"
        print(_row(score.name[:36], flags, score.people, score.quotes, score.figures))
    print(_row("TOTAL", f"{heads}/{dates}", total.people, total.quotes, total.figures))
    print(f"headlines {heads}/{len(golds)}, dates {dates}/{len(golds)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

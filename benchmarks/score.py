"""Score the extractor against the hand-made gold briefs: dev set and real articles side by side.

Usage: python benchmarks/score.py [--shared DIR] [--sealed] [--show-errors dev|real] [FOLDER ...]

  --shared DIR       the shared folder holding articles/dev and articles/real
                     (default: ../shared beside the repository)
  --sealed           add the column of real/ 18–22, the sealed test set. Run it once, when tuning
                     is done: a set the rules never saw is the only honest estimate.
  --show-errors SET  list every false positive and negative, wrong role, wrong speaker and bad
                     `about`, file by file, for dev or real (01–17; never the sealed files)
  FOLDER             more folders of *.gold.json to score as extra columns
                     (e.g. tests/data/articles/heldout)

The scoring rules live in tests/briefs/scoring.py, shared with the tests. An article whose brief
cannot be built (build_brief raises) is counted as lost and scored as an empty brief.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.briefs.scoring import Counts, Score, Share, load_gold, score_file  # noqa: E402

DEFAULT_SHARED = ROOT.parent / "shared"
SEALED = range(18, 23)  # real/ 18–22: selected by file number, read only with --sealed
_NUMBER = re.compile(r"^(\d+)_")
_KIND_ORDER = [
    "lost",
    "headline",
    "date",
    "person FP",
    "person FN",
    "wrong role",
    "role not in gold",
    "quote FP",
    "quote FN",
    "wrong speaker",
    "figure FP",
    "figure FN",
    "bad about",
    "long about",
]


def _number(path: Path) -> int | None:
    found = _NUMBER.match(path.name)
    return int(found.group(1)) if found else None


def gold_files(folder: Path, keep: Callable[[int | None], bool] = lambda n: True) -> list[Path]:
    """The gold files of a folder whose file number passes `keep` (names only are read)."""
    return sorted(p for p in folder.glob("*.gold.json") if keep(_number(p)))


def sets(shared: Path, sealed: bool, extra: list[Path]) -> dict[str, list[Path]]:
    """Column name → gold files. The sealed files are listed only when asked for."""
    articles = shared / "articles"
    chosen = {
        "dev/": gold_files(articles / "dev"),
        "real/ 01–17": gold_files(articles / "real", lambda n: n is not None and 1 <= n <= 17),
    }
    if sealed:
        chosen["real/ 18–22"] = gold_files(articles / "real", lambda n: n in SEALED)
    for folder in extra:
        chosen[f"{folder.name}/"] = gold_files(folder)
    return chosen


def score_set(paths: list[Path]) -> tuple[Score, dict[Path, Score]]:
    """The summed score of a set and the score of each file."""
    total = Score(files=0)
    each = {}
    for path in paths:
        each[path] = score_file(path)
        total.add(each[path])
    return total, each


def _ratio(part: int, whole: int) -> str:
    return f"{part / whole if whole else 1.0:.2f} ({part}/{whole})"


def _rows(s: Score) -> list[tuple[str, str]]:
    def p(c: Counts) -> str:
        return _ratio(c.tp, c.tp + c.fp)

    def r(c: Counts) -> str:
        return _ratio(c.tp, c.tp + c.fn)

    def share(x: Share) -> str:
        return _ratio(x.right, x.checked)

    return [
        ("articles", str(s.files)),
        ("lost to an exception", str(s.lost)),
        ("people P", p(s.people)),
        ("people R", r(s.people)),
        ("people F1", f"{s.people.f1():.2f}"),
        ("role right, of people with a role", share(s.roles)),
        ("quote P (text)", p(s.quotes)),
        ("quote R (text)", r(s.quotes)),
        ("quote+speaker P", p(s.quotes_with_speaker)),
        ("quote+speaker R", r(s.quotes_with_speaker)),
        ("quote+speaker F1", f"{s.quotes_with_speaker.f1():.2f}"),
        ("speaker right, of matched quotes", share(s.speakers)),
        ("figures P", p(s.figures)),
        ("figures R", r(s.figures)),
        ("figures F1", f"{s.figures.f1():.2f}"),
        ("about (README: a shared content word)", share(s.about)),
        ("about, short phrase (≤ 8 words)", share(s.about_short)),
        ("headlines", f"{s.headlines}/{s.files}"),
        ("dates", f"{s.dates}/{s.files}"),
    ]


def table(totals: dict[str, Score]) -> str:
    """Metrics as rows, sets as columns."""
    columns = {name: dict(_rows(score)) for name, score in totals.items()}
    labels = [label for label, _ in _rows(Score())]
    width = max(map(len, labels))
    cell = {name: max(len(name), *map(len, col.values())) for name, col in columns.items()}
    lines = [" | ".join([" " * width, *(name.rjust(cell[name]) for name in columns)])]
    lines.append("-+-".join(["-" * width, *("-" * cell[name] for name in columns)]))
    for label in labels:
        cells = [columns[name][label].rjust(cell[name]) for name in columns]
        lines.append(" | ".join([label.ljust(width), *cells]))
    return "\n".join(lines)


def errors(each: dict[Path, Score]) -> str:
    """Every error of every file, grouped by kind within a file."""
    lines = []
    for path, score in each.items():
        lines.append(
            f"\n== {load_gold(path)['file']}: people F1 {score.people.f1():.2f}, "
            f"quote+speaker F1 {score.quotes_with_speaker.f1():.2f}, "
            f"figures F1 {score.figures.f1():.2f}"
        )
        order = {kind: i for i, kind in enumerate(_KIND_ORDER)}
        for miss in sorted(score.misses, key=lambda m: order.get(m.kind, len(order))):
            lines.append(f"  [{miss.kind}] {miss.text}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Score the sets and print the table (and the errors of one set when asked)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--sealed", action="store_true")
    parser.add_argument("--show-errors", choices=["dev", "real"])
    parser.add_argument("folders", nargs="*", type=Path)
    args = parser.parse_args(argv)
    chosen = sets(args.shared, args.sealed, args.folders)
    if not any(chosen.values()):
        print(f"no gold files under {args.shared / 'articles'}: nothing to score")
        return 0
    scored = {name: score_set(paths) for name, paths in chosen.items() if paths}
    print(table({name: total for name, (total, _) in scored.items()}))
    if args.show_errors:
        name = "dev/" if args.show_errors == "dev" else "real/ 01–17"
        if name in scored:
            print(f"\nErrors, {name}:")
            print(errors(scored[name][1]))
    return 0


if __name__ == "__main__":
    sys.exit(main())

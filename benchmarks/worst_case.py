"""Worst-case inputs for the brief builder at 1×, 10× and 100× size: time and peak memory.

Usage: python benchmarks/worst_case.py [--sizes 1,10,100] [--only NAME]
Each case runs in a fresh subprocess (so peak memory is its own); the report shows CPU seconds
(best of three) and peak RSS growth per size, and the ratio from one size to the next (about 10
for linear work).
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import subprocess
import sys
from collections.abc import Callable

BASE = 1_600  # characters at 1×
# A headline and one ordinary paragraph first, so each input is read as an article and the
# hostile part reaches the extractors instead of being refused as "not an article".
LEAD = "The council meets on the harbour plan\n\nThe council met on Monday to discuss the plan.\n\n"


def _quotes(n: int) -> str:
    return LEAD + " ".join('"a" said Smith,' for _ in range(n // 16)) + "\n"


def _cap_run(n: int) -> str:
    rng = random.Random(1)
    words = ["Alpha", "Beta", "Gamma", "Delta", "Omega", "Kappa", "Zeta", "Sigma"]
    run = " ".join(rng.choice(words) for _ in range(n // 6))
    return f"{LEAD}The {run} said the plan was good.\n"


def _long_line(n: int) -> str:
    return LEAD + " ".join("word" for _ in range(n // 5)) + "\n"


def _numbers(n: int) -> str:
    return LEAD + "The values were " + ", ".join(str(i) for i in range(n // 6)) + " in all.\n"


def _spelled(n: int) -> str:
    words = [
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "twenty",
        "hundred",
        "thousand",
    ]
    rng = random.Random(2)
    return LEAD + "They counted " + " ".join(rng.choice(words) for _ in range(n // 5)) + ".\n"


def _paragraphs(n: int) -> str:
    para = 'Mayor Ana Ruiz told reporters on Monday: "We will build 40 homes," she said.'
    return LEAD + "\n\n".join(para for _ in range(n // len(para))) + "\n"


def _people(n: int) -> str:
    rng = random.Random(3)
    first = ["Ana", "Ben", "Chloe", "David", "Elena", "Farid", "Grace", "Hiro"]
    last = ["Ruiz", "Okafor", "Schmidt", "Tanaka", "Novak", "Haddad", "Silva", "Kim"]
    sents = [
        f"{rng.choice(first)} {rng.choice(last)}{i}, a senior analyst at Bank{i}, said "
        f'"prices rose {i} percent" on Monday.'
        for i in range(n // 80)
    ]
    return LEAD + " ".join(sents) + "\n"


def _deep_html(n: int) -> str:
    depth = n // 12
    return (
        "<html><head><title>Deep page</title></head><body><article><h1>Deep page</h1>"
        + "<div>" * depth
        + "<p>The council said it would spend $4 million on 12 new parks this year.</p>"
        + "</div>" * depth
        + "</article></body></html>"
    )


CASES: dict[str, Callable[[int], str]] = {
    "many quotes": _quotes,
    "capitalised run": _cap_run,
    "line without punctuation": _long_line,
    "many numbers": _numbers,
    "spelled-out number words": _spelled,
    "many paragraphs": _paragraphs,
    "many people and quotes": _people,
    "deep HTML": _deep_html,
}

_PROBE = """
import json, resource, sys, time
from briefs.extract import build_brief
from briefs.errors import BriefingError
text = sys.stdin.read()
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
best = None
for _ in range(3):  # CPU time, best of three: other work on the machine matters less
    t = time.process_time()
    try:
        build_brief(text, "case")
        outcome = "ok"
    except BriefingError as e:
        outcome = f"refused: {e}"
    except Exception as e:  # the benchmark reports a crash instead of stopping
        outcome = f"CRASHED: {type(e).__name__}: {e}"
    spent = time.process_time() - t
    best = spent if best is None else min(best, spent)
elapsed = best
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": elapsed, "mb": (peak - base) / 1024, "outcome": outcome}))
"""


def measure(text: str) -> dict[str, float | str]:
    """Build one brief in a fresh interpreter (after warming the imports) and report."""
    warm = "from briefs.extract.places import gazetteer; gazetteer()\n"
    out = subprocess.run(
        [sys.executable, "-c", warm + _PROBE],
        input=text,
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    ).stdout
    return dict(json.loads(out))


def main() -> None:
    """Run every case at every size and print the table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1,10,100")
    parser.add_argument("--only")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"{'case':28} " + " ".join(f"{f'{s}× s / MB':>18}" for s in sizes) + "  time ratio")
    for name, make in CASES.items():
        if args.only and args.only not in name:
            continue
        row, times, outcomes = [], [], []
        for size in sizes:
            result = measure(make(BASE * size))
            times.append(float(result["seconds"]))
            outcomes.append(result["outcome"])
            row.append(f"{float(result['seconds']):8.3f} / {float(result['mb']):6.1f}")
        ratios = " ".join(f"{b / a:5.1f}" for a, b in itertools.pairwise(times) if a)
        crashes = {str(r) for r in outcomes if str(r).startswith("CRASHED")}
        print(f"{name:28} " + " ".join(f"{c:>18}" for c in row) + f"  {ratios}")
        for crash in sorted(crashes):
            print(f"{'':28} {crash[:100]}")
        refused = {str(r) for r in outcomes if str(r).startswith("refused")}
        for reason in sorted(refused):
            print(f"{'':28} {reason[:100]}")


if __name__ == "__main__":
    main()

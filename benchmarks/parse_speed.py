"""Parse speed: build briefs from a synthetic corpus of ~1,000-word articles in all four layouts.

Usage: python benchmarks/parse_speed.py [N]   (N articles, default 400; one core, one process)
"""

from __future__ import annotations

import random
import sys
import time

from briefs.extract import build_brief

_FIRST = ["Amara", "Jonas", "Lucía", "Kwame", "Ingrid", "Ravi", "Mei", "Tomasz", "Aisha", "Pedro"]
_LAST = ["Okafor", "Lindqvist", "Ramírez", "Mensah", "Falk", "Iyer", "Chen", "Nowak", "Haddad"]
_ROLES = ["Finance Minister", "central bank governor", "trade analyst", "chief executive"]
_ORGS = ["National Grid Authority", "Central Bank of Valmora", "Harbour Workers Union"]
_PLACES = ["Geneva", "Nairobi", "Lima", "Jakarta", "Warsaw", "Toronto", "Madrid"]
_FILLER = (
    "Officials said the plan would be reviewed again next month, while critics warned that the "
    "costs could rise further if demand kept growing across the region."
)


def _paragraph(rng: random.Random) -> str:
    name = f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
    templates = [
        f"{rng.choice(_ROLES).capitalize()} {name} said the {rng.choice(_ORGS)} had approved "
        f"{rng.randint(2, 900)} new contracts worth €{rng.randint(5, 90)} million in "
        f"{rng.choice(_PLACES)}.",
        f'"We expect growth of {rng.randint(1, 9)}.{rng.randint(0, 9)} percent this year," '
        f"{name}, a {rng.choice(_ROLES)}, told reporters on Tuesday.",
        f"Prices rose for the {rng.choice(['second', 'third', 'fifth'])} consecutive month, "
        f"with {rng.choice(['seven', 'twelve', 'forty'])} regions reporting shortages.",
        _FILLER,
    ]
    return " ".join(rng.sample(templates, k=4))


def _paragraphs(rng: random.Random, words: int = 1000) -> list[str]:
    out: list[str] = []
    while sum(len(p.split()) for p in out) < words:
        out.append(_paragraph(rng))
    return out


def seed_article(rng: random.Random) -> str:
    """An article in the seed layout, body repeated."""
    paras = _paragraphs(rng, 500)
    body = [paras[0], "Market Reaction", *paras[1:3], "Looking Ahead", *paras[3:]]
    return "\n".join(
        ["Council approves new budget", "Published 4 March 2025", "Highlights"]
        + [f"- {p.split('. ')[0]}." for p in paras[:4]]
        + ["-", "Rewritten Article", "Headline: Council approves new budget**", *body, "-"]
        + ["Scenario Analysis", _FILLER, *body, "What this might mean", _FILLER]
    )


def plain_article(rng: random.Random) -> str:
    """A plain article with a date line and blank-line paragraphs."""
    return "Budget vote splits council\nNovember 3, 2025\n\n" + "\n\n".join(_paragraphs(rng))


def markdown_article(rng: random.Random) -> str:
    """A Markdown article with headings and a list."""
    paras = _paragraphs(rng)
    return (
        "# Budget vote splits council\n\n*Published 3 Nov 2025*\n\n**"
        + paras[0]
        + "**\n\n## What happened\n\n"
        + "\n\n".join(paras[1:])
        + "\n\n- First point of the plan\n- Second point of the plan\n"
    )


def html_article(rng: random.Random) -> str:
    """An HTML page with navigation, a cookie banner, a footer and a script."""
    paras = "".join(f"<p>{p}</p>" for p in _paragraphs(rng))
    return (
        "<!DOCTYPE html><html><head><title>Budget vote | Example</title>"
        '<meta property="og:title" content="Budget vote splits council">'
        '<meta property="article:published_time" content="2025-11-03"></head><body>'
        '<nav><a href="/">Home</a><a href="/world">World</a></nav>'
        '<div class="cookie-banner"><p>We use cookies.</p></div>'
        f"<article><h1>Budget vote splits council</h1>{paras}</article>"
        "<footer><p>All rights reserved.</p></footer><script>var x = 1;</script></body></html>"
    )


def corpus(n: int, seed: int = 7) -> list[str]:
    """N articles cycling through the four layouts."""
    rng = random.Random(seed)
    makers = [seed_article, plain_article, markdown_article, html_article]
    return [makers[i % len(makers)](rng) for i in range(n)]


def main(argv: list[str]) -> int:
    """Parse the corpus once to warm up, then time a second pass."""
    n = int(argv[1]) if len(argv) > 1 else 400
    articles = corpus(n)
    words = sum(len(a.split()) for a in articles) / len(articles)
    for article in articles[:8]:
        build_brief(article)
    by_layout: dict[str, float] = {}
    names = ["seed", "plain", "markdown", "html"]
    start = time.perf_counter()
    for i, article in enumerate(articles):
        t0 = time.perf_counter()
        build_brief(article)
        layout = names[i % 4]
        by_layout[layout] = by_layout.get(layout, 0.0) + time.perf_counter() - t0
    elapsed = time.perf_counter() - start
    print(f"{n} articles (~{words:.0f} words each) in {elapsed:.2f}s: {n / elapsed:.0f} articles/s")
    for layout, seconds in by_layout.items():
        print(f"  {layout:<9} {(n / 4) / seconds:6.0f} articles/s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

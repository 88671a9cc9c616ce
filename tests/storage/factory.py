"""Brief objects built by hand for storage tests (no extractor involved)."""

from __future__ import annotations

import datetime as dt

from briefs.model import Brief, Figure, Person, Quote, Section

PAM = Person(
    name="Pam Bondi",
    role="Attorney General",
    organization="Justice Department",
    aliases=("Bondi", "Pamela Bondi"),
    mentions=("Pam Bondi said 37 people were handed over.", "Bondi thanked Mexico."),
)
OMAR = Person(
    name="Omar García Harfuch",
    role="Security Secretary",
    organization="Mexican government",
    mentions=("Omar García Harfuch said the transfer took 4 flights.",),
)
ENRIQUE = Person(
    name="Enrique Peña Nieto", role="former president", mentions=("Peña Nieto spoke.",)
)


def make_brief(
    headline: str = "Mexico sends 37 cartel figures to the United States",
    *,
    people: tuple[Person, ...] = (PAM, OMAR),
    quotes: tuple[Quote, ...] | None = None,
    figures: tuple[Figure, ...] | None = None,
    body: str = "Mexico handed over 37 prisoners. The flights landed in Texas.",
    analysis: str = "The transfer marks a shift in cooperation.",
    source: str | None = None,
) -> Brief:
    """A complete brief with people, quotes, figures, places and organisations."""
    if quotes is None:
        quotes = tuple(
            Quote(f"We will prosecute them, {p.name.split()[0]}", p.name, "person", False, s)
            for p in people
            for s in p.mentions[:1]
        )
    if figures is None:
        figures = (
            Figure("37", 37.0, "count", "people handed over", PAM.mentions[0]),
            Figure("4", 4.0, "count", "flights", OMAR.mentions[0]),
            Figure("50%", 50.0, "percent", "of the cases", "Half, 50%, were pending."),
        )
    return Brief(
        headline=headline,
        published=dt.date(2026, 1, 21),
        source=source,
        highlights=(f"{headline}.", "The flights landed in Texas."),
        highlights_derived=False,
        sections=(Section(None, (body,)), Section("Background", ("Earlier transfers happened.",))),
        analysis=analysis,
        body=body,
        people=people,
        quotes=quotes,
        figures=figures,
        places=("Mexico", "Texas"),
        organizations=("Justice Department",),
    )


def numbered_brief(i: int, pool: int = 50) -> tuple[str, Brief]:
    """Article text and brief number `i`, naming three people of a shared pool."""
    names = [f"Person{(i + k) % pool:03d} Surname{(i * 7 + k) % pool:03d}" for k in range(3)]
    people = tuple(
        Person(name, role=f"role {i}", mentions=(f"{name} said {i + k} things.",))
        for k, name in enumerate(names)
    )
    quotes = tuple(
        Quote(f"Quote {i}-{k}", p.name, "person", False, p.mentions[0])
        for k, p in enumerate(people)
    )
    figures = tuple(
        Figure(str(i + k), float(i + k), "count", "things", p.mentions[0])
        for k, p in enumerate(people)
    )
    brief = make_brief(
        f"Report number {i} on harbour logistics",
        people=people,
        quotes=quotes,
        figures=figures,
        body=f"Paragraph about item {i}. " * 40,
    )
    return f"article {i}\n" + brief.body, brief

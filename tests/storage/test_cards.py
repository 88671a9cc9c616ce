"""Cards for several people read together: each card holds its own person's facts only."""

from __future__ import annotations

from briefs.model import Figure, Person, Quote
from storage.cards import PER_CARD, PER_OTHER_CARD
from storage.sqlite import SqliteBriefStore
from tests.storage.factory import make_brief


def _torres(first: str, i: int) -> Person:
    name = f"{first} Torres"
    return Person(name, role=f"{first} role {i}", mentions=(f"{name} said {i} boats left.",))


async def _add(store: SqliteBriefStore, i: int, people: tuple[Person, ...], guild: int | None):
    quotes = tuple(
        Quote(f"{p.name} quote {i}", p.name, "person", False, p.mentions[0]) for p in people
    )
    figures = tuple(Figure(str(i), float(i), "count", "boats", p.mentions[0]) for p in people)
    brief = make_brief(f"Harbour {i}", people=people, quotes=quotes, figures=figures)
    return (await store.add(f"t{i}", brief, guild_id=guild, source=None)).brief.id


async def test_each_match_gets_its_own_newest_facts(store: SqliteBriefStore) -> None:
    """Identity and mentions are whole on every card; lists are shorter after the best match."""
    ana_ids, luis_ids = [], []
    for i in range(14):
        people = (_torres("Ana", i),) if i % 3 else (_torres("Ana", i), _torres("Luis", i))
        brief_id = await _add(store, i, people, None)
        ana_ids.append(brief_id)
        if not i % 3:
            luis_ids.append(brief_id)
    ana, luis = await store.who("torres", guild_id=None)
    assert (ana.name, luis.name) == ("Ana Torres", "Luis Torres")
    assert [b.id for b in ana.briefs] == sorted(ana_ids, reverse=True)[:PER_CARD]
    assert all(q.quote.speaker == "Ana Torres" for q in ana.quotes)
    assert len(ana.quotes) == len(ana.figures) == PER_CARD
    newest_luis = sorted(luis_ids, reverse=True)[:PER_OTHER_CARD]  # not the best match: fewer
    assert [b.id for b in luis.briefs] == newest_luis
    assert [q.brief.id for q in luis.quotes] == newest_luis
    figure_briefs = [f.brief.id for f in luis.figures]
    assert figure_briefs == sorted(figure_briefs, reverse=True)
    assert len(figure_briefs) == PER_OTHER_CARD
    assert set(figure_briefs) <= set(newest_luis)
    assert (ana.mentions, luis.mentions, ana.role, luis.role) == (
        14,
        5,
        "Ana role 13",
        "Luis role 12",
    )


async def test_cards_read_together_keep_scopes_apart(store: SqliteBriefStore) -> None:
    await _add(store, 1, (_torres("Ana", 1), _torres("Luis", 1)), None)
    await _add(store, 2, (_torres("Ana", 2), _torres("Luis", 2)), 7)
    global_cards = await store.who("torres", guild_id=None)
    guild_cards = await store.who("torres", guild_id=7)
    other_guild = await store.who("torres", guild_id=8)
    assert [len(c.quotes) for c in global_cards] == [1, 1]
    assert [len(c.quotes) for c in guild_cards] == [2, 2]
    assert [c.role for c in guild_cards] == ["Ana role 2", "Luis role 2"]
    assert [c.role for c in other_guild] == ["Ana role 1", "Luis role 1"]
    assert [c.mentions for c in other_guild] == [1, 1]
    typo = await store.who("Luis Torrez", guild_id=7)
    assert (typo[0].name, typo[0].match, typo[0].mentions) == ("Luis Torres", "fuzzy", 2)
    assert (await store.who("Luis Torrez", guild_id=None))[0].mentions == 1


async def test_many_matches_in_one_call(store: SqliteBriefStore) -> None:
    people = tuple(
        Person(f"Name{i:03d} Shared", mentions=(f"Name{i:03d} Shared spoke.",)) for i in range(150)
    )
    await store.add("t", make_brief(people=people, figures=()), guild_id=None, source=None)
    cards = await store.who("shared", guild_id=None, limit=150)
    assert len(cards) == 150
    assert all(len(c.quotes) == 1 and c.quotes[0].quote.speaker == c.name for c in cards)

"""One person across briefs, on invented articles (tests/data/identity) built by the extractor."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from briefs.extract import build_brief
from briefs.model import Person
from storage.store import LibraryStore
from tests.storage.factory import make_brief

ARTICLES = Path(__file__).resolve().parents[1] / "data" / "identity" / "articles"
STRIKE, CUP, GOVERNOR, FERRY = (
    "01_arden_dock_strike.txt",
    "02_arden_cup_final.txt",
    "03_westmark_governor.txt",
    "04_arden_ferry_fares.txt",
)


async def _add(store: LibraryStore, name: str, guild_id: int | None = None) -> int:
    text = (ARTICLES / name).read_text(encoding="utf-8")
    result = await store.add(text, build_brief(text, name), guild_id=guild_id, source=name)
    return result.brief.id


@pytest.fixture
async def ids(store: LibraryStore) -> dict[str, int]:
    return {name: await _add(store, name) for name in (STRIKE, CUP, GOVERNOR, FERRY)}


async def test_short_and_long_forms_of_a_name_are_one_card(store, ids) -> None:
    for query in ("whitlock", "Pam Whitlock", "pamela whitlock", "PAMELA", "whitlok"):
        (card,) = await store.who(query, guild_id=None)
        assert card.name == "Pam Whitlock"  # two briefs each: the newest spelling wins the tie
    assert card.aliases == ("Pamela Whitlock",)
    assert {b.id for b in card.briefs} == set(ids.values())
    names = [c.value for c in await store.complete_names("whit", guild_id=None)]
    assert names == ["Pam Whitlock"]


async def test_two_people_sharing_a_surname_are_two_cards(store, ids) -> None:
    cards = await store.who("lindqvist", guild_id=None)
    assert sorted(c.name for c in cards) == ["Carlos Lindqvist", "Maria Lindqvist"]
    by_name = {c.name: c for c in cards}
    assert by_name["Carlos Lindqvist"].role == "coach"
    assert {q.brief.id for q in by_name["Carlos Lindqvist"].quotes} == {ids[CUP]}
    assert {q.brief.id for q in by_name["Maria Lindqvist"].quotes} == {ids[STRIKE], ids[GOVERNOR]}
    labels = [c.label for c in await store.complete_names("lindq", guild_id=None)]
    assert sorted(labels) == ["Carlos Lindqvist — coach", "Maria Lindqvist — leader"]


async def test_role_history_in_date_order(store, ids) -> None:
    (card,) = await store.who("whitlock", guild_id=None)
    assert (card.role, card.roles[0].role) == ("Governor", "Governor")
    newest = [span.days[0] for span in card.roles]
    assert newest == sorted(newest, reverse=True)
    assert all(list(s.days) == sorted(s.days, reverse=True) for s in card.roles)
    mayor = next(s for s in card.roles if s.role == "Mayor of Arden")
    assert mayor.days == (dt.date(2025, 11, 12), dt.date(2025, 11, 3))


async def test_quotes_from_every_brief_newest_first(store, ids) -> None:
    (card,) = await store.who("whitlock", guild_id=None)
    assert {q.brief.id for q in card.quotes} == set(ids.values())
    days = [q.brief.published for q in card.quotes]
    assert days == sorted(days, reverse=True)
    assert card.quotes[0].quote.text.startswith("Westmark cannot grow")


async def test_figures_are_those_about_the_person(store, ids) -> None:
    (maria,) = [c for c in await store.who("lindqvist", guild_id=None) if c.name.startswith("M")]
    values = {f.figure.value for f in maria.figures}
    assert "About 1,200" in values
    assert "40" not in values  # a figure of the same brief, about ships, not about her


async def test_removing_a_brief_updates_the_card(store, ids) -> None:
    assert await store.remove(ids[GOVERNOR], guild_id=None)
    (card,) = await store.who("whitlock", guild_id=None)
    assert card.role == "Mayor of Arden"
    assert "Governor" not in {s.role for s in card.roles}
    assert ids[GOVERNOR] not in {q.brief.id for q in card.quotes} | {b.id for b in card.briefs}
    assert await store.remove(ids[CUP], guild_id=None)
    assert [c.name for c in await store.who("lindqvist", guild_id=None)] == ["Maria Lindqvist"]
    assert await store.who("carlos", guild_id=None) == []


async def test_related_briefs_share_people_within_60_days_strongest_first(store, ids) -> None:
    related = await store.related(ids[STRIKE], guild_id=None)
    assert [r.brief.id for r in related] == [ids[FERRY], ids[CUP]]  # the governor: 109 days on
    assert "Pamela Whitlock" in related[0].shared
    guild_brief = await _add(store, CUP, guild_id=7)
    assert guild_brief not in {r.brief.id for r in await store.related(ids[GOVERNOR], guild_id=8)}


G1, G2 = 101, 202
COACH = Person(
    "Maria Lindqvist", role="goalkeeping coach", mentions=("Maria Lindqvist coached 9 games.",)
)


async def test_scopes_keep_identities_apart(store: LibraryStore) -> None:
    strike = await _add(store, STRIKE)  # the union leader, global
    coach_brief = make_brief("Keepers train in Arden", people=(COACH,), quotes=(), figures=())
    coach_brief = dataclasses.replace(coach_brief, published=dt.date(2025, 11, 4))
    await store.add("coach", coach_brief, guild_id=G1, source=None)
    assert len(await store.who("maria lindqvist", guild_id=G1)) == 2  # a coach is not her
    (global_card,) = await store.who("maria lindqvist", guild_id=None)
    assert [b.id for b in global_card.briefs] == [strike]
    assert global_card.role == "leader"
    (other,) = await store.who("maria lindqvist", guild_id=G2)
    assert "goalkeeping coach" not in {s.role for s in other.roles}


async def test_a_guild_person_joins_the_global_one_when_a_global_brief_names_them(
    store: LibraryStore,
) -> None:
    mine = await _add(store, FERRY, guild_id=G1)
    shared = await _add(store, STRIKE)
    (card,) = await store.who("whitlock", guild_id=G1)
    assert {b.id for b in card.briefs} == {mine, shared}
    (seen_globally,) = await store.who("whitlock", guild_id=None)
    assert [b.id for b in seen_globally.briefs] == [shared]
    assert await store.who("reyes", guild_id=None) == []

"""Search and find: stop-words, and ranking over the newest matches of a very common word."""

from __future__ import annotations

import pytest

from storage import search
from storage.sqlite import SqliteBriefStore
from tests.storage.factory import make_brief


async def _add(store: SqliteBriefStore, headline: str, body: str, guild: int | None = None) -> int:
    brief = make_brief(headline, body=body, analysis="A long dispute.")
    result = await store.add(headline + body, brief, guild_id=guild, source=None)
    return result.brief.id


async def test_stop_words_are_dropped_when_other_words_remain(store: SqliteBriefStore) -> None:
    harbour = await _add(store, "Harbour strike ends", "Dockers stopped work.")
    await _add(store, "Tariffs on steel", "The price of steel rose.")
    hits = await store.search("the strike of the harbour", guild_id=None)
    assert [h.brief.id for h in hits] == [harbour]
    assert [h.brief.id for h in await store.search("The Harbour", guild_id=None)] == [harbour]


async def test_a_query_of_stop_words_only_still_answers(store: SqliteBriefStore) -> None:
    await _add(store, "Harbour strike ends", "Dockers stopped work.")
    steel = await _add(store, "Tariffs on steel", "The price of steel rose.")
    assert len(await store.search("the", guild_id=None)) == 2  # every highlight has "The"
    assert [h.brief.id for h in await store.search("of", guild_id=None)] == [steel]
    assert [h.brief.id for h in await store.search("which of", guild_id=None)] == [steel]
    assert await store.search("which", guild_id=None) == []


async def test_find_ignores_stop_words_in_headline_words(store: SqliteBriefStore) -> None:
    harbour = await _add(store, "Harbour strike ends", "Dockers stopped work.")
    await _add(store, "The tariffs on steel", "Prices rose.")
    found = await store.find("the harbour strike", guild_id=None)
    assert found is not None
    assert found.ref.id == harbour


async def test_common_words_rank_the_newest_matches(
    store: SqliteBriefStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search, "RANK_WINDOW", 3)
    ids = [await _add(store, f"Report {i}", f"Harbour news number {i}.") for i in range(5)]
    headline = await _add(store, "Harbour report", "Dockers stopped work.")
    newest = await _add(store, "Report 9", "Harbour news again.")
    hits = await store.search("harbour", guild_id=None, limit=2)
    assert [h.brief.id for h in hits] == [headline, newest]
    assert len(await store.search("harbour", guild_id=None)) == len(ids) + 2  # limit > window


async def test_other_guilds_crowding_the_window_never_hide_a_scopes_briefs(
    store: SqliteBriefStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search, "RANK_WINDOW", 3)
    mine = [await _add(store, f"Harbour {i}", "Dockers stopped work.", guild=9) for i in range(2)]
    for i in range(5):
        await _add(store, f"Harbour elsewhere {i}", "Dockers stopped work.", guild=8)
    hits = await store.search("harbour", guild_id=9, limit=2)
    assert sorted(h.brief.id for h in hits) == mine
    found = await store.find("harbour", guild_id=9)
    assert found is not None
    assert found.ref.id in mine

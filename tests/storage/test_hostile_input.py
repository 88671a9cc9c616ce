"""User text never reaches SQL or FTS5 syntax: odd queries answer normally or come back empty."""

from __future__ import annotations

import pytest

from storage.sqlite import SqliteBriefStore
from tests.storage.factory import make_brief

HOSTILE = [
    '"',
    '""',
    "'",
    "AND",
    "OR",
    "NOT",
    "*",
    "NEAR(",
    "NEAR(bondi pam, 2)",
    "bondi OR",
    "bondi AND",
    "bondi*",
    "^bondi",
    "{headline}: bondi",
    "headline:bondi",
    "(bondi",
    "-bondi",
    "+",
    "%",
    "_",
    "\\",
    "'; DROP TABLE briefs; --",
    "\x00",
    "x" * 10_000,
    "bondi " * 2_000,
    "😀",
    "🇲🇽 bondi",
    "",
    "   ",
    "\n\t",
    "Ω≈ç√",
    "日本語",
    "#",
    "#-1",
    "#99999999999999999999999",
    "-1",
    "0",
]


@pytest.mark.parametrize("text", HOSTILE, ids=lambda t: repr(t[:20]))
async def test_every_text_query_answers_without_error(store: SqliteBriefStore, text: str) -> None:
    await store.add("t", make_brief(), guild_id=None, source=None)
    for guild_id in (None, 5):
        assert isinstance(await store.search(text, guild_id=guild_id), list)
        assert isinstance(await store.who(text, guild_id=guild_id), list)
        assert isinstance(await store.closest_names(text, guild_id=guild_id), list)
        await store.find(text, guild_id=guild_id)
        assert isinstance(await store.complete_names(text, guild_id=guild_id), list)
        assert isinstance(await store.complete_headlines(text, guild_id=guild_id), list)
        assert isinstance(await store.figures(guild_id=guild_id, topic=text), list)
        assert isinstance(await store.quotes(guild_id=guild_id, person=text), list)
    assert len(await store.latest(5, guild_id=None)) == 1


@pytest.mark.parametrize("text", ["bondi OR", "NEAR(bondi", '"bondi', "bondi*", "bondi AND mexico"])
async def test_operators_are_read_as_words(store: SqliteBriefStore, text: str) -> None:
    await store.add("t", make_brief("Bondi visits Mexico"), guild_id=None, source=None)
    assert len(await store.search(text, guild_id=None)) == 1


@pytest.mark.parametrize("text", ['"bondi', "bondi*", "(Bondi)", "  BONDI\n"])
async def test_punctuation_around_a_name_is_ignored(store: SqliteBriefStore, text: str) -> None:
    await store.add("t", make_brief(), guild_id=None, source=None)
    assert (await store.who(text, guild_id=None))[0].name == "Pam Bondi"


@pytest.mark.parametrize("brief_id", [-1, 0, 2**63, 2**70])
async def test_out_of_range_ids_are_just_not_found(store: SqliteBriefStore, brief_id: int) -> None:
    assert await store.get(brief_id, guild_id=None) is None
    assert await store.remove(brief_id, guild_id=None) is False
    assert await store.figures(guild_id=None, brief_id=brief_id) == []
    assert await store.quotes(guild_id=None, brief_id=brief_id) == []


async def test_stored_text_is_never_interpreted(store: SqliteBriefStore) -> None:
    brief = make_brief('\'); DROP TABLE briefs; -- "NEAR(" *', body="Robert'); DROP TABLE x;--")
    result = await store.add("evil", brief, guild_id=None, source="'; --")
    assert (await store.get(result.brief.id, guild_id=None)).brief == brief
    assert len(await store.search("drop table", guild_id=None)) == 1

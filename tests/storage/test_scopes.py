"""Scopes: global briefs are seen everywhere, a guild's briefs only by that guild."""

from __future__ import annotations

import dataclasses

import pytest

from briefs.model import Person
from storage.sqlite import SqliteBriefStore
from tests.storage.factory import PAM, make_brief

SECRET = Person(
    "Zelda Secretperson",
    role="informant",
    aliases=("Zelda Secret",),
    mentions=("Zelda Secretperson said 12 boats left.",),
)
G1, G2 = 111, 222


@pytest.fixture
async def scoped(store: SqliteBriefStore) -> dict[str, int]:
    """A global brief naming Pam Bondi and a guild-1 brief naming her and a secret person."""
    shared = await store.add("g", make_brief("Global harbour news"), guild_id=None, source="s")
    guild_pam = dataclasses.replace(
        PAM, role="guild-only Attorney General", aliases=("Guildalias Bondi",)
    )
    private = make_brief(
        "Private zeppelin plan", people=(guild_pam, SECRET), body="Zeppelin docks in 12 days."
    )
    mine = await store.add("p", private, guild_id=G1, source="s")
    return {"global": shared.brief.id, "private": mine.brief.id}


async def test_global_scope_sees_only_global(store: SqliteBriefStore, scoped) -> None:
    assert [r.id for r in await store.latest(10, guild_id=None)] == [scoped["global"]]
    assert len(await store.export(guild_id=None)) == 1


async def test_guild_sees_global_and_its_own(store: SqliteBriefStore, scoped) -> None:
    ids = [r.id for r in await store.latest(10, guild_id=G1)]
    assert ids == [scoped["private"], scoped["global"]]
    assert (await store.who("zelda", guild_id=G1))[0].name == "Zelda Secretperson"
    (pam,) = await store.who("bondi", guild_id=G1)
    assert pam.role == "guild-only Attorney General"
    assert pam.mentions == 4


@pytest.mark.parametrize("guild_id", [None, G2])
async def test_other_scopes_never_see_a_guilds_briefs_people_or_quotes(
    store: SqliteBriefStore, scoped, guild_id: int | None
) -> None:
    private = scoped["private"]
    assert private not in [r.id for r in await store.latest(10, guild_id=guild_id)]
    assert await store.get(private, guild_id=guild_id) is None
    assert await store.find(str(private), guild_id=guild_id) is None
    assert await store.find("zeppelin", guild_id=guild_id) is None
    assert await store.search("zeppelin", guild_id=guild_id) == []
    assert await store.complete_headlines("zep", guild_id=guild_id) == []
    assert private not in [s.ref.id for s in await store.export(guild_id=guild_id)]
    assert private not in [s.ref.id for s in await store.briefs_since(None, guild_id=guild_id)]
    for name in ("zelda", "Zelda Secretperson", "secretperson", "zelda secret", "zeldа"):
        assert await store.who(name, guild_id=guild_id) == []
    assert await store.who("Guildalias Bondi", guild_id=guild_id) == []
    assert await store.complete_names("zel", guild_id=guild_id) == []
    assert await store.complete_names("guildalias", guild_id=guild_id) == []
    assert "Zelda Secretperson" not in [
        c.value for c in await store.complete_names("", guild_id=guild_id)
    ]
    assert "Zelda Secretperson" not in await store.closest_names("zelda", guild_id=guild_id)
    assert await store.quotes(guild_id=guild_id, person="zelda") == []
    assert await store.quotes(guild_id=guild_id, brief_id=private) == []
    assert private not in {h.brief.id for h in await store.quotes(guild_id=guild_id)}
    assert await store.figures(guild_id=guild_id, brief_id=private) == []
    assert await store.figures(guild_id=guild_id, topic="zeppelin") == []
    assert private not in {h.brief.id for h in await store.figures(guild_id=guild_id)}
    (pam,) = await store.who("bondi", guild_id=guild_id)
    assert pam.role == "Attorney General"
    assert "Guildalias Bondi" not in pam.aliases
    assert pam.mentions == 2
    assert {b.id for b in pam.briefs} == {scoped["global"]}
    assert {q.brief.id for q in pam.quotes} == {scoped["global"]}
    assert {f.brief.id for f in pam.figures} == {scoped["global"]}


async def test_a_guild_cannot_remove_global_or_another_guilds_briefs(
    store: SqliteBriefStore, scoped
) -> None:
    assert await store.remove(scoped["global"], guild_id=G1) is False
    assert await store.remove(scoped["private"], guild_id=G2) is False
    assert await store.remove(scoped["private"], guild_id=None) is False
    assert await store.remove(scoped["private"], guild_id=G1) is True
    assert await store.remove(scoped["global"], guild_id=None) is True


async def test_the_same_source_in_two_scopes_does_not_replace(store: SqliteBriefStore) -> None:
    await store.add("one", make_brief("One"), guild_id=G1, source="https://x.test/a")
    result = await store.add("two", make_brief("Two"), guild_id=G2, source="https://x.test/a")
    assert result.status == "added"
    assert [r.headline for r in await store.latest(5, guild_id=G1)] == ["One"]

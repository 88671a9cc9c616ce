"""Guilds that met a person before any global brief: the global brief makes their people one."""

from __future__ import annotations

from briefs.model import Person
from storage.store import LibraryStore
from tests.storage.factory import make_brief


def _pam(sentence: str) -> Person:
    return Person("Pam Bondi", "Attorney General", "Justice Department", (), (sentence,))


async def test_a_global_brief_joins_the_guilds_people_and_keeps_their_briefs(
    store: LibraryStore,
) -> None:
    first = await store.add(
        "guild one", make_brief("One", people=(_pam("Pam Bondi spoke."),)), guild_id=1, source=None
    )
    second = await store.add(
        "guild two", make_brief("Two", people=(_pam("Pam Bondi said."),)), guild_id=2, source=None
    )
    (one,) = await store.who("bondi", guild_id=1)
    (two,) = await store.who("bondi", guild_id=2)
    assert one.id != two.id  # each guild's own person so far

    both = await store.add(
        "global", make_brief("All", people=(_pam("Pam Bondi added."),)), guild_id=None, source=None
    )
    for guild, own in ((1, first), (2, second)):
        (card,) = await store.who("bondi", guild_id=guild)
        assert {b.id for b in card.briefs} == {own.brief.id, both.brief.id}
    (one_after,) = await store.who("bondi", guild_id=1)
    (two_after,) = await store.who("bondi", guild_id=2)
    assert one_after.id == two_after.id  # one person now

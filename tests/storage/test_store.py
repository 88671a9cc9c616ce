"""Every BriefStore method on a real SQLite library."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from briefs.model import Person, Quote
from storage.sqlite import SqliteBriefStore
from tests.storage.conftest import START
from tests.storage.factory import ENRIQUE, OMAR, PAM, make_brief


async def test_add_then_get_returns_the_same_brief(store: SqliteBriefStore) -> None:
    brief = make_brief(source="https://example.com/a")
    result = await store.add("text", brief, guild_id=None, source="https://example.com/a")
    assert result.status == "added"
    stored = await store.get(result.brief.id, guild_id=None)
    assert stored is not None
    assert stored.brief == brief
    assert stored.ref == result.brief
    assert stored.ref.ingested_at.tzinfo == dt.UTC
    assert stored.ref.source_url == "https://example.com/a"


async def test_same_text_in_same_scope_is_a_duplicate_and_writes_nothing(
    store: SqliteBriefStore,
) -> None:
    first = await store.add("same text", make_brief(), guild_id=None, source="a.txt")
    again = await store.add("same text", make_brief("Other"), guild_id=None, source="b.txt")
    assert again.status == "duplicate"
    assert again.brief == first.brief
    assert len(await store.export(guild_id=None)) == 1
    elsewhere = await store.add("same text", make_brief(), guild_id=7, source="a.txt")
    assert elsewhere.status == "added"


async def test_same_source_with_changed_text_replaces_the_brief(store: SqliteBriefStore) -> None:
    old = await store.add("v1", make_brief("Old headline"), guild_id=None, source="feed/1")
    new = await store.add("v2", make_brief("New headline"), guild_id=None, source="feed/1")
    assert new.status == "replaced"
    assert new.brief.id != old.brief.id
    assert await store.get(old.brief.id, guild_id=None) is None
    assert [r.headline for r in await store.latest(5, guild_id=None)] == ["New headline"]
    assert await store.search("old", guild_id=None) == []
    cards = await store.who("bondi", guild_id=None)
    assert [b.id for b in cards[0].briefs] == [new.brief.id]
    assert cards[0].mentions == 2
    back = await store.add("v1", make_brief("Old headline"), guild_id=None, source="feed/1")
    assert back.status == "replaced"


async def test_no_source_never_replaces(store: SqliteBriefStore) -> None:
    await store.add("one", make_brief("One"), guild_id=None, source=None)
    result = await store.add("two", make_brief("Two"), guild_id=None, source=None)
    assert result.status == "added"
    assert len(await store.latest(10, guild_id=None)) == 2


async def test_latest_is_newest_first_and_bounded(store: SqliteBriefStore) -> None:
    for i in range(5):
        await store.add(f"t{i}", make_brief(f"Headline {i}"), guild_id=None, source=None)
    refs = await store.latest(3, guild_id=None)
    assert [r.headline for r in refs] == ["Headline 4", "Headline 3", "Headline 2"]
    assert refs[0].ingested_at > refs[1].ingested_at
    assert await store.latest(0, guild_id=None) == []


async def test_ingestion_times_stay_in_id_order_when_the_clock_goes_back(
    store: SqliteBriefStore, clock
) -> None:
    await store.add("a", make_brief("A"), guild_id=None, source=None)
    clock.current -= dt.timedelta(days=1)
    await store.add("b", make_brief("B"), guild_id=None, source=None)
    newest, older = await store.latest(2, guild_id=None)
    assert newest.headline == "B"
    assert newest.ingested_at >= older.ingested_at


@pytest.mark.parametrize(
    ("query", "expected_match"),
    [
        ("Pam Bondi", "exact"),
        ("pam bondi", "exact"),
        ("PAM BONDI", "exact"),
        ("Pamela Bondi", "exact"),
        ("bondi", "surname"),
        ("BONDI", "surname"),
        ("pam", "prefix"),
        ("bond", "prefix"),
        ("bondy", "fuzzy"),
        ("pam bondy", "fuzzy"),
    ],
)
async def test_who_finds_pam_bondi(store: SqliteBriefStore, query: str, expected_match) -> None:
    await store.add("text", make_brief(), guild_id=None, source=None)
    cards = await store.who(query, guild_id=None)
    assert cards[0].name == "Pam Bondi"
    assert cards[0].match == expected_match


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("harfuch", "Omar García Harfuch"),
        ("garcia", "Omar García Harfuch"),
        ("García Harfuch", "Omar García Harfuch"),
        ("garcia harfuch", "Omar García Harfuch"),
        ("omar garcia harfuch", "Omar García Harfuch"),
        ("pena", "Enrique Peña Nieto"),
        ("peña nieto", "Enrique Peña Nieto"),
    ],
)
async def test_who_is_accent_tolerant(store: SqliteBriefStore, query: str, name: str) -> None:
    await store.add("text", make_brief(people=(PAM, OMAR, ENRIQUE)), guild_id=None, source=None)
    assert (await store.who(query, guild_id=None))[0].name == name


async def test_one_person_across_briefs_with_latest_role_and_every_mention(
    store: SqliteBriefStore,
) -> None:
    ids = []
    for i in range(10):
        pam = dataclasses.replace(PAM, role=f"role {i}", mentions=(f"Pam Bondi spoke {i}.",))
        result = await store.add(
            f"t{i}", make_brief(f"H{i}", people=(pam,)), guild_id=None, source=None
        )
        ids.append(result.brief.id)
    (card,) = await store.who("bondi", guild_id=None)
    assert card.mentions == 10
    assert card.role == "role 9"
    assert card.organization == "Justice Department"
    assert [b.id for b in card.briefs] == sorted(ids, reverse=True)
    assert [q.brief.id for q in card.quotes] == sorted(ids, reverse=True)
    assert "Pamela Bondi" in card.aliases


async def test_who_card_has_quotes_and_figures_from_sentences_naming_the_person(
    store: SqliteBriefStore,
) -> None:
    await store.add("text", make_brief(), guild_id=None, source=None)
    (card,) = await store.who("Omar García Harfuch", guild_id=None)
    assert card.role == "Security Secretary"
    assert [f.figure.value for f in card.figures] == ["4"]
    assert [q.quote.speaker for q in card.quotes] == ["Omar García Harfuch"]
    (pam,) = await store.who("Pam Bondi", guild_id=None)
    assert [f.figure.value for f in pam.figures] == ["37"]


async def test_several_matches_come_back_ranked(store: SqliteBriefStore) -> None:
    people = (
        Person("Ana Torres"),
        Person("Luis Torres Ana"),
        Person("Anabel Ruiz"),
    )
    await store.add("text", make_brief(people=people, quotes=()), guild_id=None, source=None)
    cards = await store.who("ana", guild_id=None)
    assert [(c.name, c.match) for c in cards] == [
        ("Luis Torres Ana", "surname"),
        ("Ana Torres", "prefix"),
        ("Anabel Ruiz", "prefix"),
    ]


async def test_who_unknown_name_is_empty_and_closest_names_suggests(
    store: SqliteBriefStore,
) -> None:
    await store.add("text", make_brief(), guild_id=None, source=None)
    assert await store.who("Zebulon Quartz", guild_id=None) == []
    assert await store.closest_names("bandi", guild_id=None) == ["Pam Bondi"]
    assert await store.closest_names("", guild_id=None) == []


async def test_quotes_of_a_person_of_a_brief_and_latest(store: SqliteBriefStore) -> None:
    first = await store.add("a", make_brief("First"), guild_id=None, source=None)
    second = await store.add("b", make_brief("Second", people=(OMAR,)), guild_id=None, source=None)
    by_pam = await store.quotes(guild_id=None, person="bondi")
    assert [(h.quote.speaker, h.brief.id) for h in by_pam] == [("Pam Bondi", first.brief.id)]
    of_first = await store.quotes(guild_id=None, brief_id=first.brief.id)
    assert [h.quote.speaker for h in of_first] == ["Pam Bondi", "Omar García Harfuch"]
    latest = await store.quotes(guild_id=None, limit=2)
    assert [h.brief.id for h in latest] == [second.brief.id, first.brief.id]
    assert await store.quotes(guild_id=None, person="nobody at all") == []


async def test_unattributed_and_organisation_quotes_are_kept(store: SqliteBriefStore) -> None:
    quotes = (
        Quote("No comment", None, "unknown", True, "A spokesman said “no comment”."),
        Quote("We deny it", "Justice Department", "organization", False, "It said it."),
    )
    result = await store.add("t", make_brief(quotes=quotes), guild_id=None, source=None)
    hits = await store.quotes(guild_id=None, brief_id=result.brief.id)
    assert [h.quote for h in hits] == list(quotes)


async def test_figures_of_latest_of_a_brief_and_of_a_topic(store: SqliteBriefStore) -> None:
    first = await store.add("a", make_brief("Tariffs on steel"), guild_id=None, source=None)
    await store.add(
        "b", make_brief("Harbour strike", body="Dockers stopped."), guild_id=None, source=None
    )
    latest = await store.figures(guild_id=None)
    assert {h.brief.headline for h in latest} == {"Harbour strike"}
    assert [h.figure.value for h in latest] == ["37", "4", "50%"]
    of_first = await store.figures(guild_id=None, brief_id=first.brief.id)
    assert {h.brief.id for h in of_first} == {first.brief.id}
    topic = await store.figures(guild_id=None, topic="steel")
    assert {h.brief.headline for h in topic} == {"Tariffs on steel"}
    assert await store.figures(guild_id=None, topic="volcano") == []
    assert len(await store.figures(guild_id=None, brief_id=first.brief.id, limit=1)) == 1


async def test_search_ranks_headline_matches_first_with_a_snippet(store: SqliteBriefStore) -> None:
    body = await store.add(
        "a", make_brief("Harbour news", body="Steel prices rose."), guild_id=None, source=None
    )
    head = await store.add("b", make_brief("Steel tariffs announced"), guild_id=None, source=None)
    hits = await store.search("steel", guild_id=None)
    assert [h.brief.id for h in hits] == [head.brief.id, body.brief.id]
    assert "**Steel**" in hits[0].snippet
    assert hits[0].rank >= hits[1].rank


async def test_search_folds_accents_and_falls_back_to_any_word(store: SqliteBriefStore) -> None:
    await store.add("a", make_brief("Peña Nieto returns"), guild_id=None, source=None)
    assert len(await store.search("pena", guild_id=None)) == 1
    assert len(await store.search("PEÑA", guild_id=None)) == 1
    assert len(await store.search("peña zzzunknown", guild_id=None)) == 1


async def test_find_by_id_hash_id_and_headline_words(store: SqliteBriefStore) -> None:
    a = await store.add("a", make_brief("Steel tariffs announced"), guild_id=None, source=None)
    b = await store.add("b", make_brief("Harbour strike ends"), guild_id=None, source=None)
    assert (await store.find(str(a.brief.id), guild_id=None)).ref.id == a.brief.id
    assert (await store.find(f"#{b.brief.id}", guild_id=None)).ref.id == b.brief.id
    assert (await store.find("harbour STRIKE", guild_id=None)).ref.id == b.brief.id
    assert (await store.find("tariffs", guild_id=None)).ref.id == a.brief.id
    assert await store.find("#999", guild_id=None) is None
    assert await store.find("nothing like this", guild_id=None) is None


async def test_briefs_since_a_cursor_newest_first(store: SqliteBriefStore) -> None:
    refs = [
        (await store.add(f"t{i}", make_brief(f"H{i}"), guild_id=None, source=None)).brief
        for i in range(4)
    ]
    since = await store.briefs_since(refs[1].ingested_at, guild_id=None)
    assert [s.ref.id for s in since] == [refs[3].id, refs[2].id]
    assert len(await store.briefs_since(None, guild_id=None)) == 4
    assert len(await store.briefs_since(None, guild_id=None, limit=1)) == 1
    assert await store.briefs_since(START + dt.timedelta(days=1), guild_id=None) == []


async def _names(store: SqliteBriefStore, prefix: str, **kw) -> list[str]:
    return [c.value for c in await store.complete_names(prefix, guild_id=None, **kw)]


async def test_complete_names_by_any_word(store: SqliteBriefStore) -> None:
    await store.add("t", make_brief(people=(PAM, OMAR, ENRIQUE)), guild_id=None, source=None)
    assert await _names(store, "pa") == ["Pam Bondi"]
    assert await _names(store, "Harf") == ["Omar García Harfuch"]
    assert await _names(store, "pe") == ["Enrique Peña Nieto"]
    assert set(await _names(store, "")) == {
        "Pam Bondi",
        "Omar García Harfuch",
        "Enrique Peña Nieto",
    }
    assert await _names(store, "x") == []
    assert await _names(store, "p", limit=1) == ["Pam Bondi"]


async def test_complete_headlines_by_word_prefix_newest_first(store: SqliteBriefStore) -> None:
    a = await store.add("a", make_brief("Steel tariffs announced"), guild_id=None, source=None)
    b = await store.add("b", make_brief("Stellar harbour year"), guild_id=None, source=None)
    assert [r.id for r in await store.complete_headlines("ste", guild_id=None)] == [
        b.brief.id,
        a.brief.id,
    ]
    assert [r.id for r in await store.complete_headlines("tarif", guild_id=None)] == [a.brief.id]
    assert [r.id for r in await store.complete_headlines("steel tar", guild_id=None)] == [
        a.brief.id
    ]
    assert [r.id for r in await store.complete_headlines("", guild_id=None, limit=1)] == [
        b.brief.id
    ]


async def test_remove_deletes_the_brief_and_forgets_people_named_nowhere_else(
    store: SqliteBriefStore,
) -> None:
    a = await store.add("a", make_brief("Alpha", people=(PAM, OMAR)), guild_id=None, source="s")
    await store.add("b", make_brief("B", people=(PAM,)), guild_id=None, source=None)
    assert await store.remove(a.brief.id, guild_id=None) is True
    assert await store.remove(a.brief.id, guild_id=None) is False
    assert await store.get(a.brief.id, guild_id=None) is None
    assert await store.who("harfuch", guild_id=None) == []
    assert (await store.who("bondi", guild_id=None))[0].mentions == 2
    assert await store.search("alpha", guild_id=None) == []
    again = await store.add("a", make_brief("Alpha"), guild_id=None, source="s")
    assert again.status == "added"


async def test_export_is_everything_oldest_first(store: SqliteBriefStore) -> None:
    briefs = [make_brief(f"H{i}") for i in range(3)]
    for i, brief in enumerate(briefs):
        await store.add(f"t{i}", brief, guild_id=None, source=None)
    exported = await store.export(guild_id=None)
    assert [s.brief for s in exported] == briefs


async def test_close_is_idempotent_and_later_calls_raise_a_domain_error(db_path) -> None:
    from briefs.errors import StorageError

    library = await SqliteBriefStore.open(db_path)
    await library.close()
    await library.close()
    with pytest.raises(StorageError):
        await library.latest(1, guild_id=None)


async def test_reopening_keeps_everything(db_path, clock) -> None:
    library = await SqliteBriefStore.open(db_path, clock=clock)
    added = await library.add("t", make_brief(), guild_id=None, source=None)
    await library.close()
    library = await SqliteBriefStore.open(db_path, clock=clock)
    try:
        assert (await library.get(added.brief.id, guild_id=None)).brief == make_brief()
    finally:
        await library.close()


async def test_latest_is_by_publication_date_newest_first(store) -> None:
    import datetime as dt

    def dated(headline: str, published: dt.date | None):
        return dataclasses.replace(make_brief(headline), published=published)

    await store.add(
        "a", dated("Published in March", dt.date(2026, 3, 1)), guild_id=None, source=None
    )
    await store.add(
        "b", dated("Published in January", dt.date(2026, 1, 1)), guild_id=None, source=None
    )
    await store.add(
        "c", dated("Published in February", dt.date(2026, 2, 1)), guild_id=None, source=None
    )
    latest = await store.latest(10, guild_id=None)
    assert [r.headline for r in latest] == [
        "Published in March",
        "Published in February",
        "Published in January",
    ]

"""Feed deliveries and their queued items (issue 14), on SQLite and on PostgreSQL.

DeliveryStore and the channel side of SourcesStore: queueing in the entry's transaction, the
backlog, one article once per channel, claims, revisions, and seen() over a long feed."""

from __future__ import annotations

import datetime as dt

import pytest

from briefs.errors import AlreadySubscribed, NotFound
from briefs.sources.changes import Shown
from briefs.sources.delivery import DeliveryOptions
from briefs.sources.feeds import FeedEntry, FeedSource
from briefs.sources.filters import ItemFilter
from storage.deliveries import DeliveryStore
from storage.sources import SourcesStore
from storage.store import LibraryStore
from tests.storage.factory import numbered_brief

NOW = dt.datetime(2026, 1, 21, 12, 0, tzinfo=dt.UTC)
GUILD = 111
OTHER = 222
CHANNEL = 555
SECOND = 556
BIG = 2**62  # Discord ids are 64-bit


def entry(n: int, *, day: int | None = None, updated: str | None = None) -> FeedEntry:
    published = None if day is None else dt.datetime(2026, 1, day, 8, tzinfo=dt.UTC)
    return FeedEntry(f"e{n}", f"https://news.example/a/{n}", f"T{n}", published, updated=updated)


@pytest.fixture
def sources(store: LibraryStore) -> SourcesStore:
    return SourcesStore(store)


@pytest.fixture
def deliveries(store: LibraryStore) -> DeliveryStore:
    return DeliveryStore(store)


async def _feed(sources: SourcesStore, name: str = "rss") -> FeedSource:
    return await sources.add_feed(
        f"https://news.example/{name}", guild_id=GUILD, interval=15, added_by=None, now=NOW
    )


async def _take(sources: SourcesStore, feed: FeedSource, e: FeedEntry, n: int) -> int:
    text, brief = numbered_brief(n)
    result = await sources.ingest_entry(
        feed, e, text, brief, sha256=f"sha{n}", now=NOW, image=f"https://img/{n}.jpg"
    )
    return result.brief.id


async def test_a_delivery_queues_the_newest_entries_as_its_backlog(sources, deliveries) -> None:
    feed = await _feed(sources)
    for n, day in ((1, 10), (2, None), (3, 12), (4, 11)):
        await _take(sources, feed, entry(n, day=day), n)
    await sources.skip_entry(feed.id, entry(5, day=13), reason="too large", now=NOW)
    options = DeliveryOptions(ItemFilter(("mexico",), ("sport",)), mention_role_id=BIG, thread=True)
    made = await deliveries.add(
        feed.id, guild_id=GUILD, channel_id=BIG + 1, options=options, backlog=2,
        created_by=BIG + 2, now=NOW,
    )  # fmt: skip
    assert (made.guild_id, made.channel_id, made.options, made.backlog) == (
        GUILD, BIG + 1, options, 2
    )  # fmt: skip
    assert made.feed_url == feed.url
    assert made.created_by == BIG + 2
    due = await deliveries.due(now=NOW)
    assert [i.entry_id for i in due] == ["e4", "e3"]  # the newest two with a brief, oldest first
    assert due[1].image == "https://img/3.jpg"
    assert due[1].title == "T3"
    assert due[1].published == dt.datetime(2026, 1, 12, 8, tzinfo=dt.UTC)
    newest = await deliveries.newest(made)
    assert newest is not None
    assert newest.entry_id == "e3"
    with pytest.raises(AlreadySubscribed):
        await deliveries.add(
            feed.id, guild_id=GUILD, channel_id=BIG + 1, options=DeliveryOptions(), backlog=0,
            created_by=None, now=NOW,
        )  # fmt: skip
    assert [d.id for d in await deliveries.in_guild(GUILD)] == [made.id]
    assert [d.id for d in await deliveries.of_feed(feed.id)] == [made.id]
    with pytest.raises(NotFound):
        await deliveries.get(OTHER, made.id)


async def test_new_entries_are_queued_once_per_channel(sources, deliveries) -> None:
    first, second = await _feed(sources, "a"), await _feed(sources, "b")
    for feed in (first, second):
        await deliveries.add(
            feed.id, guild_id=GUILD, channel_id=CHANNEL, options=DeliveryOptions(), backlog=0,
            created_by=None, now=NOW,
        )  # fmt: skip
    await deliveries.add(
        first.id, guild_id=GUILD, channel_id=SECOND, options=DeliveryOptions(), backlog=0,
        created_by=None, now=NOW,
    )  # fmt: skip
    brief_id = await _take(sources, first, entry(1, day=10), 1)
    # the same article through the second feed: a duplicate, queued but not twice per channel
    await sources.skip_entry(
        second.id, entry(1, day=10), reason="duplicate", now=NOW, brief_id=brief_id
    )
    due = await deliveries.due(now=NOW)
    assert sorted((i.delivery.channel_id, i.brief_id) for i in due) == [
        (CHANNEL, brief_id), (SECOND, brief_id)
    ]  # fmt: skip


async def test_items_are_claimed_once_and_recorded(store, sources, deliveries) -> None:
    feed = await _feed(sources)
    made = await deliveries.add(
        feed.id, guild_id=GUILD, channel_id=CHANNEL, options=DeliveryOptions(), backlog=0,
        created_by=None, now=NOW,
    )  # fmt: skip
    for n in range(1, 5):
        await _take(sources, feed, entry(n, day=10 + n), n)
    assert len(await deliveries.due(now=NOW, per_channel=3)) == 3
    first, second, third, fourth = await deliveries.due(now=NOW)
    assert await deliveries.claim(first.id, now=NOW)
    assert not await deliveries.claim(first.id, now=NOW)
    assert [i.id for i in await deliveries.claimed()] == [first.id]
    shown = Shown("Headline", ("a quote",), (("people", "37"),))
    await deliveries.record_posted(
        first, message_id=BIG, reply_channel=BIG + 1, shown=shown, publish=True, now=NOW
    )
    assert await deliveries.claimed() == []
    async with store.snapshot() as conn:
        queued = await conn.fetch("SELECT channel_id, message_id FROM publish_queue")
    assert [tuple(r) for r in queued] == [(CHANNEL, BIG)]
    assert await deliveries.claim(second.id, now=NOW)
    await deliveries.retry(second.id, not_before=NOW + dt.timedelta(minutes=5), error="503")
    await deliveries.record_failed(third.id, "missing access")
    await deliveries.record_filtered(fourth.id, "excluded: sport")
    assert await deliveries.counts(made.id) == {
        "posted": 1, "pending": 1, "failed": 1, "filtered": 1
    }  # fmt: skip
    assert await deliveries.due(now=NOW) == []
    (again,) = await deliveries.due(now=NOW + dt.timedelta(minutes=5))
    assert (again.id, again.attempts) == (second.id, 1)
    assert (await deliveries.get(GUILD, made.id)).last_post == NOW


async def test_a_revision_of_a_posted_item_awaits_its_reply(sources, deliveries) -> None:
    feed = await _feed(sources)
    await deliveries.add(
        feed.id, guild_id=GUILD, channel_id=CHANNEL, options=DeliveryOptions(), backlog=0,
        created_by=None, now=NOW,
    )  # fmt: skip
    old = await _take(sources, feed, entry(1, day=10, updated="v1"), 1)
    (item,) = await deliveries.due(now=NOW)
    assert await deliveries.claim(item.id, now=NOW)
    shown = Shown("Old headline")
    await deliveries.record_posted(
        item, message_id=9, reply_channel=9, shown=shown, publish=False, now=NOW
    )
    assert await deliveries.due(now=NOW) == []
    later = NOW + dt.timedelta(hours=1)
    text, brief = numbered_brief(2)
    revised = await sources.revise_entry(
        feed, entry(1, day=10, updated="v2"), text, brief, sha256="sha2", old_brief_id=old,
        now=later,
    )  # fmt: skip
    assert revised.brief.id != old
    assert await deliveries.due(now=NOW) == []  # not before the revision's time
    (again,) = await deliveries.due(now=later)
    assert (again.id, again.revised, again.brief_id, again.shown) == (
        item.id, True, revised.brief.id, shown
    )  # fmt: skip
    (seen,) = await sources.seen(feed.id, [entry(1)])
    assert (seen.brief_id, seen.fingerprint) == (revised.brief.id, "v2\nT1")
    await deliveries.defer(item.id, not_before=later + dt.timedelta(hours=1))
    assert await deliveries.due(now=later) == []
    await deliveries.record_reply(item.id, shown=Shown("New"), now=later, replied=False)
    assert await deliveries.claimed() == []
    assert await deliveries.due(now=later + dt.timedelta(hours=2)) == []
    await sources.touch_entry(feed.id, entry(1, updated="v3"))
    (seen,) = await sources.seen(feed.id, [entry(1)])
    assert seen.fingerprint == "v3\nT1"


async def test_errors_are_news_once_and_removal_takes_the_items(sources, deliveries) -> None:
    feed = await _feed(sources)
    made = await deliveries.add(
        feed.id, guild_id=GUILD, channel_id=CHANNEL, options=DeliveryOptions(), backlog=0,
        created_by=None, now=NOW,
    )  # fmt: skip
    assert await deliveries.set_error(made.id, "missing access")
    assert not await deliveries.set_error(made.id, "missing access")
    assert await deliveries.set_error(made.id, None)
    assert not await deliveries.set_error(made.id, None)
    edited = await deliveries.edit(GUILD, made.id, DeliveryOptions(thread=True))
    assert edited.options.thread
    with pytest.raises(NotFound):
        await deliveries.edit(OTHER, made.id, DeliveryOptions())
    await _take(sources, feed, entry(1, day=10), 1)
    await deliveries.remove(GUILD, made.id)
    assert await deliveries.in_guild(GUILD) == []
    assert await deliveries.due(now=NOW) == []
    again = await deliveries.add(
        feed.id, guild_id=GUILD, channel_id=CHANNEL, options=DeliveryOptions(), backlog=1,
        created_by=None, now=NOW,
    )  # fmt: skip
    assert len(await deliveries.due(now=NOW)) == 1
    await sources.remove_feed(feed.id, guild_id=GUILD)
    assert await deliveries.due(now=NOW) == []
    with pytest.raises(NotFound):
        await deliveries.get(GUILD, again.id)


async def test_seen_answers_for_a_long_feed_in_one_statement(sources) -> None:
    feed = await _feed(sources)
    history = [entry(n) for n in range(5_000)]
    await sources.mark_history(feed.id, history, now=NOW)
    await sources.mark_history(feed.id, history[:10], now=NOW)  # again: nothing doubles
    asked = [entry(n) for n in range(4_990, 5_010)]
    moved = FeedEntry("new-id", "https://news.example/a/3", "T3", None)  # a known link
    seen = await sources.seen(feed.id, [*asked, moved])
    assert sorted(s.entry_id for s in seen) == sorted(
        [f"e{n}" for n in range(4_990, 5_000)] + ["e3"]
    )
    assert all(s.brief_id is None and s.fingerprint == "\nT" + s.entry_id[1:] for s in seen)
    assert await sources.seen(feed.id, []) == []

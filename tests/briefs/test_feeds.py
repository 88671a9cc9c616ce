"""Feed parsing and picking new entries."""

from __future__ import annotations

import datetime as dt

import pytest

from briefs.errors import FetchRefused
from briefs.sources.feeds import FeedEntry, new_entries, parse_feed

URL = "https://news.example/feed.xml"


def rss(*items: tuple[str, str, str | None]) -> bytes:
    """An RSS 2.0 document with (guid, title, pubDate) items linking to /a/<guid>."""
    body = "".join(
        f"<item><guid>{g}</guid><title>{t}</title><link>https://news.example/a/{g}</link>"
        + (f"<pubDate>{d}</pubDate>" if d else "")
        + "</item>"
        for g, t, d in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Example News</title>{body}</channel></rss>"
    ).encode()


ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom News</title>
<entry><id>tag:news.example,2026:1</id><title>Older</title>
  <link href="https://news.example/older"/><updated>2026-01-20T10:00:00Z</updated></entry>
<entry><id>tag:news.example,2026:2</id><title>Newer</title>
  <link href="https://news.example/newer"/><updated>2026-01-21T09:30:00+01:00</updated></entry>
</feed>"""


def test_rss_entries_newest_first_with_aware_dates() -> None:
    feed = parse_feed(
        rss(
            ("1", "Old", "Mon, 19 Jan 2026 08:00:00 GMT"),
            ("3", "Newest", "Wed, 21 Jan 2026 08:00:00 GMT"),
            ("2", "Middle", "Tue, 20 Jan 2026 08:00:00 GMT"),
        ),
        url=URL,
    )
    assert feed.title == "Example News"
    assert [e.title for e in feed.entries] == ["Newest", "Middle", "Old"]
    assert feed.entries[0] == FeedEntry(
        id="3",
        link="https://news.example/a/3",
        title="Newest",
        published=dt.datetime(2026, 1, 21, 8, tzinfo=dt.UTC),
        updated="Wed, 21 Jan 2026 08:00:00 GMT",
    )


def test_atom_entries_convert_offsets_to_utc() -> None:
    feed = parse_feed(ATOM, url=URL)
    assert [e.id for e in feed.entries] == ["tag:news.example,2026:2", "tag:news.example,2026:1"]
    assert feed.entries[0].published == dt.datetime(2026, 1, 21, 8, 30, tzinfo=dt.UTC)
    assert feed.entries[0].link == "https://news.example/newer"


def test_undated_entries_keep_feed_order_after_dated_ones() -> None:
    feed = parse_feed(rss(("a", "A", None), ("b", "B", "Wed, 21 Jan 2026 08:00:00 GMT")), url=URL)
    assert [e.id for e in feed.entries] == ["b", "a"]


def test_entry_without_guid_uses_link_then_title() -> None:
    data = b'<rss version="2.0"><channel><item><title>Only title</title></item>' + (
        b"<item><title>T</title><link>https://news.example/x</link></item></channel></rss>"
    )
    ids = {e.title: e.id for e in parse_feed(data, url=URL).entries}
    assert ids["T"] == "https://news.example/x"
    assert ids["Only title"].startswith("title:")


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"\x00\x01 this is not xml <<<", "malformed feed"),
        (b"<rss><channel><title>cut off", "malformed feed"),
        (b"<html><body><p>A web page, not a feed.</p></body></html>", "not a feed"),
    ],
)
def test_malformed_or_not_a_feed_is_refused(data, reason) -> None:
    with pytest.raises(FetchRefused) as info:
        parse_feed(data, url=URL)
    assert info.value.reason == reason
    assert info.value.url == URL


def test_empty_but_valid_feed_has_no_entries() -> None:
    assert parse_feed(rss(), url=URL).entries == ()


def test_first_fetch_takes_only_the_newest() -> None:
    items = [(str(i), f"T{i}", f"Mon, {i + 1:02d} Jan 2026 08:00:00 GMT") for i in range(12)]
    feed = parse_feed(rss(*items), url=URL)
    fresh = new_entries(feed, seen_ids=set(), seen_links=set(), first=True)
    assert [e.id for e in fresh] == ["11", "10", "9", "8", "7"]
    assert len(new_entries(feed, seen_ids=set(), seen_links=set(), first=True, first_take=2)) == 2


def test_seen_ids_and_links_are_skipped() -> None:
    feed = parse_feed(rss(("1", "A", None), ("2", "B", None), ("3", "C", None)), url=URL)
    fresh = new_entries(feed, seen_ids={"1"}, seen_links={"https://news.example/a/2"}, first=False)
    assert [e.id for e in fresh] == ["3"]


def test_same_link_twice_in_one_feed_is_taken_once() -> None:
    data = (
        b'<rss version="2.0"><channel>'
        b"<item><guid>1</guid><title>A</title><link>https://news.example/a</link></item>"
        b"<item><guid>1-v2</guid><title>A</title><link>https://news.example/a</link></item>"
        b"</channel></rss>"
    )
    fresh = new_entries(parse_feed(data, url=URL), seen_ids=set(), seen_links=set(), first=False)
    assert [e.id for e in fresh] == ["1"]

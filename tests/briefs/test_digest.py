"""Digest composition: filters, cap, styles, empty digests and Discord's limits (golden files).

Regenerate the expected renders with `UPDATE_GOLDEN=1 pytest tests/briefs/test_digest.py`."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from briefs.digests.cards import card_length, parse_topics
from briefs.digests.compose import (
    EMBEDS_PER_MESSAGE,
    MESSAGE_EMBED_CHARS,
    NONCE_MAX,
    DigestOptions,
    compose,
    for_run,
    run_marker,
)
from briefs.errors import InvalidSchedule
from briefs.model import Brief, BriefRef, Figure, Person, Quote, StoredBrief

EXPECTED = Path(__file__).parents[1] / "data" / "expected"
SINCE = dt.datetime(2026, 5, 4, 6, 0, tzinfo=dt.UTC)


def stored(
    n: int,
    headline: str,
    *,
    source: str | None = None,
    highlights: tuple[str, ...] = (),
    body: str = "",
    people: tuple[Person, ...] = (),
    places: tuple[str, ...] = (),
    organizations: tuple[str, ...] = (),
    quotes: tuple[Quote, ...] = (),
    figures: tuple[Figure, ...] = (),
) -> StoredBrief:
    """A stored brief ingested `n` hours after SINCE."""
    published = dt.date(2026, 5, 4)
    brief = Brief(
        headline=headline,
        published=published,
        source=source,
        highlights=highlights,
        highlights_derived=False,
        sections=(),
        analysis="",
        body=body or " ".join(highlights),
        people=people,
        quotes=quotes,
        figures=figures,
        places=places,
        organizations=organizations,
    )
    ref = BriefRef(n, headline, published, source, SINCE + dt.timedelta(hours=n))
    return StoredBrief(ref, brief)


LIBRARY = [  # newest first, as the store answers
    stored(
        4,
        "Senate passes the water bill 37 to 12",
        source="https://news.example/water-bill",
        highlights=(
            "The Senate passed the water bill by 37 votes to 12.",
            "Farmers' groups welcomed the vote.",
            "The bill now goes to the lower house.",
            "A fourth highlight that the digest leaves out.",
        ),
        people=(Person("Maria Okafor", role="Senator"),),
        places=("Canberra",),
        quotes=(
            Quote("a fragment", "Maria Okafor", "person", True, "She called it a fragment."),
            Quote(
                "This bill keeps rivers alive.",
                "Maria Okafor",
                "person",
                False,
                "“This bill keeps rivers alive,” Okafor said.",
            ),
        ),
        figures=(
            Figure("37", 37, "count", "senators voted for the bill", "…"),
            Figure("12", 12, "count", "senators voted against", "…"),
            Figure("50%", 50, "percent", "of the basin's water", "…"),
            Figure("$2 billion", 2e9, "money", "in funding", "…", currency="USD"),
        ),
    ),
    stored(
        3,
        "Port strike enters its second week",
        source="Harbour Gazette, print edition",
        highlights=("Dock workers at Rotterdam stayed out for a seventh day.",),
        places=("Rotterdam",),
        organizations=("Dockers Union",),
    ),
    stored(
        2,
        "García Harfuch names new security chief",
        source="https://news.example/security",
        highlights=("Omar García Harfuch appointed a new deputy.", "The post had been vacant."),
        people=(Person("Omar García Harfuch", role="Security Secretary"),),
        places=("Mexico City",),
    ),
    stored(
        1,
        "Weather: a mild week ahead",
        highlights=("Temperatures stay near 20 degrees.",),
    ),
]


def render(digest) -> str:
    """A digest as stable JSON text, for golden files."""
    # Cards' optional timestamp and image (feed items) are left out while unset.
    data = dataclasses.asdict(
        digest,
        dict_factory=lambda pairs: {
            k: v for k, v in pairs if not (k in ("timestamp", "image") and v is None)
        },
    )
    return json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n"


def check_golden(name: str, digest) -> None:
    path = EXPECTED / f"{name}.json"
    text = render(digest)
    if os.environ.get("UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"{path} differs; UPDATE_GOLDEN=1 to accept"


@pytest.mark.parametrize(
    ("name", "options"),
    [
        ("digest_full", DigestOptions()),
        ("digest_compact", DigestOptions(style="compact")),
        ("digest_capped_full", DigestOptions(max_items=2)),
        ("digest_capped_compact", DigestOptions(max_items=2, style="compact")),
        ("digest_include_okafor", DigestOptions(include=("okafor",))),
        ("digest_nothing_new", DigestOptions(include=("volcano",), empty="post")),
    ],
)
def test_digest_renders_match_the_golden_files(name, options):
    check_golden(name, compose(LIBRARY, options, since=SINCE, tz="Europe/Paris"))


def test_a_full_digest_shows_each_brief_with_link_highlights_figures_and_one_quote():
    digest = compose(LIBRARY, DigestOptions(), since=SINCE, tz="Europe/Paris")
    (message,) = digest.messages
    assert message.content == "**Digest** — 4 new briefs since Mon 4 May, 08:00 (Europe/Paris)"
    first = message.cards[0]
    assert first.url == "https://news.example/water-bill"
    assert first.description.count("•") == 3
    figures, quote = first.fields
    assert figures.value.splitlines() == [
        "**37** — senators voted for the bill",
        "**12** — senators voted against",
        "**50%** — of the basin's water",
    ]
    assert quote.value == "“This bill keeps rivers alive.” — Maria Okafor"
    assert message.cards[1].url is None  # a print source is not a link
    assert digest.cursor == LIBRARY[0].ref.ingested_at


@pytest.mark.parametrize(
    ("include", "exclude", "expected"),
    [
        ("okafor", "", [4]),  # surname of a person
        ("omar garcia harfuch", "", [2]),  # accents folded
        ("Rotterdam, Mexico City", "", [3, 2]),  # places, any of them
        ("dockers union", "", [3]),  # organisation
        ("farmers", "", [4]),  # a word of the highlights
        ("", "weather", [4, 3, 2]),
        ("senate, port", "strike", [4]),
        ("river", "", []),  # whole words only
    ],
)
def test_include_and_exclude_filters(include, exclude, expected):
    options = DigestOptions(include=parse_topics(include), exclude=parse_topics(exclude))
    digest = compose(LIBRARY, options, since=SINCE, tz="UTC")
    assert [ref.id for ref in digest.shown] == expected
    assert digest.cursor == LIBRARY[0].ref.ingested_at  # filtered briefs are not seen again


def test_an_empty_digest_is_skipped_by_default_but_still_moves_the_cursor():
    digest = compose(LIBRARY, DigestOptions(include=("volcano",)), since=SINCE, tz="UTC")
    assert digest.messages == ()
    assert digest.cursor == LIBRARY[0].ref.ingested_at
    assert compose([], DigestOptions(), since=None, tz="UTC").cursor is None


def test_the_cap_adds_an_and_n_more_line():
    compact = compose(LIBRARY, DigestOptions(max_items=3, style="compact"), since=None, tz="UTC")
    assert compact.messages[-1].cards[-1].description.endswith("…and 1 more — /latest")
    full = compose(LIBRARY, DigestOptions(max_items=3), since=None, tz="UTC")
    assert full.messages[-1].cards[-1].footer.endswith("…and 1 more — /latest")
    assert full.more == 1


def test_topics_are_parsed_and_bounded():
    assert parse_topics(" Okafor , ,okafor, Mexico  City") == ("Okafor", "Mexico City")
    with pytest.raises(InvalidSchedule, match="at most 10 topics"):
        parse_topics(",".join(f"t{i}" for i in range(11)))
    with pytest.raises(InvalidSchedule, match="not a usable topic"):
        parse_topics("!!!")


def big(n: int) -> StoredBrief:
    return stored(
        n,
        "H" * 400,
        source=f"https://news.example/{n}",
        highlights=tuple("word " * 200 for _ in range(3)),
        quotes=(Quote("q " * 700, "Someone", "person", False, "…"),),
        figures=tuple(Figure(str(i), i, "count", "thing " * 100, "…") for i in range(3)),
    )


@pytest.mark.parametrize("style", ["full", "compact"])
def test_large_digests_are_split_within_discords_limits_with_their_run_marker(style):
    library = [big(n) for n in range(200, 0, -1)]
    digest = compose(library, DigestOptions(max_items=25, style=style), since=None, tz="UTC")
    assert len(digest.shown) == 25
    assert len(digest.messages) > 1
    for message in (*digest.messages, *for_run(digest.messages, 123456789, RUN)):
        assert 0 < len(message.cards) <= EMBEDS_PER_MESSAGE
        assert sum(card_length(c) for c in message.cards) <= MESSAGE_EMBED_CHARS
        for card in message.cards:
            assert len(card.title) <= 256
            assert len(card.description) <= 4096
            assert all(len(f.value) <= 1024 for f in card.fields)
            assert len(card.footer or "") <= 2048
    assert digest.messages[0].content.startswith("**Digest** — 200 new briefs")
    assert all(m.content == "" for m in digest.messages[1:])


RUN = dt.datetime(2026, 11, 28, 8, 0, tzinfo=dt.UTC)


def test_a_run_marks_every_message_under_its_last_embed_or_its_text():
    full = compose(LIBRARY, DigestOptions(), since=SINCE, tz="Europe/Paris")
    check_golden(
        "digest_full_run", dataclasses.replace(full, messages=for_run(full.messages, 12, RUN))
    )
    (message,) = for_run(full.messages, 12, RUN)
    assert message.cards[-1].footer.endswith("\nDigest #12 · run 2026-11-28 08:00 UTC")
    assert message.cards[:-1] == full.messages[0].cards[:-1]
    empty = compose([], DigestOptions(empty="post"), since=SINCE, tz="UTC")
    (note,) = for_run(empty.messages, 12, RUN)
    assert (
        note.content
        == "Nothing new since Mon 4 May, 06:00 (UTC).\n-# Digest #12 · run 2026-11-28 08:00 UTC"
    )


def test_run_markers_and_nonces_tell_runs_and_parts_apart_and_are_stable():
    manual = RUN + dt.timedelta(seconds=31, microseconds=5)
    assert run_marker(12, manual) == "Digest #12 · run 2026-11-28 08:00:31 UTC"
    assert run_marker(12, RUN.astimezone(ZoneInfo("Asia/Tokyo"))) == run_marker(12, RUN)
    assert run_marker(1, RUN) not in run_marker(12, RUN)
    library = [big(n) for n in range(30, 0, -1)]
    digest = compose(library, DigestOptions(max_items=25), since=None, tz="UTC")
    nonces = [m.nonce for m in for_run(digest.messages, 12, RUN)]
    assert nonces == [m.nonce for m in for_run(digest.messages, 12, RUN)]
    assert len(set(nonces)) == len(nonces) == len(digest.messages)
    assert all(n is not None and len(n) <= NONCE_MAX for n in nonces)
    assert set(nonces).isdisjoint(m.nonce for m in for_run(digest.messages, 12, manual))
    assert set(nonces).isdisjoint(m.nonce for m in for_run(digest.messages, 13, RUN))


def _dated(stored_brief: StoredBrief, published: dt.date | None) -> StoredBrief:
    ref = dataclasses.replace(stored_brief.ref, published=published)
    return StoredBrief(ref, dataclasses.replace(stored_brief.brief, published=published))


def test_a_digest_lists_briefs_by_publication_date_newest_first() -> None:
    added_last_published_first = _dated(stored(3, "Old story added late"), dt.date(2026, 4, 1))
    added_first_published_last = _dated(stored(1, "Fresh story"), dt.date(2026, 5, 4))
    undated = _dated(stored(2, "Undated story"), None)  # counts as the day it was added
    digest = compose(
        [added_last_published_first, undated, added_first_published_last],
        DigestOptions(),
        since=SINCE,
        tz="UTC",
    )
    assert [c.title for c in digest.messages[0].cards] == [
        "Undated story",
        "Fresh story",
        "Old story added late",
    ]
    assert "1 Apr 2026" in (digest.messages[0].cards[-1].footer or "")


def test_a_run_footer_shows_the_run_time_in_the_schedules_zone() -> None:
    full = compose(LIBRARY, DigestOptions(), since=SINCE, tz="Europe/Berlin")
    (message,) = for_run(full.messages, 12, RUN, "Europe/Berlin")
    assert message.cards[-1].footer.endswith(
        "\nDigest #12 · run 2026-11-28 08:00 UTC · Sat 28 Nov, 09:00 (Europe/Berlin)"
    )
    assert all(card.timestamp is not None for card in message.cards)

"""Matching briefs against follows, batching per channel, the hourly cap, and rendering."""

from __future__ import annotations

import pytest

from briefs.model import Brief, Person
from briefs.sources.follows import (
    Alert,
    AlertBatch,
    Follow,
    batch_alerts,
    follow_key,
    match_follows,
    render_batch,
    sentences,
)

BODY = (
    "Mexico sent 37 prisoners to the United States on Tuesday. "
    "Attorney General Pam Bondi said the transfer was historic.\n\n"
    "Security minister Omar García Harfuch said the cartels were weakened. "
    "The move follows tariff threats from Washington."
)


def brief(**changes: object) -> Brief:
    values: dict[str, object] = {
        "headline": "Mexico sends 37 cartel figures to the US",
        "published": None,
        "source": "https://news.example/a/1",
        "highlights": ("Mexico transferred 37 prisoners.",),
        "highlights_derived": False,
        "sections": (),
        "analysis": "",
        "body": BODY,
        "people": (
            Person(
                name="Pam Bondi",
                role="Attorney General",
                mentions=("Attorney General Pam Bondi said the transfer was historic.",),
            ),
            Person(name="Omar García Harfuch", aliases=("García Harfuch",)),
        ),
        "places": ("Mexico", "United States"),
        "organizations": ("Sinaloa Cartel",),
    }
    values.update(changes)
    return Brief(**values)  # type: ignore[arg-type]  # test builder with keyword values


def follow(fid: int, kind: str, name: str, channel: int = 100) -> Follow:
    return Follow(
        id=fid, guild_id=1, channel_id=channel, kind=kind, name=name, key=follow_key(name)
    )  # type: ignore[arg-type]  # kind is a literal in the test table


@pytest.mark.parametrize(
    ("name", "matched", "sentence"),
    [
        ("Pam Bondi", "Pam Bondi", "Attorney General Pam Bondi said the transfer was historic."),
        ("bondi", "Pam Bondi", "Attorney General Pam Bondi said the transfer was historic."),
        ("BONDÍ", "Pam Bondi", "Attorney General Pam Bondi said the transfer was historic."),
        (
            "Garcia Harfuch",
            "Omar García Harfuch",
            "Security minister Omar García Harfuch said the cartels were weakened.",
        ),
        (
            "harfuch",
            "Omar García Harfuch",
            "Security minister Omar García Harfuch said the cartels were weakened.",
        ),
    ],
)
def test_person_matched_by_full_name_surname_or_alias(name, matched, sentence) -> None:
    [alert] = match_follows(brief(), 7, [follow(1, "person", name)])
    assert alert.name == matched
    assert alert.sentence == sentence
    assert alert.headline == "Mexico sends 37 cartel figures to the US"
    assert alert.link == "https://news.example/a/1"
    assert alert.brief_id == 7


@pytest.mark.parametrize("name", ["Pam", "Bond", "Omar", "Sheinbaum"])
def test_first_names_and_fragments_do_not_match_a_person(name) -> None:
    assert match_follows(brief(), 7, [follow(1, "person", name)]) == []


@pytest.mark.parametrize(
    ("topic", "sentence"),
    [
        ("tariff threats", "The move follows tariff threats from Washington."),
        ("Sinaloa Cartel", None),  # only among the organisations, in no sentence
        ("united states", "Mexico sent 37 prisoners to the United States on Tuesday."),
        ("cartels", "Security minister Omar García Harfuch said the cartels were weakened."),
    ],
)
def test_topic_matched_as_whole_folded_words(topic, sentence) -> None:
    [alert] = match_follows(brief(), 7, [follow(1, "topic", topic)])
    assert alert.kind == "topic"
    assert alert.name == topic
    assert alert.sentence == sentence


@pytest.mark.parametrize("topic", ["tariff threat", "cart", "canada"])
def test_topic_needs_whole_words(topic) -> None:
    assert match_follows(brief(), 7, [follow(1, "topic", topic)]) == []


def test_person_without_recorded_mentions_quotes_the_body_sentence() -> None:
    b = brief(people=(Person(name="Pam Bondi"),))
    [alert] = match_follows(b, 7, [follow(1, "person", "Bondi")])
    assert alert.sentence == "Attorney General Pam Bondi said the transfer was historic."


def test_brief_without_url_source_has_no_link() -> None:
    [alert] = match_follows(brief(source="upload.txt"), 7, [follow(1, "topic", "mexico")])
    assert alert.link is None


def alert(fid: int, channel: int, brief_id: int = 7) -> Alert:
    return Alert(
        follow_id=fid,
        channel_id=channel,
        kind="topic",
        name=f"topic {fid}",
        headline=f"Headline {brief_id}",
        sentence="A sentence.",
        link=None,
        brief_id=brief_id,
    )


def test_alerts_arriving_together_are_batched_per_channel() -> None:
    batches = batch_alerts(
        [alert(1, 100), alert(2, 200), alert(3, 100, 8), alert(1, 100)],
        sent_last_hour={},
        cap=10,
    )
    assert [(b.channel_id, [a.follow_id for a in b.alerts]) for b in batches] == [
        (100, [1, 3]),
        (200, [2]),
    ]


def test_hourly_cap_holds_back_the_rest() -> None:
    batches = batch_alerts(
        [alert(i, 100, i) for i in range(1, 6)] + [alert(9, 200)],
        sent_last_hour={100: 8, 200: 10},
        cap=10,
    )
    assert [(len(b.alerts), b.held_back) for b in batches] == [(2, 3), (0, 1)]


def test_render_batch_is_markdown_with_escaped_text() -> None:
    a = Alert(
        follow_id=1,
        channel_id=100,
        kind="person",
        name="Pam Bondi",
        headline="Bondi *welcomes* transfer",
        sentence="Bondi said it was historic.",
        link="https://news.example/a/1",
        brief_id=7,
    )
    text = render_batch(AlertBatch(100, (a,)))
    assert text == (
        "👤 **Pam Bondi** in [Bondi \\*welcomes\\* transfer](<https://news.example/a/1>)\n"
        "> Bondi said it was historic."
    )


def test_render_batch_stays_within_the_limit_and_counts_the_rest() -> None:
    many = tuple(alert(i, 100, i) for i in range(30))
    text = render_batch(AlertBatch(100, many), limit=300)
    assert len(text) <= 300
    assert text.endswith("more")


def test_sentences_split_on_terminal_punctuation() -> None:
    assert sentences('He said "yes." Then he left. 37 stayed.\nNew para') == [
        'He said "yes."',
        "Then he left.",
        "37 stayed.",
        "New para",
    ]

"""The one intake: decoding before the content hash, one size check, and what is not an article."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from briefs.article_text import decode_article, is_prose, source_name
from briefs.errors import ArticleUnreadable, NotAnArticle
from briefs.extract import build_brief
from briefs.service import BriefService, in_thread
from storage.sqlite import SqliteBriefStore
from tests.conftest import SAMPLE

ARTICLE = SAMPLE.read_text(encoding="utf-8")
COPIES = {
    "LF": ARTICLE.encode(),
    "BOM": b"\xef\xbb\xbf" + ARTICLE.encode(),
    "CRLF": ARTICLE.replace("\n", "\r\n").encode(),
    "BOM+CRLF": b"\xef\xbb\xbf" + ARTICLE.replace("\n", "\r\n").encode(),
    "str with BOM": "\ufeff" + ARTICLE,
}


@pytest.mark.parametrize("copy", list(COPIES))
def test_every_encoding_of_an_article_decodes_to_the_same_text(copy: str) -> None:
    assert decode_article(COPIES[copy], "a.txt", 10_000_000) == ARTICLE


async def test_bom_and_crlf_copies_are_duplicates_in_the_library(tmp_path: Path) -> None:
    store = await SqliteBriefStore.open(tmp_path / "library.db")
    try:
        service = BriefService(store, in_thread(build_brief))
        statuses = [
            (await service.ingest(data, None, guild_id=None)).status for data in COPIES.values()
        ]
    finally:
        await store.close()
    assert statuses == ["added"] + ["duplicate"] * (len(COPIES) - 1)


async def test_a_file_path_is_stored_by_its_file_name_only(tmp_path: Path) -> None:
    store = await SqliteBriefStore.open(tmp_path / "library.db")
    try:
        service = BriefService(store, in_thread(build_brief))
        result = await service.ingest(ARTICLE, "/srv/news/inbox/flag.txt", guild_id=None)
        stored = await service.brief(str(result.brief.id), guild_id=None)
    finally:
        await store.close()
    assert stored.brief.source == "flag.txt"


@pytest.mark.parametrize(
    ("source", "shown"),
    [
        ("/srv/news/article.txt", "article.txt"),
        ("C:\\Users\\ed\\article.txt", "article.txt"),
        ("article.txt", "article.txt"),
        ("https://news.example/a/1", "https://news.example/a/1"),
        (None, None),
    ],
)
def test_source_name(source: str | None, shown: str | None) -> None:
    assert source_name(source) == shown


def test_the_size_limit_applies_to_text_and_bytes_alike() -> None:
    text = "Headline\n\n" + "The council met on Monday to talk. " * 50
    for data in (text, text.encode()):
        with pytest.raises(ArticleUnreadable, match="too large"):
            decode_article(data, "big.txt", 1000)


PROSE_README = (
    "Briefbot\n\nBriefbot turns news articles into structured briefs that a community can "
    "read in a minute. Install it with pip and run the bot with your token.\n"
)


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("README.md", PROSE_README, "README"),
        ("LICENSE", PROSE_README, "licence"),
        ("CHANGELOG.txt", PROSE_README, "changelog"),
        ("data.json", PROSE_README, "JSON"),
        ("notes.txt", json.dumps({"headline": "x", "body": ["a", "b"]}, indent=2), "JSON"),
        ("list.txt", json.dumps(["a long sentence of words that is not an article."] * 3), "JSON"),
        ("table.txt", "name,age,city\nAda,36,London\nAlan,41,Wilmslow\n", "CSV"),
        ("people.csv", "name,age\nAda,36\n", "CSV"),
        ("scan.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF"),
        ("photo.txt", b"\xff\xd8\xff\xe0\x00\x10JFIF", "image"),
        ("totals.txt", "Results\n\n12 34 56\n78 90 12\n", "prose"),
        ("menu.md", "Menu\n\n- Home\n- About\n- Contact\n", "prose"),
        ("tags.txt", "Tags\n\nSunday Email Related stories Share Print\n", "prose"),
    ],
)
def test_what_is_not_an_article_is_refused_with_its_reason(
    name: str, data: str | bytes, reason: str
) -> None:
    with pytest.raises(NotAnArticle) as caught:
        build_brief(data, name)
    assert reason.lower() in caught.value.reason.lower()


@pytest.mark.parametrize(
    ("paragraph", "prose"),
    [
        ("The council met on Monday and voted to close the old pier.", True),
        ("“We will rebuild,” the mayor said.", True),
        ("Sunday Email Related stories Share Print", False),  # words, but no sentence
        ("12 34 56 78 90 12 34 56.", False),  # a sentence end, but numbers
        ("Home", False),
    ],
)
def test_prose_is_sentences_of_words(paragraph: str, prose: bool) -> None:
    assert is_prose(paragraph) is prose

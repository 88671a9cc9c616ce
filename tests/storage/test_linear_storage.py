"""What a brief stores grows linearly with its article, for the audit's hostile shapes.

Sizes, never times: a capitalised run of 40,000 words (250 KB) that extraction takes for one
"name", and 9,400 figures in one 65 KB sentence. Before name keys were bounded and sentences
stored once, the first stored every suffix of the name (hundreds of MB) and the second its
sentence once per figure (600 MB of text, in the library and in `parse --json` alike).
"""

from __future__ import annotations

import json
from pathlib import Path

import aiosqlite
import pytest

from bot.cli.main import main
from briefs.extract import build_brief
from storage.migrate import migrate
from storage.names import MAX_KEY_CHARS, MAX_KEY_WORDS, name_keys
from storage.sqlite import SqliteBriefStore

WORDS = ["Alder", "Birch", "Cedar", "Dover", "Elmer", "Firth", "Grove", "Hazel", "Ivor", "Juniper"]
# The library keeps the article (compressed), its body, a full-text index of it and the brief:
# a few times the article, whatever its shape.
STORED_PER_INPUT_BYTE = 16
JSON_PER_INPUT_BYTE = 30  # a figure of 7 input bytes is ~140 bytes of JSON keys and values


def capitalised_run(words: int) -> str:
    run = " ".join(WORDS[(i * 7 + i // 10) % len(WORDS)] for i in range(words))
    return f'Harbour to reopen\n\n"We will reopen," said {run}, the harbour master.\n'


def figures_in_one_sentence(count: int) -> str:
    numbers = ", ".join(f"{k + 1}%" for k in range(count))
    return f"Figures galore\n\nPrices rose by {numbers} over the year.\n"


async def stored_bytes(path: Path, text: str) -> int:
    """How much the library grows when this article goes in."""
    store = await SqliteBriefStore.open(path)
    try:
        before = await _used(store.connection)
        await store.add(text, build_brief(text, "hostile.txt"), guild_id=None, source="x.txt")
        return await _used(store.connection) - before
    finally:
        await store.close()


async def _used(conn: aiosqlite.Connection) -> int:
    rows = await conn.execute_fetchall(
        "SELECT (SELECT page_count FROM pragma_page_count())"
        " - (SELECT freelist_count FROM pragma_freelist_count()),"
        " (SELECT page_size FROM pragma_page_size())"
    )
    pages, size = next(iter(rows))
    return int(pages) * int(size)


def parse_json_bytes(tmp_path: Path, text: str, capsys: pytest.CaptureFixture[str]) -> int:
    path = tmp_path / "article.txt"
    path.write_text(text, encoding="utf-8")
    assert main(["parse", str(path), "--json"]) == 0
    return len(capsys.readouterr().out.encode("utf-8"))


def test_a_name_of_hundreds_of_words_has_few_short_keys() -> None:
    keys = name_keys(" ".join(WORDS * 40), aliases=tuple(WORDS * 5))
    assert 0 < len(keys) <= 2 * MAX_KEY_WORDS + 8
    assert all(len(key) <= MAX_KEY_CHARS for key, _ in keys)


@pytest.mark.parametrize(
    "text",
    [capitalised_run(40_000), figures_in_one_sentence(9_400)],
    ids=["capitalised-run-250KB", "9400-figures-65KB"],
)
async def test_storage_and_json_stay_within_a_small_multiple_of_the_article(
    tmp_path, capsys, text
) -> None:
    brief = build_brief(text, "hostile.txt")
    assert brief.people or len(brief.figures) > 9_000  # the hostile shape was read as such
    size = len(text.encode("utf-8"))
    assert await stored_bytes(tmp_path / "lib.db", text) <= STORED_PER_INPUT_BYTE * size
    assert parse_json_bytes(tmp_path, text, capsys) <= JSON_PER_INPUT_BYTE * size


async def test_ten_times_the_figures_store_about_ten_times_as_much(tmp_path) -> None:
    small = await stored_bytes(tmp_path / "small.db", figures_in_one_sentence(940))
    large = await stored_bytes(tmp_path / "large.db", figures_in_one_sentence(9_400))
    assert large <= 13 * small


async def test_sentences_of_existing_briefs_survive_migration_once_each(tmp_path) -> None:
    path = tmp_path / "v8.db"
    sentence = "Prices rose by 3%, 4% and 5% over the year."
    async with aiosqlite.connect(path, isolation_level=None) as conn:
        await migrate(conn, target=8)
        await conn.execute(
            "INSERT INTO articles (id, sha256, text, ingested_at) VALUES (1, 'x', x'', "
            "'2026-01-01T00:00:00+00:00')"
        )
        await conn.execute(
            "INSERT INTO briefs (id, ingested_at, headline, highlights, highlights_derived, "
            "analysis, body, json) VALUES (1, '2026-01-01T00:00:00+00:00', 'Prices', '', 0, '', "
            "'', x'')"
        )
        for ord_, value in enumerate(("3%", "4%", "5%")):
            await conn.execute(
                "INSERT INTO figures (brief_id, ord, value, number, kind, about, sentence) "
                "VALUES (1, ?, ?, NULL, 'percent', 'prices', ?)",
                (ord_, value, sentence),
            )
        await conn.execute(
            "INSERT INTO quotes (brief_id, ord, text, speaker, speaker_kind, partial, sentence)"
            " VALUES (1, 0, 'We stop', NULL, 'unknown', 0, 'They said \"We stop\".')"
        )
    store = await SqliteBriefStore.open(path)
    try:
        conn = store.connection
        rows = await conn.execute_fetchall("SELECT ord, text FROM sentences ORDER BY ord")
        assert [tuple(r) for r in rows] == [(0, 'They said "We stop".'), (1, sentence)]
        figures = await store.figures(guild_id=None, brief_id=1)
        assert [(h.figure.value, h.figure.sentence) for h in figures] == [
            ("3%", sentence),
            ("4%", sentence),
            ("5%", sentence),
        ]
    finally:
        await store.close()


def test_parse_json_lists_each_sentence_once(tmp_path, capsys) -> None:
    path = tmp_path / "a.txt"
    path.write_text(figures_in_one_sentence(20), encoding="utf-8")
    assert main(["parse", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data["sentences"]) == 1
    assert {f["sentence"] for f in data["figures"]} == {0}
    assert data["sentences"][0].startswith("Prices rose by 1%")

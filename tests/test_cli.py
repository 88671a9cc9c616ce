"""The `briefbot` command line, as a user runs it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli.main import main
from tests.conftest import SAMPLE

PLAIN = (
    "Rivermouth opens its first desalination plant\n"
    "March 3, 2025\n\n"
    "The coastal town of Rivermouth opened a desalination plant on Monday that will supply "
    "12,000 homes, said Mayor Lena Hartwig.\n\n"
    '"This plant ends a decade of water rationing," Hartwig said at the opening.\n'
)


@pytest.fixture
def sample() -> Path:
    return SAMPLE


def test_parse_json_has_the_documented_keys(
    sample: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["parse", str(sample), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) >= {
        "headline",
        "published",
        "source",
        "highlights",
        "highlights_derived",
        "sections",
        "analysis",
        "people",
        "quotes",
        "figures",
        "places",
        "organizations",
    }
    assert data["published"] == "2015-05-07"
    assert not data["headline"].endswith("*")
    assert {"value", "number", "about", "sentence"} <= set(data["figures"][0])


def test_parse_reads_standard_input() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bot", "parse", "-"],
        input=PLAIN.encode(),
        capture_output=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert b"Rivermouth opens its first desalination plant" in done.stdout
    assert b"Lena Hartwig" in done.stdout


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty"),
        (b"  \n \n", "empty"),
        (b"\x00\x01\x02" * 100, "binary"),
        ("Caf\xe9".encode("latin-1") * 50, "UTF-8"),
    ],
)
def test_parse_bad_input_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, reason: str
) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    assert main(["parse", str(path)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert "bad.txt" in err
    assert reason.lower() in err.lower()
    assert "Traceback" not in err


def test_parse_refuses_a_file_over_the_size_limit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "huge.txt"
    path.write_text("Big story\n\n" + "Words go on and on. " * 150_000, encoding="utf-8")
    assert main(["parse", str(path)]) == 2
    assert "huge.txt" in capsys.readouterr().err


def test_ingest_then_query(
    tmp_path: Path, sample: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "articles"
    (folder / "nested").mkdir(parents=True)
    (folder / "sample.txt").write_bytes(sample.read_bytes())
    (folder / "nested" / "plain.txt").write_text(PLAIN, encoding="utf-8")
    (folder / "nested" / "broken.txt").write_bytes(b"\x00\xff" * 10)
    db = str(tmp_path / "lib.db")
    assert main(["ingest", str(folder), "--db", db]) == 1  # one file failed
    out = capsys.readouterr().out
    assert "2 added, 0 duplicate(s), 0 replaced, 1 failed" in out
    assert "broken.txt" in out
    assert main(["ingest", str(folder / "sample.txt"), "--db", db]) == 0
    assert "0 added, 1 duplicate(s)" in capsys.readouterr().out

    assert main(["who", "key", "--db", db]) == 0
    assert "Prime Minister" in capsys.readouterr().out
    assert main(["who", "hartwig", "--db", db, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["found"] is True
    assert main(["who", "nobodyhere", "--db", db]) == 1
    assert "No person matches" in capsys.readouterr().err
    assert main(["figures", "--db", db]) == 0
    assert main(["search", "desalination", "--db", db]) == 0
    assert "Rivermouth" in capsys.readouterr().out
    assert main(["search", "NEAR(", "--db", db]) == 1
    assert main(["latest", "-n", "5", "--db", db]) == 0


def test_export_is_json_of_every_brief(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "plain.txt"
    path.write_text(PLAIN, encoding="utf-8")
    db = str(tmp_path / "lib.db")
    assert main(["ingest", str(path), "--db", db]) == 0
    capsys.readouterr()
    assert main(["export", "--db", db]) == 0
    exported = json.loads(capsys.readouterr().out)
    assert [b["headline"] for b in exported] == ["Rivermouth opens its first desalination plant"]


def test_bad_usage_is_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["latest", "-n", "many"])
    assert exit_info.value.code == 2


def test_console_answers_like_the_bot(tmp_path: Path, sample: Path) -> None:
    db = str(tmp_path / "lib.db")
    assert main(["ingest", str(sample), "--db", db]) == 0
    done = subprocess.run(
        [sys.executable, "-m", "bot", "console", "--db", db],
        input=b"/who key\n/figures\n/quotes person:key\n/nonsense\n",
        capture_output=True,
        check=False,
    )
    assert done.returncode == 2, done.stderr  # /nonsense is a usage error; the rest answered
    out = done.stdout.decode()
    assert "John Key" in out
    assert "Prime Minister" in out
    assert "twelve — " in out
    assert "**" not in out  # Markdown is rendered as plain text in a terminal
    assert "one vote in each referendum" in out
    assert "Usage error: unknown command /nonsense" in out


# Number words that make no number once raised ValueError from the number reader.
POISONED = """Storm hits the coast

Officials said one hundred hundred twenty four people were moved from their homes on Tuesday as
the storm came ashore near the harbour town, the regional government said in a statement.

The mayor said the town would need three four weeks to recover and that the council had asked for
help from the national government and from neighbouring towns.
"""


def test_ingest_continues_past_a_file_that_raises_and_prints_its_summary(
    tmp_path: Path, sample: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a_poisoned.txt").write_text(POISONED, encoding="utf-8")
    (folder / "b_good.txt").write_bytes(sample.read_bytes())
    code = main(["ingest", str(folder), "--db", str(tmp_path / "lib.db")])
    out = capsys.readouterr().out
    assert "2 added, 0 duplicate(s), 0 replaced, 0 failed" in out  # both read, none lost
    assert code == 0


def test_ingest_skips_what_is_not_an_article_with_the_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "plain.txt").write_text(PLAIN, encoding="utf-8")
    (folder / "README.md").write_text(
        "Articles\n\nThis folder holds the articles of the week, one file each, exact match "
        "after trimming.\n",
        encoding="utf-8",
    )
    (folder / "meta.json").write_text('{"headline": "x"}', encoding="utf-8")
    (folder / "table.csv").write_text("a,b,c\n1,2,3\n4,5,6\n", encoding="utf-8")
    (folder / "cover.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    db = str(tmp_path / "lib.db")
    assert main(["ingest", str(folder), "--db", db]) == 0
    out = capsys.readouterr().out
    assert "1 added, 0 duplicate(s), 0 replaced, 0 failed, 4 skipped" in out
    assert "README.md: a project file" in out
    assert "meta.json: JSON data" in out
    assert "table.csv: a table (CSV)" in out
    assert "cover.png: an image" in out
    assert main(["export", "--db", db]) == 0
    assert [b["headline"] for b in json.loads(capsys.readouterr().out)] == [
        "Rivermouth opens its first desalination plant"
    ]


def test_a_named_file_that_is_not_an_article_gets_the_reason_and_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    readme = tmp_path / "README.md"
    readme.write_text("Notes\n\nThese are the notes of the project for its readers.\n")
    assert main(["ingest", str(readme), "--db", str(tmp_path / "lib.db")]) == 1
    assert "README.md: a project file (README, licence, changelog)" in capsys.readouterr().out


def test_ingest_of_an_empty_folder_says_nothing_was_found(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "empty").mkdir()
    assert main(["ingest", str(tmp_path / "empty"), "--db", str(tmp_path / "lib.db")]) == 1
    assert "No files found" in capsys.readouterr().err


@pytest.mark.parametrize(
    "shards",
    [["--shards", "0-3"], ["--shard-count", "8"], ["--shards", "6-9", "--shard-count", "8"]],
)
def test_run_refuses_shards_without_a_matching_count(shards, capsys) -> None:
    assert main(["run", *shards]) == 2
    assert "--shards and --shard-count" in capsys.readouterr().err


def test_a_storage_url_that_is_not_postgresql_is_named(tmp_path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[storage]\nurl = "mysql://root:secret@db/x"\n')
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli.main", "latest", "--config", str(config)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "storage.url" in result.stderr
    assert "secret" not in result.stderr

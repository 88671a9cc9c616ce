"""`briefbot parse` starts light: no Discord, web client, scheduler or database; no HTML reader
for text; the place names from the compact cache, not the cities file."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import DATA

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("discord", "aiohttp", "apscheduler", "aiosqlite", "sqlite3", "tqdm", "httpx")
# Runs the command's own code path, then reports what it imported.
PROBE = """
import json, sys
from bot.cli.main import main
code = main(["parse", sys.argv[1]])
print("\\n@@" + json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""


def run_parse(article: Path, cache: Path) -> tuple[int, set[str]]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(article)],
        cwd=ROOT,
        capture_output=True,
        check=False,
        env={"PATH": "/usr/bin:/bin", "XDG_CACHE_HOME": str(cache), "HOME": str(cache)},
    )
    assert done.returncode == 0, done.stderr.decode()
    report = json.loads(done.stdout.decode().rsplit("\n@@", 1)[1])
    return report["code"], {m.split(".")[0] for m in report["modules"]}


@pytest.mark.parametrize("name", ["plain-rail-fares.txt", "markdown-chess-final.md"])
def test_parsing_text_imports_no_discord_web_scheduler_database_or_html_reader(
    tmp_path: Path, name: str
) -> None:
    code, first = run_parse(DATA / "articles" / name, tmp_path)
    assert code == 0
    assert first.isdisjoint(HEAVY), first & set(HEAVY)
    assert "trafilatura" not in first
    assert list((tmp_path / "briefbot").glob("places-*.json"))  # derived once, then cached
    code, again = run_parse(DATA / "articles" / name, tmp_path)
    assert code == 0
    assert again.isdisjoint(HEAVY)


def test_parsing_html_loads_the_html_reader_but_nothing_of_the_bot(tmp_path: Path) -> None:
    code, modules = run_parse(DATA / "articles" / "html-museum-reopens.html", tmp_path)
    assert code == 0
    assert "trafilatura" in modules
    assert modules.isdisjoint(HEAVY), modules & set(HEAVY)


def test_parse_stops_reading_standard_input_at_the_size_limit(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[limits]\nmax_article_bytes = 1000\n", encoding="utf-8")
    with subprocess.Popen(
        [sys.executable, "-m", "bot", "parse", "--config", str(config), "-"],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    ) as proc:
        assert proc.stdin is not None
        assert proc.stderr is not None
        proc.stdin.write(b"Endless story. " * 100)  # over the limit; the pipe stays open
        proc.stdin.flush()
        code = proc.wait(timeout=60)  # it answers without waiting for the end of the input
        err = proc.stderr.read()
        proc.stdin.close()
    assert code == 2
    assert b"1,000-byte limit" in err

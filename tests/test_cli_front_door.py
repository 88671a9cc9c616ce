"""The command line a new user meets: usage errors are one line and exit 2, the console offers
what it can do, text output carries no Markdown, and the default log level is quiet."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from bot.cli.main import main
from tests.conftest import SAMPLE

ROOT = Path(__file__).parent.parent


def _console(db: Path, typed: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", "console", "--db", str(db)],
        input=typed,
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A library holding the sample article."""
    path = tmp_path / "lib.db"
    assert main(["ingest", str(SAMPLE), "--db", str(path)]) == 0
    return path


@pytest.mark.parametrize("command", [["latest"], ["run"], ["migrate"], ["console"], ["sync"]])
def test_a_library_in_a_missing_folder_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    missing = tmp_path / "no" / "such" / "dir"
    assert main([*command, "--db", str(missing / "x.db")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert f"the folder {missing} does not exist" in err
    assert not missing.parent.exists()


def test_a_file_that_is_not_a_library_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "notes.db"
    bad.write_text("not a database\n" * 200)
    assert main(["latest", "--db", str(bad)]) == 2
    assert capsys.readouterr().err.count("\n") == 1


@pytest.mark.parametrize("count", ["0", "-1", "51", "abc"])
def test_latest_count_out_of_range_is_a_usage_error(
    db: Path, capsys: pytest.CaptureFixture[str], count: str
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["latest", "-n", count, "--db", str(db)])
    assert exited.value.code == 2
    assert "from 1 to 50" in capsys.readouterr().err


def test_console_latest_abc_is_a_usage_error(db: Path) -> None:
    done = _console(db, "/latest abc\n/latest 1\n")
    assert done.returncode == 2
    assert "Usage error: /latest takes a count from 1 to 50" in done.stdout
    assert "New Zealand begins process" in done.stdout  # the next line still answered


def test_console_help_lists_only_what_the_console_can_do(db: Path) -> None:
    done = _console(db, "/help\n")
    assert done.returncode == 0
    for command in ("/who", "/figures", "/quotes", "/brief", "/search", "/latest", "/quit"):
        assert command in done.stdout
    for bot_only in ("/briefs", "/digest", "/feed", "/settings", "/follow", "Moderators"):
        assert bot_only not in done.stdout


def test_text_output_has_no_markdown(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["search", "new", "zealand", "--db", str(db)]) == 0
    assert main(["who", "Johnny", "--db", str(db)]) == 1  # "Did you mean John Key?"
    printed = capsys.readouterr()
    done = _console(db, "/search new zealand\n/who Johnny\n/quotes person:Johnny\n")
    for text in (printed.out, printed.err, done.stdout):
        assert "**" not in text
        assert "\\" not in text
    assert "The New Zealand government" in printed.out
    assert "Did you mean John Key?" in printed.err


QUIET = textwrap.dedent(
    """
    import asyncio, logging, sys
    import discord
    from apscheduler.schedulers.asyncio import AsyncIOScheduler
    from bot.cli.main import configure_logging
    from bot.config import LoggingSettings, Settings

    async def go() -> None:
        discord.Client(intents=discord.Intents.none())
        ran = asyncio.Event()
        scheduler = AsyncIOScheduler()
        scheduler.start()
        scheduler.add_job(ran.set)  # no trigger: once, now
        await ran.wait()
        await asyncio.sleep(0)  # the executor logs success right after the job returns
        scheduler.shutdown(wait=False)
        logging.getLogger("bot").info("still shown")

    configure_logging(Settings(logging=LoggingSettings(level=sys.argv[1])), "run")
    asyncio.run(go())
    """
)


@pytest.mark.parametrize("level", ["INFO", "DEBUG"])
def test_quiet_by_default(level: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", QUIET, level],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    chatter = ("voice will NOT be supported", "Running job")
    assert "still shown" in done.stderr
    if level == "INFO":
        assert not any(line in done.stderr for line in chatter), done.stderr
    else:  # everything is there for who asks for it
        assert all(line in done.stderr for line in chatter), done.stderr

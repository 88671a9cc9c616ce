"""`briefbot ingest` stopped midway (SIGTERM, or killed): what was stored stays, consistent, and
running it again adds exactly the articles that were missing."""

from __future__ import annotations

import asyncio
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from storage.sqlite import SqliteBriefStore
from tests.storage.test_concurrency import assert_consistent

ROOT = Path(__file__).resolve().parents[1]
TOTAL = 400
NAMES = ["Ana Ruiz", "Tomas Berg", "Lena Hartwig", "Kofi Mensah", "Ines Duarte", "Omar Haddad"]


def write_articles(folder: Path) -> None:
    folder.mkdir()
    for i in range(TOTAL):
        name = NAMES[i % len(NAMES)]
        (folder / f"story-{i:04d}.txt").write_text(
            f"Harbour report number {i}\nMarch 3, 2025\n\n"
            f"The port of Rivermouth handled {i + 12} ships on Monday, said {name}, "
            f"the harbour master.\n\n"
            f'"We expect {i % 9 + 2} more ships this week," {name.split()[1]} said.\n',
            encoding="utf-8",
        )


def start_ingest(folder: Path, db: Path) -> subprocess.Popen[str]:
    config = folder.parent / "config.toml"
    config.write_text("[limits]\ningest_batch = 16\n", encoding="utf-8")  # many commits
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "bot",
            "ingest",
            str(folder),
            "--db",
            str(db),
            "--config",
            str(config),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def stored(db: Path, *, check: bool = False) -> int:
    """How many briefs the library answers with; `check`: its consistency too (when idle)."""
    return asyncio.run(_stored(db, check)) if db.exists() else 0


async def _stored(db: Path, check: bool) -> int:
    store = await SqliteBriefStore.open(db)
    try:
        if check:
            await assert_consistent(store)
        return len(await store.latest(TOTAL, guild_id=None))
    finally:
        await store.close()


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGKILL], ids=["sigterm", "sigkill"])
def test_an_ingest_stopped_midway_keeps_what_it_stored_and_a_rerun_adds_the_rest(
    tmp_path: Path, how: signal.Signals
) -> None:
    folder, db = tmp_path / "articles", tmp_path / "lib.db"
    write_articles(folder)
    ingest = start_ingest(folder, db)
    try:
        while stored(db) == 0:  # wait for the first committed batch
            assert ingest.poll() is None, ingest.communicate()[1]
            time.sleep(0.05)
        ingest.send_signal(how)
        _, err = ingest.communicate(timeout=60)
    finally:
        if ingest.poll() is None:
            ingest.kill()
            ingest.wait()
    if how == signal.SIGTERM:
        assert ingest.returncode == 143, err
        assert "stopped; stored so far" in err
        assert "Traceback" not in err
    else:
        assert ingest.returncode == -signal.SIGKILL
    kept = stored(db, check=True)
    assert 0 < kept < TOTAL
    rerun = subprocess.run(
        [sys.executable, "-m", "bot", "ingest", str(folder), "--db", str(db)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert rerun.returncode == 0, rerun.stderr
    assert f"{TOTAL - kept} added, {kept} duplicate(s), 0 replaced, 0 failed" in rerun.stdout
    assert stored(db, check=True) == TOTAL

"""Fixtures for the brief library tests: a real SQLite file per test, real migrations."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from storage.sqlite import SqliteBriefStore

START = dt.datetime(2026, 1, 21, 12, 0, tzinfo=dt.UTC)


class StepClock:
    """A clock that moves one minute forward each time it is read."""

    def __init__(self, start: dt.datetime = START) -> None:
        self.current = start

    def now(self) -> dt.datetime:
        """The next minute."""
        self.current += dt.timedelta(minutes=1)
        return self.current


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Where the test's library lives."""
    return tmp_path / "library.db"


@pytest.fixture
def clock() -> StepClock:
    """The test's clock."""
    return StepClock()


@pytest.fixture
async def store(db_path: Path, clock: StepClock) -> AsyncIterator[SqliteBriefStore]:
    """An open library on a fresh file."""
    library = await SqliteBriefStore.open(db_path, clock=clock)
    yield library
    await library.close()

"""Fixtures for the brief library tests: every `store` test runs on SQLite and on PostgreSQL.

SQLite: a real file per test. PostgreSQL: the session's database (tests/engines.py), emptied
before each test. Both run the real migrations."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from storage.engine import open_library
from storage.store import LibraryStore
from tests.engines import ENGINES, empty_database, postgres_database

__all__ = ["postgres_database"]  # a session fixture, shared from tests/engines.py

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
    """Where an SQLite-only test's library lives."""
    return tmp_path / "library.db"


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest) -> str:
    """The engine under test."""
    return str(request.param)


@pytest.fixture
async def library_url(engine: str, request: pytest.FixtureRequest, db_path: Path) -> str:
    """Where the test's library lives: an SQLite file, or the emptied PostgreSQL database."""
    if engine == "sqlite":
        return str(db_path)
    url = str(request.getfixturevalue("postgres_database"))
    await empty_database(url)
    return url


@pytest.fixture
def clock() -> StepClock:
    """The test's clock."""
    return StepClock()


@pytest.fixture
async def store(library_url: str, clock: StepClock) -> AsyncIterator[LibraryStore]:
    """An open, empty library on the engine under test."""
    library = await open_library(library_url, clock=clock)
    yield library
    await library.close()

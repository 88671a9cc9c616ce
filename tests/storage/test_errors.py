"""Driver errors never leak: they become StorageError, with the driver error as the cause."""

from __future__ import annotations

import sqlite3

import asyncpg
import pytest

from briefs.errors import BriefNotFound, StorageError
from storage.sqlite import SqliteBriefStore
from storage.store import LibraryStore
from tests.storage.factory import make_brief


@pytest.mark.parametrize("where", [".", "missing/library.db"])
async def test_opening_a_directory_or_a_missing_folder_is_a_storage_error(tmp_path, where) -> None:
    with pytest.raises(StorageError, match="cannot open the library"):
        await SqliteBriefStore.open(tmp_path / where)


async def test_opening_a_file_that_is_not_a_database_is_a_storage_error(tmp_path) -> None:
    path = tmp_path / "not.db"
    path.write_bytes(b"this is not an SQLite database at all, just some text" * 100)
    with pytest.raises(StorageError) as raised:
        await SqliteBriefStore.open(path)
    assert isinstance(raised.value.__cause__, sqlite3.Error)


async def test_a_constraint_failure_in_a_transaction_rolls_back_as_storage_error(
    store: LibraryStore, engine: str
) -> None:
    async def insert_two() -> None:
        async with store.transaction() as conn:
            await conn.execute("INSERT INTO people (name, folded) VALUES ('Kept?', 'kept')")
            await conn.execute("INSERT INTO people (name, folded) VALUES (NULL, 'x')")

    with pytest.raises(StorageError) as raised:
        await insert_two()
    integrity = {
        "sqlite": sqlite3.IntegrityError,
        "postgres": asyncpg.IntegrityConstraintViolationError,
    }
    assert isinstance(raised.value.__cause__, integrity[engine])
    async with store.snapshot() as conn:
        assert (await conn.fetch("SELECT count(*) FROM people"))[0][0] == 0


async def test_domain_errors_pass_through_and_still_roll_back(store: LibraryStore) -> None:
    async def insert_then_fail() -> None:
        async with store.transaction() as conn:
            await conn.execute("INSERT INTO people (name, folded) VALUES ('Gone', 'gone')")
            raise BriefNotFound("x")

    with pytest.raises(BriefNotFound):
        await insert_then_fail()
    async with store.snapshot() as conn:
        assert (await conn.fetch("SELECT count(*) FROM people"))[0][0] == 0


async def test_nested_transactions_are_savepoints(store: LibraryStore) -> None:
    async def inner_fails() -> None:
        async with store.transaction() as inner:
            await inner.execute("INSERT INTO people (name, folded) VALUES ('Inner', 'inner')")
            await inner.execute("INSERT INTO people (name) VALUES ('no folded')")

    async with store.transaction() as conn:
        await conn.execute("INSERT INTO people (name, folded) VALUES ('Outer', 'outer')")
        with pytest.raises(StorageError):
            await inner_fails()
        await store.add("t", make_brief(people=()), guild_id=None, source=None)
    async with store.snapshot() as conn:
        assert [r[0] for r in await conn.fetch("SELECT name FROM people")] == ["Outer"]
    assert len(await store.latest(5, guild_id=None)) == 1


async def test_a_failed_ingest_leaves_nothing_behind(store: LibraryStore) -> None:
    async def ingest_then_fail() -> None:
        async with store.transaction() as conn:
            await store.add("t", make_brief(), guild_id=None, source=None)
            await conn.execute("SELECT * FROM no_such_table")

    with pytest.raises(StorageError):
        await ingest_then_fail()
    assert await store.latest(5, guild_id=None) == []
    assert await store.who("bondi", guild_id=None) == []
    assert await store.search("mexico", guild_id=None) == []


async def test_reads_never_see_another_tasks_uncommitted_writes(store: LibraryStore) -> None:
    import asyncio

    inside = asyncio.Event()
    release = asyncio.Event()

    async def writer() -> None:
        async with store.transaction():
            await store.add("t", make_brief(), guild_id=None, source=None)
            inside.set()
            await release.wait()
            raise BriefNotFound("abandon the write")

    task = asyncio.create_task(writer())
    await inside.wait()
    reader = asyncio.create_task(store.latest(5, guild_id=None))
    await asyncio.wait({reader}, timeout=0.2)  # give a broken store the chance to read early
    release.set()
    with pytest.raises(BriefNotFound):
        await task
    assert await reader == []

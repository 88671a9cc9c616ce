"""Schema migrations: from empty, from the first schema, refusal of newer, rollback on failure."""

from __future__ import annotations

import sqlite3

import aiosqlite
import pytest

from briefs.errors import SchemaTooNew, StorageError
from storage.migrate import Migration, apply, available, migrate, schema_version, statements
from storage.sqlite import SqliteBriefStore

LATEST = len(available())


def test_migrations_are_numbered_from_one_without_gaps() -> None:
    versions = [m.version for m in available()]
    assert versions == list(range(1, LATEST + 1))
    assert available()[0].name == "0001_initial.sql"


def test_statements_keep_triggers_whole_and_drop_comments() -> None:
    sql = """
    -- a comment; with a semicolon
    CREATE TABLE t (a TEXT DEFAULT 'x;y');
    CREATE TRIGGER tr AFTER INSERT ON t BEGIN
        UPDATE t SET a = 'z' WHERE a = new.a;
        DELETE FROM t WHERE 0;
    END;
    -- trailing comment
    """
    parts = statements(sql)
    assert len(parts) == 2
    assert parts[1].startswith("CREATE TRIGGER")
    assert parts[1].endswith("END;")


async def test_an_empty_database_gets_every_migration(db_path) -> None:
    store = await SqliteBriefStore.open(db_path)
    try:
        assert await schema_version(store.connection) == LATEST
        async with store.connection.execute("PRAGMA journal_mode") as cursor:
            assert (await cursor.fetchone())[0] == "wal"
        async with store.connection.execute("PRAGMA foreign_keys") as cursor:
            assert (await cursor.fetchone())[0] == 1
    finally:
        await store.close()


V1_DATA = [
    "INSERT INTO articles (id, guild_id, sha256, source, text, ingested_at) VALUES "
    "(1, NULL, 'abc', 'old.txt', 'Old text', '2025-01-01T00:00:00.000000+00:00')",
    "INSERT INTO briefs (id, guild_id, ingested_at, headline, published, source, highlights, "
    "highlights_derived, analysis, body, json) VALUES (1, NULL, '2025-01-01T00:00:00.000000+00:00',"
    " 'Old harbour strike', '2025-01-01', 'old.txt', 'Dockers stopped.', 0, 'Analysis.', "
    '\'Dockers stopped work.\', \'{"headline": "Old harbour strike", "published": "2025-01-01",'
    ' "source": "old.txt", "highlights": ["Dockers stopped."], "analysis": "Analysis.",'
    ' "people": [{"name": "Ana Ruiz", "role": "union leader"}], "quotes": [{"text":'
    ' "We stop", "speaker": "Ana Ruiz", "speaker_kind": "person", "sentence": "s"}]}\')',
    "INSERT INTO people (id, name, folded) VALUES (1, 'Ana Ruiz', 'ana ruiz')",
    "INSERT INTO name_keys (key, scope, person_id, kind) VALUES ('ana ruiz', 0, 1, 0), "
    "('ruiz', 0, 1, 2)",
    "INSERT INTO brief_people (person_id, brief_id, scope, ord, name, role, organization, "
    "aliases, mentions) VALUES (1, 1, 0, 0, 'Ana Ruiz', 'union leader', NULL, '', 1)",
    "INSERT INTO quotes (brief_id, ord, text, speaker, speaker_kind, partial, sentence, person_id)"
    " VALUES (1, 0, 'We stop', 'Ana Ruiz', 'person', 0, 's', 1)",
]


async def test_a_database_of_the_first_schema_is_migrated_and_keeps_its_data(db_path) -> None:
    async with aiosqlite.connect(db_path, isolation_level=None) as conn:
        assert await migrate(conn, target=1) == 1
        for statement in V1_DATA:
            await conn.execute(statement)
    store = await SqliteBriefStore.open(db_path)
    try:
        assert await schema_version(store.connection) == LATEST
        stored = await store.get(1, guild_id=None)
        assert stored is not None
        assert stored.brief.headline == "Old harbour strike"
        assert stored.brief.body == "Dockers stopped work."
        (card,) = await store.who("ruiz", guild_id=None)
        assert (card.name, card.role, card.quotes[0].quote.text) == (
            "Ana Ruiz",
            "union leader",
            "We stop",
        )
        assert [h.brief.id for h in await store.search("dockers", guild_id=None)] == [1]
        added = await store.add("new", _brief(), guild_id=None, source="old.txt")
        assert added.status == "replaced"
    finally:
        await store.close()


def _brief():
    from tests.storage.factory import make_brief

    return make_brief()


async def test_each_earlier_version_migrates_to_the_latest(tmp_path) -> None:
    for version in range(1, LATEST + 1):
        path = tmp_path / f"v{version}.db"
        async with aiosqlite.connect(path, isolation_level=None) as conn:
            await migrate(conn, target=version)
            assert await schema_version(conn) == version
        store = await SqliteBriefStore.open(path)
        try:
            assert await schema_version(store.connection) == LATEST
        finally:
            await store.close()


async def test_a_newer_database_is_refused(db_path) -> None:
    async with aiosqlite.connect(db_path) as conn:
        await conn.execute("PRAGMA user_version = 999")
    with pytest.raises(SchemaTooNew) as raised:
        await SqliteBriefStore.open(db_path)
    assert raised.value.found == 999
    assert raised.value.known == LATEST
    assert "upgrade briefbot" in str(raised.value)


async def test_a_failing_migration_rolls_back_and_raises(db_path) -> None:
    broken = Migration(1, "0001_broken.sql", "CREATE TABLE a (x);\nCREATE TABLE a (x);")
    async with aiosqlite.connect(db_path, isolation_level=None) as conn:
        with pytest.raises(StorageError, match=r"0001_broken\.sql") as raised:
            await apply(conn, broken)
        assert isinstance(raised.value.__cause__, sqlite3.Error)
        assert await schema_version(conn) == 0
        async with conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'a'") as cursor:
            assert (await cursor.fetchone())[0] == 0
        assert conn.in_transaction is False


async def test_two_stores_opening_a_new_file_together_both_succeed(db_path) -> None:
    import asyncio

    first, second = await asyncio.gather(
        SqliteBriefStore.open(db_path), SqliteBriefStore.open(db_path)
    )
    try:
        assert await schema_version(first.connection) == LATEST
    finally:
        await first.close()
        await second.close()


async def test_a_new_library_is_born_in_wal_mode_and_leaves_no_private_file(tmp_path) -> None:
    """Racing openers of a fresh file used to both switch it to WAL; SQLite refuses the second
    switch at once ("database is locked", no busy wait). The file now appears in WAL mode."""
    import asyncio

    path = tmp_path / "library.db"
    stores = await asyncio.gather(*(SqliteBriefStore.open(path) for _ in range(4)))
    for store in stores:
        await store.close()
    with sqlite3.connect(path) as check:
        assert check.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []

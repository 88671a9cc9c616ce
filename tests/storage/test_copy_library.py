"""Copying an SQLite library into PostgreSQL loses nothing, and never into a non-empty one."""

from __future__ import annotations

import datetime as dt

import pytest

from briefs.digests.drafts import make_draft
from briefs.errors import StorageError
from storage.copy import TABLES, copy_library
from storage.postgres import PostgresBriefStore
from storage.schedules import ScheduleStore
from storage.sources import SourcesStore
from storage.sqlite import SqliteBriefStore
from tests.engines import empty_database
from tests.storage.factory import numbered_brief

T0 = dt.datetime(2026, 6, 1, 8, 0, tzinfo=dt.UTC)


async def test_a_copied_library_answers_exactly_as_the_original(db_path, postgres_database):
    await empty_database(postgres_database)
    old = await SqliteBriefStore.open(db_path)
    new = await PostgresBriefStore.open(postgres_database)
    try:
        for i in range(12):
            text, brief = numbered_brief(i)
            await old.add(text, brief, guild_id=7 if i % 3 else None, source=f"n/{i % 10}")
        await old.remove(2, guild_id=7)
        runs = ScheduleStore(old)
        made = await runs.add(make_draft(7, 1, "daily 08:00", "UTC"), now=T0, cursor=None)
        await runs.claim(made.id, T0, trigger="schedule", cursor_to=None, now=T0)
        await SourcesStore(old).add_feed(
            "https://x.example/f", guild_id=7, interval=15, added_by=1, now=T0
        )

        report = await copy_library(old, new)
        assert set(report.rows) == set(TABLES)
        for guild in (None, 7):
            assert await new.export(guild_id=guild) == await old.export(guild_id=guild)
            for name in ("person001", "surname", "Person004 Surname028"):
                assert await new.who(name, guild_id=guild) == await old.who(name, guild_id=guild)
        assert await ScheduleStore(new).unfinished_runs() == await runs.unfinished_runs()
        text, brief = numbered_brief(50)
        added = await new.add(text, brief, guild_id=None, source=None)
        assert added.brief.id > max(r.id for r in await old.latest(50, guild_id=7))
        with pytest.raises(StorageError, match="not empty"):
            await copy_library(old, new)
    finally:
        await old.close()
        await new.close()

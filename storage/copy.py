"""Copying a whole SQLite library into an empty PostgreSQL one, ids and all, nothing left out."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from briefs.errors import StorageError
from storage.postgres import PostgresBriefStore
from storage.sqlite import SqliteBriefStore

log = logging.getLogger(__name__)

# Parents before children. person_counts is left out: PostgreSQL's triggers rebuild it from
# brief_people as those rows arrive, exactly as SQLite's did. person_spellings is kept by the
# ingest code, not by triggers, so it is copied.
TABLES = (
    "articles", "briefs", "people", "name_keys", "name_grams", "brief_people", "person_spellings",
    "mentions",
    "sentences", "quotes", "figures", "figure_people", "places", "organizations", "guild_settings",
    "digest_schedules", "digest_runs", "publish_queue", "feeds", "feed_entries",
    "feed_deliveries", "delivery_items", "follows", "alert_log", "meta",
)  # fmt: skip
BATCH = 5_000


@dataclass(frozen=True, slots=True)
class CopyReport:
    """Rows copied per table (each equal to the source's count, or the copy failed)."""

    rows: dict[str, int]


async def copy_library(source: SqliteBriefStore, target: PostgresBriefStore) -> CopyReport:
    """Copy every row of `source` into `target`, which must hold no articles and no schedules.

    One transaction on the target: a failure leaves it as it was. Identity sequences continue
    after the copied ids."""
    copied: dict[str, int] = {}
    async with source.snapshot() as read, target.transaction() as write:
        await write.lock_library()
        for table in ("articles", "digest_schedules", "feeds"):
            if (await write.fetch(f"SELECT count(*) FROM {table}"))[0][0]:  # noqa: S608  # ours
                raise StorageError(f"the target library is not empty ({table} has rows)")
        for table in TABLES:
            cursor = await read.raw.execute(f"SELECT * FROM {table}")  # noqa: S608  # ours
            columns = [d[0] for d in cursor.description]
            total = 0
            while rows := list(await cursor.fetchmany(BATCH)):
                await write.raw.copy_records_to_table(
                    table, records=[tuple(r) for r in rows], columns=columns
                )
                total += len(rows)
            await cursor.close()
            copied[table] = total
            count = (await write.fetch(f"SELECT count(*) FROM {table}"))[0][0]  # noqa: S608
            if count != total:
                raise StorageError(f"{table}: copied {total} rows but the target holds {count}")
            log.info("copied %s: %d rows", table, total)
            if "id" in columns:
                await write.fetch(
                    "SELECT setval(pg_get_serial_sequence(?, 'id'), "  # noqa: S608  # ours
                    f"coalesce((SELECT max(id) FROM {table}), 0) + 1, false)",
                    (table,),
                )
    return CopyReport(copied)

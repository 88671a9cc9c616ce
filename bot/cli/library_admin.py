"""`briefbot migrate` and `briefbot copy-library`: the library's schema and engine moves."""

from __future__ import annotations

import sys

from bot.config import Settings
from briefs.errors import StorageError
from storage.copy import copy_library
from storage.engine import open_library
from storage.postgres import PostgresBriefStore, is_postgres_url, redact
from storage.sqlite import SqliteBriefStore

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


async def migrate_command(settings: Settings) -> int:
    """Open the library (which migrates it to the newest schema) and close it."""
    try:
        store = await open_library(settings.library_location)
    except StorageError as e:
        print(f"briefbot: {e}", file=sys.stderr)
        return EXIT_FAILED
    await store.close()
    where = (settings.storage.url and redact(settings.storage.url)) or settings.library_location
    print(f"{where}: schema up to date")
    return EXIT_OK


async def copy_command(source: str, target: str) -> int:
    """Copy an SQLite library into an empty PostgreSQL library; print rows per table."""
    if is_postgres_url(source) or not is_postgres_url(target):
        print("briefbot: copy-library copies --from an SQLite file --to a postgresql:// URL")
        return EXIT_USAGE
    try:
        old = await SqliteBriefStore.open(source)
        try:
            new = await PostgresBriefStore.open(target)
            try:
                report = await copy_library(old, new)
            finally:
                await new.close()
        finally:
            await old.close()
    except StorageError as e:
        print(f"briefbot: {e}", file=sys.stderr)
        return EXIT_FAILED
    for table, rows in report.rows.items():
        print(f"{table:18} {rows:>9}")
    print(f"copied {source} to {redact(target)}")
    return EXIT_OK

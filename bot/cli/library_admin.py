"""`briefbot migrate` and `briefbot copy-library`: the library's schema and engine moves."""

from __future__ import annotations

import sys

from bot.config import POSTGRES_SCHEMES, Settings, without_password
from bot.library import copy_sqlite_to_postgres, migrate_library
from briefs.errors import StorageError

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


async def migrate_command(settings: Settings) -> int:
    """Create or upgrade the library's schema."""
    try:
        where = await migrate_library(settings)
    except StorageError as e:
        print(f"briefbot: {e}", file=sys.stderr)
        return EXIT_FAILED
    print(f"{where}: schema up to date")
    return EXIT_OK


async def copy_command(source: str, target: str) -> int:
    """Copy an SQLite library into an empty PostgreSQL library; print rows per table."""
    if source.startswith(POSTGRES_SCHEMES) or not target.startswith(POSTGRES_SCHEMES):
        print(
            "briefbot: copy-library copies --from an SQLite file --to a postgresql:// URL",
            file=sys.stderr,
        )
        return EXIT_USAGE
    try:
        rows = await copy_sqlite_to_postgres(source, target)
    except StorageError as e:
        print(f"briefbot: {e}", file=sys.stderr)
        return EXIT_FAILED
    for table, count in rows.items():
        print(f"{table:18} {count:>9}")
    print(f"copied {source} to {without_password(target)}")
    return EXIT_OK

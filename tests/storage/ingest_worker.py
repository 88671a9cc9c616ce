"""Run by the concurrency tests in another process: add numbered briefs through the store.

Usage: python -m tests.storage.ingest_worker DB START COUNT
Prints "added N" after each brief so the test can follow (and kill) it."""

from __future__ import annotations

import asyncio
import sys

from storage.sqlite import SqliteBriefStore
from tests.storage.factory import numbered_brief


async def main(path: str, start: int, count: int) -> None:
    """Add briefs start .. start+count-1, one transaction each; guild 7 gets every third."""
    store = await SqliteBriefStore.open(path)
    try:
        for i in range(start, start + count):
            text, brief = numbered_brief(i)
            await store.add(text, brief, guild_id=7 if i % 3 == 0 else None, source=f"n/{i}")
            print(f"added {i}", flush=True)
    finally:
        await store.close()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3])))

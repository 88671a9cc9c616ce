"""Run by the concurrency tests in another process: add numbered briefs through the store.

Usage: python -m tests.storage.ingest_worker DB START COUNT [BATCH]
Adds them as `briefbot ingest` does: BATCH per transaction (default 1), guild 7 every third.
Prints "<status> N" for each brief once its transaction is committed, so the test can follow
(and kill) it, and count what a rerun adds."""

from __future__ import annotations

import asyncio
import sys

from briefs.model import Brief
from storage.sqlite import SqliteBriefStore
from tests.storage.factory import numbered_brief


async def main(path: str, start: int, count: int, batch: int) -> None:
    """Add briefs start .. start+count-1, `batch` per transaction, in two scopes."""
    store = await SqliteBriefStore.open(path)
    pending: dict[int | None, list[tuple[int, tuple[str, Brief, str | None]]]] = {}
    try:
        for i in range(start, start + count):
            text, brief = numbered_brief(i)
            guild = 7 if i % 3 == 0 else None
            items = pending.setdefault(guild, [])
            items.append((i, (text, brief, f"n/{i}")))
            if len(items) >= batch or i == start + count - 1:
                for scope, waiting in pending.items():
                    if waiting:
                        results = await store.add_many([a for _, a in waiting], guild_id=scope)
                        for (n, _), result in zip(waiting, results, strict=True):
                            print(f"{result.status} {n}", flush=True)
                        waiting.clear()
    finally:
        await store.close()


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[2:]]
    asyncio.run(main(sys.argv[1], args[0], args[1], args[2] if len(args) > 2 else 1))

"""The installation's key/value facts (such as the last command sync) survive restarts."""

from __future__ import annotations

from pathlib import Path

from storage.meta import MetaStore
from storage.sqlite import SqliteBriefStore


async def test_a_fact_is_kept_replaced_and_survives_reopening(tmp_path: Path) -> None:
    path = tmp_path / "library.db"
    store = await SqliteBriefStore.open(path)
    meta = MetaStore(store)
    assert await meta.get("command-sync:1:global") is None
    await meta.set("command-sync:1:global", "abc")
    await meta.set("command-sync:1:global", "def")
    await store.close()

    reopened = await SqliteBriefStore.open(path)
    try:
        assert await MetaStore(reopened).get("command-sync:1:global") == "def"
        assert await MetaStore(reopened).get("command-sync:1:42") is None
    finally:
        await reopened.close()

"""The installation's key/value facts (such as the last command sync) survive restarts."""

from __future__ import annotations

from storage.engine import open_library
from storage.meta import MetaStore


async def test_a_fact_is_kept_replaced_and_survives_reopening(library_url: str) -> None:
    path = library_url
    store = await open_library(path)
    meta = MetaStore(store)
    assert await meta.get("command-sync:1:global") is None
    await meta.set("command-sync:1:global", "abc")
    await meta.set("command-sync:1:global", "def")
    await store.close()

    reopened = await open_library(path)
    try:
        assert await MetaStore(reopened).get("command-sync:1:global") == "def"
        assert await MetaStore(reopened).get("command-sync:1:42") is None
    finally:
        await reopened.close()

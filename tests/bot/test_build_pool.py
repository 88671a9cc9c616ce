"""The build pool: briefs built in worker processes, refused with a reason over a limit."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.runtime.build_pool import BuildPool
from briefs.errors import ArticleOverLimit, ArticleUnreadable
from briefs.extract import build_brief
from tests.conftest import DATA

ARTICLES = {p.name: p.read_bytes() for p in sorted((DATA / "articles").iterdir()) if p.is_file()}
PLAIN = (DATA / "articles" / "plain-rail-fares.txt").read_bytes()


@pytest.fixture
async def pool() -> AsyncIterator[BuildPool]:
    running = BuildPool(workers=2, time_limit=30.0, memory_mb=1024)
    yield running
    await running.close()


@pytest.mark.parametrize("name", ARTICLES)
async def test_the_pool_builds_the_brief_the_builder_builds(pool: BuildPool, name: str) -> None:
    data = ARTICLES[name]
    assert await pool.build(data, name) == build_brief(data, name)


async def test_unreadable_input_keeps_its_reason(pool: BuildPool) -> None:
    with pytest.raises(ArticleUnreadable, match="empty") as refused:
        await pool.build(b"  \n", "blank.txt")
    assert not isinstance(refused.value, ArticleOverLimit)
    assert await pool.build(PLAIN, "rail.txt") == build_brief(PLAIN, "rail.txt")


async def test_an_article_over_the_time_limit_is_refused_and_its_worker_replaced(
    pool: BuildPool, caplog: pytest.LogCaptureFixture
) -> None:
    pool.time_limit = 0.0001  # no article is read this fast
    for _ in range(3):  # each refusal kills the worker; the next build gets a new one
        with pytest.raises(ArticleOverLimit) as refused:
            await pool.build(PLAIN, "rail.txt")
        assert refused.value.source == "rail.txt"
        assert refused.value.reason == "too complex to read within 0.0001 s"
    assert any("rail.txt" in r.getMessage() for r in caplog.records if r.levelname == "WARNING")
    pool.time_limit = 30.0
    assert await pool.build(PLAIN, "rail.txt") == build_brief(PLAIN, "rail.txt")


async def test_an_article_over_the_memory_limit_is_refused_and_its_worker_replaced() -> None:
    pool = BuildPool(workers=1, time_limit=30.0, memory_mb=1)  # less than any page needs
    try:
        big = b"Big story\n\n" + b"Words go on and on. " * 90_000
        with pytest.raises(ArticleOverLimit, match="1 MB of memory") as refused:
            await pool.build(big, "big.txt")
        assert refused.value.source == "big.txt"
        pool.memory_mb = 1024  # the replacement worker starts with this limit
        assert await pool.build(PLAIN, "rail.txt") == build_brief(PLAIN, "rail.txt")
    finally:
        await pool.close()


async def test_a_closed_pool_refuses(pool: BuildPool) -> None:
    await pool.build(PLAIN, "rail.txt")
    await pool.close()
    with pytest.raises(ArticleUnreadable, match="stopping"):
        await pool.build(PLAIN, "rail.txt")

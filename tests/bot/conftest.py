"""Fixtures for end-to-end bot tests: the real bot against the loopback Discord double."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.app import BriefBot
from bot.config import DiscordSettings, FetchSettings, Settings, StorageSettings
from bot.library import open_library
from bot.runtime.api_base import configure_api_base
from tests.conftest import SAMPLE
from tests.discord_double import DiscordDouble


def bot_settings(db: Path, double: DiscordDouble) -> Settings:
    """Settings for a bot that talks to the double and keeps its library in `db`."""
    return Settings(
        storage=StorageSettings(path=str(db)),
        discord=DiscordSettings(api_base=double.api_base, guild_ready_timeout=0.1),
        fetch=FetchSettings(allowed_hosts=("127.0.0.1",)),
    )


async def ingest(
    settings: Settings, text: str | bytes, source: str | None, guild_id: int | None = None
) -> int:
    """Put one article into the library the way the command line does; returns the brief id."""
    store, service = await open_library(settings)
    try:
        result = await service.ingest(text, source, guild_id=guild_id)
    finally:
        await store.close()
    return result.brief.id


@dataclass
class RunningBot:
    """A started bot, its double and its settings."""

    bot: BriefBot
    double: DiscordDouble
    settings: Settings
    task: asyncio.Task[None]

    async def stop(self) -> None:
        """Close the bot and wait for it to finish."""
        await self.bot.close()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(self.task, 10)


async def start_bot(settings: Settings, double: DiscordDouble, *, synced: int = 1) -> RunningBot:
    """Start the real bot against the double and wait until it is connected (and synced)."""
    bot = BriefBot(settings)
    task = asyncio.create_task(bot.start(double.token))
    await double.wait_ready()
    if synced:
        await double.wait_synced(synced)
    await asyncio.wait_for(bot.wait_until_ready(), 10)
    return RunningBot(bot, double, settings, task)


@pytest.fixture
async def double() -> AsyncIterator[DiscordDouble]:
    """A running Discord double; discord.py points at it for the test."""
    async with DiscordDouble() as running:
        configure_api_base(running.api_base)
        yield running
    configure_api_base(None)


@pytest.fixture
def sample_text() -> str:
    """The committed sample article (Wikinews, CC BY 2.5)."""
    return SAMPLE.read_text(encoding="utf-8")


@pytest.fixture
async def library(tmp_path: Path, double: DiscordDouble, sample_text: str) -> Settings:
    """A library holding the sample article (global scope)."""
    settings = bot_settings(tmp_path / "library.db", double)
    await ingest(settings, sample_text, str(SAMPLE))  # a full path, as the command line gives
    return settings


@pytest.fixture
async def running(library: Settings, double: DiscordDouble) -> AsyncIterator[RunningBot]:
    """The bot, started on the sample library."""
    bot = await start_bot(library, double)
    yield bot
    await bot.stop()
    double.assert_clean()

"""Optional features (digests, feeds, follows) wired into the bot by the composition root."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.app import BriefBot
    from bot.config import Settings
    from briefs.service import BriefService
    from storage.sqlite import SqliteBriefStore

Closer = Callable[[], Awaitable[None]]


async def install(
    bot: BriefBot, store: SqliteBriefStore, service: BriefService, settings: Settings
) -> list[Closer]:
    """Add the feature cogs and start their background work; returns what to stop on close."""
    return []

"""/feed: moderators connect news feeds to the library and to channels."""

from __future__ import annotations

from discord.ext import commands

from bot.cogs.feed._cog import FeedCog
from bot.services import services_of


async def setup(bot: commands.Bot) -> None:
    """Loaded by the composition root as an extension."""
    services = services_of(bot)
    await bot.add_cog(FeedCog(services.sources, services.channels, services.sources_runtime))

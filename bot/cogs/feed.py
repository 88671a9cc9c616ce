"""/feed add, /feed list, /feed remove: moderators connect RSS and Atom feeds to their server."""

from __future__ import annotations

import datetime as dt
import logging

import discord
from discord import app_commands
from discord.ext import commands

from bot.services import services_of
from bot.ui.checks import ModeratorCog, require_guild
from bot.ui.views import send_answer
from briefs.answers import Answer
from briefs.render import Card, clip
from briefs.sources.feeds import DEFAULT_INTERVAL, MIN_INTERVAL, render_feed_list
from briefs.sources.service import SourcesService

log = logging.getLogger(__name__)

Interaction = discord.Interaction[discord.Client]
FEEDS_PER_PAGE = 8


class FeedCog(ModeratorCog, group_name="feed", group_description="Connect news feeds"):
    """Moderators subscribe the server to feeds whose new entries become briefs."""

    def __init__(self, sources: SourcesService) -> None:
        self.sources = sources
        super().__init__()

    @app_commands.command(name="add")
    @app_commands.describe(
        url="The feed's address (RSS or Atom, http or https)",
        interval=f"Minutes between checks ({MIN_INTERVAL} or more; default {DEFAULT_INTERVAL})",
    )
    async def add(
        self,
        interaction: Interaction,
        url: app_commands.Range[str, 8, 2000],
        interval: app_commands.Range[int, MIN_INTERVAL, 1440] = DEFAULT_INTERVAL,
    ) -> None:
        """Subscribe this server to a feed; its newest entries are added now."""
        guild_id = require_guild(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        added = await self.sources.add_feed(
            url,
            guild_id=guild_id,
            interval=interval,
            added_by=interaction.user.id,
            now=dt.datetime.now(dt.UTC),
        )
        log.info("Guild %s: feed %s added by %s", guild_id, added.feed.id, interaction.user.id)
        text = (
            f"Subscribed to <{clip(added.feed.url, 300)}> as feed **#{added.feed.id}**, "
            f"checked every {added.feed.interval} min. First fetch: {added.poll.outcome}."
        )
        await send_answer(interaction, Answer(text=text, ephemeral=True))

    @app_commands.command(name="list")
    async def list_(self, interaction: Interaction) -> None:
        """Show this server's feeds: last fetch, outcome, entries added, why one is failing."""
        guild_id = require_guild(interaction)
        feeds = await self.sources.list_feeds(guild_id=guild_id)
        now = dt.datetime.now(dt.UTC)
        pages = [feeds[i : i + FEEDS_PER_PAGE] for i in range(0, len(feeds), FEEDS_PER_PAGE)]
        cards = tuple(
            Card(title=f"Feeds ({len(feeds)})", description=render_feed_list(page, now=now))
            for page in pages
        )
        answer = Answer(cards=cards) if cards else Answer(text=render_feed_list([], now=now))
        await send_answer(interaction, answer, ephemeral=True)

    async def feed_choices(
        self, interaction: Interaction, current: str
    ) -> list[app_commands.Choice[int]]:
        """This server's own feeds for autocomplete, by id or address."""
        if interaction.guild_id is None:
            return []
        feeds = await self.sources.list_feeds(guild_id=interaction.guild_id)
        wanted = current.strip().lstrip("#").lower()
        return [
            app_commands.Choice(name=clip(f"#{f.id} {f.title or f.url}", 100), value=f.id)
            for f in feeds
            if f.guild_id == interaction.guild_id
            and (
                wanted in str(f.id) or wanted in f.url.lower() or wanted in (f.title or "").lower()
            )
        ][:25]

    @app_commands.command(name="remove")
    @app_commands.describe(feed="The feed to remove (its briefs stay)")
    @app_commands.autocomplete(feed=feed_choices)
    async def remove(self, interaction: Interaction, feed: int) -> None:
        """Unsubscribe this server from a feed."""
        guild_id = require_guild(interaction)
        removed = await self.sources.remove_feed(feed, guild_id=guild_id)
        log.info("Guild %s: feed %s removed by %s", guild_id, removed.id, interaction.user.id)
        text = f"Removed feed **#{removed.id}** (<{clip(removed.url, 300)}>); its briefs stay."
        await send_answer(interaction, Answer(text=text, ephemeral=True))


async def setup(bot: commands.Bot) -> None:
    """Loaded by the composition root as an extension."""
    services = services_of(bot)
    await bot.add_cog(FeedCog(services.sources))

"""The /feed commands: add (to the library and a channel), edit, test, list, remove, import,
export."""

from __future__ import annotations

import datetime as dt
import io
import logging

import aiohttp
import discord
from discord import app_commands

from bot.cogs.feed._render import deliveries_text, delivery_line
from bot.runtime.sources import SourcesRuntime
from bot.ui.checks import ModeratorCog, require_guild
from bot.ui.items import item_embed
from bot.ui.views import send_answer
from briefs.answers import Answer
from briefs.errors import ArticleUnreadable, BriefingError
from briefs.render import Card, clip
from briefs.sources.channels import ChannelService
from briefs.sources.delivery import MAX_BACKLOG, DeliveryOptions
from briefs.sources.feeds import DEFAULT_INTERVAL, MIN_INTERVAL, render_feed_list
from briefs.sources.filters import ItemFilter, parse_terms
from briefs.sources.opml import OpmlFeed, read_opml, write_opml
from briefs.sources.service import SourcesService

log = logging.getLogger(__name__)

Interaction = discord.Interaction[discord.Client]
Postable = discord.TextChannel | discord.ForumChannel
FEEDS_PER_PAGE = 8
MAX_IMPORT = 25


class FeedCog(ModeratorCog, group_name="feed", group_description="Connect news feeds"):
    """Moderators subscribe the server to feeds and post their items in channels."""

    def __init__(
        self, sources: SourcesService, channels: ChannelService, runtime: SourcesRuntime
    ) -> None:
        self.sources = sources
        self.channels = channels
        self.runtime = runtime
        super().__init__()

    @app_commands.command(name="add")
    @app_commands.describe(
        url="The feed's address (RSS or Atom, http or https)",
        channel="Post each new item here (text, announcement or forum channel)",
        include="Only items naming one of these words or phrases (comma-separated)",
        exclude="Never items naming one of these words or phrases (comma-separated)",
        mention="One role to mention with each item",
        backlog=f"Post the newest N items now (0-{MAX_BACKLOG}; default 0: start from now)",
        thread="Open a discussion thread under each item",
        interval=f"Minutes between checks ({MIN_INTERVAL} or more; default {DEFAULT_INTERVAL})",
    )
    async def add(
        self,
        interaction: Interaction,
        url: app_commands.Range[str, 8, 2000],
        channel: Postable | None = None,
        include: app_commands.Range[str, 1, 1000] | None = None,
        exclude: app_commands.Range[str, 1, 1000] | None = None,
        mention: discord.Role | None = None,
        backlog: app_commands.Range[int, 0, MAX_BACKLOG] = 0,
        thread: bool = False,
        interval: app_commands.Range[int, MIN_INTERVAL, 1440] = DEFAULT_INTERVAL,
    ) -> None:
        """Subscribe this server to a feed, and post its new items in a channel."""
        guild_id = require_guild(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        now = dt.datetime.now(dt.UTC)
        if channel is None:
            added = await self.sources.add_feed(
                url, guild_id=guild_id, interval=interval, added_by=interaction.user.id, now=now
            )
            text = (
                f"Subscribed to <{clip(added.feed.url, 300)}> as feed **#{added.feed.id}**, "
                f"checked every {added.feed.interval} min. First fetch: {added.poll.outcome}."
            )
            await send_answer(interaction, Answer(text=text, ephemeral=True))
            return
        options = DeliveryOptions(
            ItemFilter(parse_terms(include), parse_terms(exclude)),
            mention.id if mention else None,
            thread,
        )
        connected = await self.channels.connect(
            url,
            guild_id=guild_id,
            channel_id=channel.id,
            options=options,
            backlog=backlog,
            created_by=interaction.user.id,
            now=now,
            interval=interval,
        )
        await self.runtime.deliver()
        d = connected.delivery
        first = f" First fetch: {connected.first_fetch}." if connected.first_fetch else ""
        start = f"the newest {backlog} items now, then" if backlog else "from now on,"
        text = (
            f"Feed **#{d.feed_id}** (<{clip(d.feed_url, 300)}>) posts in <#{d.channel_id}>: "
            f"{start} each new item · {d.options.filter.describe()}.{first}"
        )
        await send_answer(interaction, Answer(text=text, ephemeral=True))

    @app_commands.command(name="edit")
    @app_commands.describe(
        delivery="The delivery to change (see /feed list)",
        include="Only items naming one of these (comma-separated; '-' clears)",
        exclude="Never items naming one of these (comma-separated; '-' clears)",
        mention="The one role to mention with each item",
        no_mention="Stop mentioning a role",
        thread="Open a discussion thread under each item",
    )
    async def edit(
        self,
        interaction: Interaction,
        delivery: int,
        include: str | None = None,
        exclude: str | None = None,
        mention: discord.Role | None = None,
        no_mention: bool = False,
        thread: bool | None = None,
    ) -> None:
        """Change how a feed posts in a channel, without re-creating it."""
        guild_id = require_guild(interaction)
        current = await self.channels.get(guild_id, delivery)
        old = current.options
        options = DeliveryOptions(
            ItemFilter(_terms(include, old.filter.include), _terms(exclude, old.filter.exclude)),
            None if no_mention else (mention.id if mention else old.mention_role_id),
            old.thread if thread is None else thread,
        )
        updated = await self.channels.edit(guild_id, delivery, options)
        text = "Updated: " + delivery_line(updated)
        await send_answer(interaction, Answer(text=text, ephemeral=True))

    @app_commands.command(name="test")
    @app_commands.describe(delivery="The delivery to try (see /feed list)")
    async def test(self, interaction: Interaction, delivery: int) -> None:
        """Show the feed's next item as it would be posted, and whether the filters let it in."""
        guild_id = require_guild(interaction)
        result = await self.channels.test(guild_id, delivery)
        verdict = "✅ would be posted" if result.passes else "🚫 would be held back"
        text = f"{verdict}: {result.why}."
        if result.post is None:
            await send_answer(interaction, Answer(text=text, ephemeral=True))
            return
        await interaction.response.send_message(
            text,
            embed=item_embed(result.post),
            ephemeral=True,
            allowed_mentions=discord.AllowedMentions.none(),
        )

    @app_commands.command(name="list")
    async def list_(self, interaction: Interaction) -> None:
        """Show this server's feeds and the channels they post in, with any failure."""
        guild_id = require_guild(interaction)
        feeds = await self.sources.list_feeds(guild_id=guild_id)
        deliveries = await self.channels.deliveries(guild_id)
        now = dt.datetime.now(dt.UTC)
        pages = [feeds[i : i + FEEDS_PER_PAGE] for i in range(0, len(feeds), FEEDS_PER_PAGE)]
        channels = f"\n\n**Channels**\n{deliveries_text(deliveries)}" if deliveries else ""
        cards = tuple(
            Card(
                title=f"Feeds ({len(feeds)})",
                description=clip(render_feed_list(page, now=now) + channels, 4096),
            )
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
        """Unsubscribe this server from a feed (it stops posting everywhere)."""
        guild_id = require_guild(interaction)
        removed = await self.sources.remove_feed(feed, guild_id=guild_id)
        log.info("Guild %s: feed %s removed by %s", guild_id, removed.id, interaction.user.id)
        text = f"Removed feed **#{removed.id}** (<{clip(removed.url, 300)}>); its briefs stay."
        await send_answer(interaction, Answer(text=text, ephemeral=True))

    @app_commands.command(name="import")
    @app_commands.describe(
        file="An OPML file (exported from a feed reader)",
        channel="Post the imported feeds' new items here (optional)",
    )
    async def import_(
        self, interaction: Interaction, file: discord.Attachment, channel: Postable | None = None
    ) -> None:
        """Subscribe to every feed of an OPML file."""
        guild_id = require_guild(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            data = await file.read()
        except (discord.HTTPException, aiohttp.ClientError) as e:
            raise ArticleUnreadable(file.filename, "the attachment could not be downloaded") from e
        feeds = read_opml(data, name=file.filename)[:MAX_IMPORT]
        lines = []
        for feed in feeds:
            lines.append(await self._import_one(feed, guild_id, channel, interaction.user.id))
        text = f"Imported {len(feeds)} feed(s):\n" + "\n".join(lines) if feeds else "No feeds."
        await send_answer(interaction, Answer(text=clip(text, 1900), ephemeral=True))

    async def _import_one(
        self, feed: OpmlFeed, guild_id: int, channel: Postable | None, user_id: int
    ) -> str:
        now = dt.datetime.now(dt.UTC)
        try:
            if channel is None:
                added = await self.sources.add_feed(
                    feed.url, guild_id=guild_id, added_by=user_id, now=now
                )
                return f"• #{added.feed.id} <{clip(feed.url, 200)}>"
            connected = await self.channels.connect(
                feed.url,
                guild_id=guild_id,
                channel_id=channel.id,
                options=DeliveryOptions(),
                backlog=0,
                created_by=user_id,
                now=now,
            )
            return f"• #{connected.delivery.feed_id} <{clip(feed.url, 200)}>"
        except BriefingError as e:  # one bad feed is reported in the list, the rest go on
            return f"• <{clip(feed.url, 200)}>: {clip(str(e), 150)}"

    @app_commands.command(name="export")
    async def export(self, interaction: Interaction) -> None:
        """Download this server's feeds as an OPML file."""
        guild_id = require_guild(interaction)
        feeds = [
            OpmlFeed(f.url, f.title or "")
            for f in await self.sources.list_feeds(guild_id=guild_id)
            if f.guild_id == guild_id
        ]
        name = interaction.guild.name if interaction.guild else "briefbot"
        document = write_opml(feeds, title=f"{name} feeds")
        await interaction.response.send_message(
            f"{len(feeds)} feed(s).",
            file=discord.File(io.BytesIO(document.encode("utf-8")), filename="feeds.opml"),
            ephemeral=True,
        )


def _terms(given: str | None, current: tuple[str, ...]) -> tuple[str, ...]:
    """An edit's terms: unchanged when not given, cleared by '-'."""
    if given is None:
        return current
    return () if given.strip() == "-" else parse_terms(given)

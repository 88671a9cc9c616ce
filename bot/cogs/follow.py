"""/follow person, /follow topic, /follow list, /follow remove: alerts in a channel."""

from __future__ import annotations

import datetime as dt
import logging

import discord
from discord import app_commands
from discord.ext import commands

from bot.runtime.channels import postable_channel
from bot.services import services_of
from bot.ui.checks import require_guild
from bot.ui.views import send_answer
from briefs.answers import Answer
from briefs.markdown import escape
from briefs.render import Card, clip
from briefs.sources.following import MAX_NAME
from briefs.sources.follows import Follow, FollowKind
from briefs.sources.service import SourcesService

log = logging.getLogger(__name__)

Interaction = discord.Interaction[discord.Client]
FOLLOWS_PER_PAGE = 15


class ChannelNotAllowed(app_commands.CheckFailure):
    """The member may not post in the channel they want alerts in."""


def _target(interaction: Interaction, channel: discord.TextChannel | None) -> int:
    """The channel to alert in: members need Send Messages there, moderators may pick any."""
    if channel is None:
        if not isinstance(interaction.channel, discord.TextChannel):
            raise ChannelNotAllowed("Alerts go to a text or announcement channel: pick one.")
        channel = interaction.channel
    user = interaction.user
    if not isinstance(user, discord.Member) or channel.guild.id != interaction.guild_id:
        raise ChannelNotAllowed("Pick a channel of this server.")
    if interaction.permissions.manage_guild:
        return channel.id
    if not channel.permissions_for(user).send_messages:
        raise ChannelNotAllowed(
            f"You cannot send messages in #{channel.name}, so you cannot follow into it."
        )
    return channel.id


def _line(follow: Follow) -> str:
    kind = "👤" if follow.kind == "person" else "🏷️"
    name = escape(follow.name)
    return f"**#{follow.id}** {kind} {name} → <#{follow.channel_id}>"


class FollowCog(
    commands.GroupCog, group_name="follow", group_description="Follow people and topics"
):
    """Members follow a person or a topic; new briefs that mention it post an alert."""

    def __init__(self, sources: SourcesService) -> None:
        self.sources = sources
        super().__init__()

    async def _follow(
        self,
        interaction: Interaction,
        kind: FollowKind,
        name: str,
        channel: discord.TextChannel | None,
    ) -> None:
        guild_id = require_guild(interaction)
        channel_id = _target(interaction, channel)
        postable_channel(interaction.client, channel_id, forum=False)  # refused now, not later
        follow = await self.sources.follow(
            guild_id=guild_id,
            channel_id=channel_id,
            kind=kind,
            name=name,
            created_by=interaction.user.id,
            now=dt.datetime.now(dt.UTC),
        )
        log.info("Guild %s: follow %s (%s) into %s", guild_id, follow.id, kind, channel_id)
        text = (
            f"Following {kind} **{escape(follow.name)}** in "
            f"<#{channel_id}> (#{follow.id}). New briefs that mention it will post an alert there."
        )
        await send_answer(interaction, Answer(text=text, ephemeral=True))

    @app_commands.command(name="person")
    @app_commands.describe(
        name="Full name, surname or alias, as /who finds them",
        channel="Where to post alerts (default: this channel)",
    )
    @app_commands.guild_only()
    async def person(
        self,
        interaction: Interaction,
        name: app_commands.Range[str, 2, MAX_NAME],
        channel: discord.TextChannel | None = None,
    ) -> None:
        """Get an alert when a new brief mentions this person."""
        await self._follow(interaction, "person", name, channel)

    @app_commands.command(name="topic")
    @app_commands.describe(
        name="A word or phrase, such as tariffs or climate finance",
        channel="Where to post alerts (default: this channel)",
    )
    @app_commands.guild_only()
    async def topic(
        self,
        interaction: Interaction,
        name: app_commands.Range[str, 2, MAX_NAME],
        channel: discord.TextChannel | None = None,
    ) -> None:
        """Get an alert when a new brief mentions this topic."""
        await self._follow(interaction, "topic", name, channel)

    @app_commands.command(name="list")
    @app_commands.guild_only()
    async def list_(self, interaction: Interaction) -> None:
        """Show what this server follows, and where the alerts go."""
        guild_id = require_guild(interaction)
        follows = await self.sources.list_follows(guild_id=guild_id)
        if not follows:
            text = "Nothing followed yet. Try `/follow person` or `/follow topic`."
            await send_answer(interaction, Answer(text=text, ephemeral=True))
            return
        pages = [
            follows[i : i + FOLLOWS_PER_PAGE] for i in range(0, len(follows), FOLLOWS_PER_PAGE)
        ]
        cards = tuple(
            Card(title=f"Follows ({len(follows)})", description="\n".join(_line(f) for f in page))
            for page in pages
        )
        await send_answer(interaction, Answer(cards=cards), ephemeral=True)

    async def follow_choices(
        self, interaction: Interaction, current: str
    ) -> list[app_commands.Choice[int]]:
        """This server's follows for autocomplete."""
        if interaction.guild_id is None:
            return []
        wanted = current.strip().lstrip("#").lower()
        return [
            app_commands.Choice(name=clip(f"#{f.id} {f.kind}: {f.name}", 100), value=f.id)
            for f in await self.sources.list_follows(guild_id=interaction.guild_id)
            if wanted in str(f.id) or wanted in f.name.lower()
        ][:25]

    @app_commands.command(name="remove")
    @app_commands.describe(follow="The follow to remove")
    @app_commands.autocomplete(follow=follow_choices)
    @app_commands.guild_only()
    async def remove(self, interaction: Interaction, follow: int) -> None:
        """Stop a follow (yours, or any as a moderator)."""
        guild_id = require_guild(interaction)
        mine = [f for f in await self.sources.list_follows(guild_id=guild_id) if f.id == follow]
        others = mine and mine[0].created_by != interaction.user.id
        if others and not interaction.permissions.manage_guild:
            raise ChannelNotAllowed("Only its creator or a moderator can remove that follow.")
        removed = await self.sources.unfollow(follow, guild_id=guild_id)
        text = f"Stopped following **{escape(removed.name)}** (#{removed.id})."
        await send_answer(interaction, Answer(text=text, ephemeral=True))


async def setup(bot: commands.Bot) -> None:
    """Loaded by the composition root as an extension."""
    services = services_of(bot)
    await bot.add_cog(FollowCog(services.sources))

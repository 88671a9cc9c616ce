"""Runtime permission checks: hidden-by-default commands are checked again when run."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands


def require_guild(interaction: discord.Interaction[discord.Client]) -> int:
    """The guild id of the interaction; in a DM, refuse with NoPrivateMessage."""
    if interaction.guild_id is None:
        raise app_commands.NoPrivateMessage  # worded by the error handler
    return interaction.guild_id


def require_moderator(interaction: discord.Interaction[discord.Client]) -> bool:
    """Refuse members without Manage Server, whatever the server's command overrides say."""
    require_guild(interaction)
    if not interaction.permissions.manage_guild:
        raise app_commands.MissingPermissions(["manage_guild"])
    return True


@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
class ModeratorCog(commands.GroupCog):
    """A command group for moderators: hidden from members by default and checked when run."""

    async def interaction_check(self, interaction: discord.Interaction[discord.Client]) -> bool:
        """Moderators only, whatever the server's command overrides say."""
        return require_moderator(interaction)

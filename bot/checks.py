"""Runtime permission checks: hidden-by-default commands are checked again when run."""

from __future__ import annotations

import discord
from discord import app_commands


def require_guild(interaction: discord.Interaction[discord.Client]) -> int:
    """The guild id of the interaction; in a DM, refuse with NoPrivateMessage."""
    if interaction.guild_id is None:
        raise app_commands.NoPrivateMessage(
            "This command works in a server, not in direct messages."
        )
    return interaction.guild_id


def require_moderator(interaction: discord.Interaction[discord.Client]) -> bool:
    """Refuse members without Manage Server, whatever the server's command overrides say."""
    require_guild(interaction)
    if not interaction.permissions.manage_guild:
        raise app_commands.MissingPermissions(["manage_guild"])
    return True

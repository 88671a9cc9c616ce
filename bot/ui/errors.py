"""One error handler for every slash command: domain errors become clear ephemeral answers."""

from __future__ import annotations

import logging
import uuid

import discord
from discord import app_commands

from briefs.answers import DM_SCOPE, Surface, error_message
from briefs.errors import BriefingError, StorageError

log = logging.getLogger(__name__)

APOLOGY = (
    "Sorry, something went wrong on our side (error id `{id}`). It has been logged; "
    "please try again later."
)
# Failures of the machinery, not of the member's input: logged with the traceback, and the
# member gets an apology with an id to quote, never the driver's words.
INFRASTRUCTURE: tuple[type[Exception], ...] = (StorageError,)


def surface_of(interaction: discord.Interaction[discord.Client]) -> Surface:
    """Where the member asked: in a server, or in a direct message with the bot."""
    return "server" if interaction.guild_id is not None else "dm"


def user_message(error: app_commands.AppCommandError, surface: Surface = "server") -> str | None:
    """The message for an expected error, or None for a bug."""
    original = getattr(error, "original", error)
    if isinstance(original, INFRASTRUCTURE):
        return None
    if isinstance(original, BriefingError):
        return error_message(original, surface)
    match error:
        case app_commands.NoPrivateMessage():
            return "This command works in a server, not in direct messages. " + DM_SCOPE
        case app_commands.MissingPermissions():
            return "Only moderators (members with **Manage Server**) can use this command."
        case app_commands.BotMissingPermissions(missing_permissions=missing):
            return "I am missing permissions here: " + ", ".join(missing) + "."
        case app_commands.CommandOnCooldown(retry_after=retry_after):
            return f"Slow down: try again in {retry_after:.0f}s."
        case app_commands.TransformerError() | app_commands.CheckFailure():
            return str(error) or "That input cannot be used."
    return None


class BriefTree(app_commands.CommandTree[discord.Client]):
    """The command tree with the bot's single error handler."""

    async def on_error(
        self, interaction: discord.Interaction[discord.Client], error: app_commands.AppCommandError
    ) -> None:
        """Answer ephemerally with a clear reason; log the full error when it is a bug."""
        message = user_message(error, surface_of(interaction))
        command = interaction.command.qualified_name if interaction.command else "?"
        if message is None:
            error_id = uuid.uuid4().hex[:8]
            log.error(
                "Command /%s failed (guild %s, error id %s)",
                command,
                interaction.guild_id,
                error_id,
                exc_info=getattr(error, "original", error),
            )
            message = APOLOGY.format(id=error_id)
        else:
            log.info("Command /%s refused: %s", command, message)
        await send_error(interaction, message)


async def send_error(interaction: discord.Interaction[discord.Client], message: str) -> None:
    """Send an ephemeral message whether or not the interaction was answered already."""
    mentions = discord.AllowedMentions.none()
    try:
        if interaction.response.is_done():
            await interaction.followup.send(message, ephemeral=True, allowed_mentions=mentions)
        else:
            await interaction.response.send_message(
                message, ephemeral=True, allowed_mentions=mentions
            )
    except discord.HTTPException:
        log.warning("Could not deliver an error message for interaction %s", interaction.id)

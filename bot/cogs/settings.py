"""/settings timezone and /settings log-channel: a server's defaults for digests and reports."""

from __future__ import annotations

import logging

import discord
from discord import app_commands
from discord.ext import commands

from bot.services import services_of
from bot.ui.checks import ModeratorCog, require_guild
from bot.ui.choices import zone_choices
from bot.ui.views import send_answer
from briefs.answers import Answer
from briefs.digests.ports import ScheduleRepository
from briefs.digests.schedule import zone
from briefs.ports import Clock

log = logging.getLogger(__name__)

Interaction = discord.Interaction[discord.Client]


class SettingsCog(ModeratorCog, group_name="settings", group_description="Server settings"):
    """Moderators set the server's time zone and where failures are reported."""

    def __init__(self, schedules: ScheduleRepository, clock: Clock) -> None:
        self.schedules = schedules
        self.clock = clock
        super().__init__()

    @app_commands.command(name="timezone")
    @app_commands.describe(zone_name="IANA time zone, e.g. Europe/Paris")
    @app_commands.rename(zone_name="zone")
    @app_commands.autocomplete(zone_name=zone_choices)
    async def timezone(
        self, interaction: Interaction, zone_name: app_commands.Range[str, 1, 64]
    ) -> None:
        """Set the server's default time zone for new digests."""
        guild_id = require_guild(interaction)
        settings = await self.schedules.set_timezone(
            guild_id, zone(zone_name).key, now=self.clock.now()
        )
        log.info("Guild %s: time zone %s", guild_id, settings.timezone)
        text = f"New digests in this server now default to **{settings.timezone}**."
        await send_answer(interaction, Answer(text=text, ephemeral=True))

    @app_commands.command(name="log-channel")
    @app_commands.describe(
        channel="Where to report failing digests, feeds and follows (empty: none)"
    )
    async def log_channel(
        self, interaction: Interaction, channel: discord.TextChannel | None = None
    ) -> None:
        """Choose the channel where the bot reports what fails."""
        guild_id = require_guild(interaction)
        channel_id = channel.id if channel is not None else None
        await self.schedules.set_log_channel(guild_id, channel_id, now=self.clock.now())
        log.info("Guild %s: log channel %s", guild_id, channel_id)
        text = (
            f"Failures will be reported in <#{channel_id}>."
            if channel_id
            else "Failures will no longer be reported in a channel (they are still logged)."
        )
        await send_answer(interaction, Answer(text=text, ephemeral=True))


async def setup(bot: commands.Bot) -> None:
    """Loaded by the composition root as an extension."""
    services = services_of(bot)
    await bot.add_cog(SettingsCog(services.schedules, services.clock))

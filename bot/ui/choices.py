"""Autocomplete choices shared by several cogs (at most 25, names at most 100 characters)."""

from __future__ import annotations

from collections.abc import Sequence

import discord
from discord import app_commands

from briefs.digests.schedule import timezone_choices
from briefs.model import BriefRef
from briefs.render import clip, format_date

Choices = list[app_commands.Choice[str]]


def headline_choices(refs: Sequence[BriefRef]) -> Choices:
    """Briefs as choices: headline and date shown, the brief id as the value."""
    return [
        app_commands.Choice(
            name=clip(f"{r.headline} ({format_date(r.published)})", 100), value=str(r.id)
        )
        for r in refs[:25]
    ]


async def zone_choices(interaction: discord.Interaction[discord.Client], current: str) -> Choices:
    """IANA time zones matching what was typed."""
    return [app_commands.Choice(name=z, value=z) for z in timezone_choices(current)]

"""/briefs add and /briefs remove: moderators manage their server's own briefs."""

from __future__ import annotations

import logging

import discord
from discord import app_commands
from discord.ext import commands

from bot.config import Settings
from bot.services import UrlAdder, services_of
from bot.ui.checks import ModeratorCog, require_guild
from bot.ui.choices import Choices, headline_choices
from bot.ui.views import send_answer
from briefs import answers
from briefs.answers import Answer
from briefs.article_text import check_size
from briefs.errors import ArticleUnreadable
from briefs.markdown import escape
from briefs.render import clip
from briefs.service import BriefService

log = logging.getLogger(__name__)

Interaction = discord.Interaction[discord.Client]
MAX_PASTE = 4000  # Discord caps a string option at 6,000; articles belong in files


class BriefsAdminCog(
    ModeratorCog, group_name="briefs", group_description="Add and remove this server's briefs"
):
    """Moderators add articles (a file, pasted text or a URL) and remove briefs."""

    def __init__(self, service: BriefService, settings: Settings, add_url: UrlAdder | None = None):
        self.service = service
        self.max_bytes = settings.limits.max_article_bytes
        self.add_url = add_url
        super().__init__()

    @app_commands.command(name="add")
    @app_commands.describe(
        file="An article file: text, Markdown or HTML",
        text="Or paste the article (title on the first line)",
        url="Or a link to the article page",
    )
    async def add(
        self,
        interaction: Interaction,
        file: discord.Attachment | None = None,
        text: app_commands.Range[str, 1, MAX_PASTE] | None = None,
        url: app_commands.Range[str, 1, 2000] | None = None,
    ) -> None:
        """Add an article to this server's briefs."""
        guild_id = require_guild(interaction)
        given = [x for x in (file, text, url) if x is not None]
        if len(given) != 1:
            await send_answer(
                interaction, Answer(text="Give exactly one of: file, text or url.", ephemeral=True)
            )
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        if file is not None:
            result = await self.service.ingest(
                await self._read(file), file.filename, guild_id=guild_id
            )
        elif text is not None:
            result = await self.service.ingest(text, None, guild_id=guild_id)
        else:
            if self.add_url is None:
                await send_answer(
                    interaction, Answer(text="Adding by URL is not enabled here.", ephemeral=True)
                )
                return
            result = await self.add_url(str(url), guild_id)
        log.info("Guild %s: brief %s %s", guild_id, result.brief.id, result.status)
        await send_answer(interaction, answers.ingest_answer(result))

    async def _read(self, file: discord.Attachment) -> bytes:
        check_size(file.size, file.filename, self.max_bytes)  # before downloading it
        try:
            return await file.read()
        except discord.HTTPException as e:
            raise ArticleUnreadable(file.filename, "the attachment could not be downloaded") from e

    async def own_headlines(self, interaction: Interaction, current: str) -> Choices:
        """This server's own briefs for autocomplete."""
        refs = await self.service.complete_headlines(current, guild_id=interaction.guild_id)
        return headline_choices([r for r in refs if r.guild_id == interaction.guild_id])

    @app_commands.command(name="remove")
    @app_commands.describe(which="The brief to remove (id or headline words)")
    @app_commands.autocomplete(which=own_headlines)
    async def remove(
        self, interaction: Interaction, which: app_commands.Range[str, 1, 200]
    ) -> None:
        """Remove one of this server's briefs."""
        guild_id = require_guild(interaction)
        ref = await self.service.remove(which, guild_id=guild_id)
        log.info("Guild %s: removed brief %s", guild_id, ref.id)
        await send_answer(
            interaction,
            Answer(
                text=f"Removed brief #{ref.id}: **{escape(clip(ref.headline, 200))}**",
                ephemeral=True,
            ),
        )


async def setup(bot: commands.Bot) -> None:
    """Loaded by the composition root as an extension."""
    services = services_of(bot)
    await bot.add_cog(BriefsAdminCog(services.briefs, services.settings, services.add_url))

"""The commands every member uses: /who, /figures, /quotes, /brief, /search, /latest, …"""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.services import services_of
from bot.ui.choices import Choices, headline_choices
from bot.ui.errors import surface_of
from bot.ui.views import send_answer
from briefs import answers
from briefs.render import clip
from briefs.service import BriefService

Interaction = discord.Interaction[discord.Client]


class MembersCog(commands.Cog):
    """Ask the brief library: people, figures, quotes, briefs and search."""

    def __init__(self, service: BriefService) -> None:
        self.service = service

    async def names(self, interaction: Interaction, current: str) -> Choices:
        """People for autocomplete: one entry each, with the role when surnames are shared."""
        found = await self.service.complete_names(current, guild_id=interaction.guild_id)
        return [
            app_commands.Choice(name=clip(c.label, 100), value=c.value[:100]) for c in found[:25]
        ]

    async def headlines(self, interaction: Interaction, current: str) -> Choices:
        """Brief headlines for autocomplete; the value is the brief id."""
        refs = await self.service.complete_headlines(current, guild_id=interaction.guild_id)
        return headline_choices(refs)

    @app_commands.command(name="who")
    @app_commands.describe(name="A name, surname or part of it (accents and typos are fine)")
    @app_commands.autocomplete(name=names)
    async def who(self, interaction: Interaction, name: app_commands.Range[str, 1, 100]) -> None:
        """Who is this person: role, organisation, what they said, which briefs mention them."""
        await send_answer(
            interaction, await answers.who(self.service, name, guild_id=interaction.guild_id)
        )

    @app_commands.command(name="figures")
    @app_commands.describe(
        brief="Which brief (the latest by default)",
        topic="Figures from recent briefs on this topic",
        sources="Show the sentence each figure came from",
    )
    @app_commands.autocomplete(brief=headlines)
    async def figures(
        self,
        interaction: Interaction,
        brief: app_commands.Range[str, 1, 200] | None = None,
        topic: app_commands.Range[str, 1, 100] | None = None,
        sources: bool = False,
    ) -> None:
        """The key numbers, each with what it counts."""
        answer = await answers.figures(
            self.service, guild_id=interaction.guild_id, brief=brief, topic=topic, sources=sources
        )
        await send_answer(interaction, answer)

    @app_commands.command(name="quotes")
    @app_commands.describe(
        person="Quotes of this person", brief="Quotes from this brief", sources="Show each sentence"
    )
    @app_commands.autocomplete(person=names, brief=headlines)
    async def quotes(
        self,
        interaction: Interaction,
        person: app_commands.Range[str, 1, 100] | None = None,
        brief: app_commands.Range[str, 1, 200] | None = None,
        sources: bool = False,
    ) -> None:
        """Exact words and who said them."""
        answer = await answers.quotes(
            self.service, guild_id=interaction.guild_id, person=person, brief=brief, sources=sources
        )
        await send_answer(interaction, answer)

    @app_commands.command(name="brief")
    @app_commands.describe(which="Headline words or id (the latest by default)")
    @app_commands.autocomplete(which=headlines)
    async def brief(
        self, interaction: Interaction, which: app_commands.Range[str, 1, 200] | None = None
    ) -> None:
        """One brief: highlights, people, figures and a quote."""
        await send_answer(
            interaction, await answers.brief(self.service, which, guild_id=interaction.guild_id)
        )

    @app_commands.command(name="highlights")
    @app_commands.describe(brief="Headline words or id (the latest by default)")
    @app_commands.autocomplete(brief=headlines)
    async def highlights(
        self, interaction: Interaction, brief: app_commands.Range[str, 1, 200] | None = None
    ) -> None:
        """The highlights of a brief."""
        answer = await answers.highlights(self.service, brief, guild_id=interaction.guild_id)
        await send_answer(interaction, answer)

    @app_commands.command(name="analysis")
    @app_commands.describe(brief="Headline words or id (the latest by default)")
    @app_commands.autocomplete(brief=headlines)
    async def analysis(
        self, interaction: Interaction, brief: app_commands.Range[str, 1, 200] | None = None
    ) -> None:
        """The analysis and outlook of a brief."""
        answer = await answers.analysis(self.service, brief, guild_id=interaction.guild_id)
        await send_answer(interaction, answer)

    @app_commands.command(name="search")
    @app_commands.describe(text="Words to look for in headlines, highlights, articles and analysis")
    async def search(self, interaction: Interaction, text: app_commands.Range[str, 1, 200]) -> None:
        """Search every brief."""
        await send_answer(
            interaction, await answers.search(self.service, text, guild_id=interaction.guild_id)
        )

    @app_commands.command(name="latest")
    @app_commands.describe(count="How many briefs (1 to 50)")
    async def latest(
        self, interaction: Interaction, count: app_commands.Range[int, 1, 50] = 10
    ) -> None:
        """The newest briefs."""
        await send_answer(
            interaction, await answers.latest(self.service, count, guild_id=interaction.guild_id)
        )

    @app_commands.command(name="help")
    async def help(self, interaction: Interaction) -> None:
        """What briefbot can do."""
        await send_answer(interaction, answers.help_answer(surface_of(interaction)))


async def setup(bot: commands.Bot) -> None:
    """Loaded by the composition root as an extension."""
    services = services_of(bot)
    await bot.add_cog(MembersCog(services.briefs))

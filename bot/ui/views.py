"""Buttons to page through long answers; only the person who asked can page."""

from __future__ import annotations

import logging
from collections.abc import Sequence

import discord
from discord.utils import MISSING

from bot.ui.embeds import NO_MENTIONS, card_embed, content_text
from briefs.answers import Answer
from briefs.render import Card

log = logging.getLogger(__name__)

PAGER_TIMEOUT = 180.0


class Pager(discord.ui.View):
    """Previous/next buttons over a list of cards, for one user, until a timeout."""

    def __init__(self, cards: Sequence[Card], owner_id: int, *, timeout: float = PAGER_TIMEOUT):
        super().__init__(timeout=timeout)
        self.cards = list(cards)
        self.owner_id = owner_id
        self.page = 0
        self.message: discord.InteractionMessage | discord.WebhookMessage | None = None
        self._sync_buttons()

    def _sync_buttons(self) -> None:
        self.previous.disabled = self.page == 0
        self.next.disabled = self.page >= len(self.cards) - 1

    async def interaction_check(self, interaction: discord.Interaction[discord.Client]) -> bool:
        """Only the person who asked can turn the pages."""
        if interaction.user.id == self.owner_id:
            return True
        await interaction.response.send_message(
            "Only the person who asked can page through this; run the command yourself.",
            ephemeral=True,
            allowed_mentions=NO_MENTIONS,
        )
        return False

    async def _show(self, interaction: discord.Interaction[discord.Client], page: int) -> None:
        self.page = max(0, min(page, len(self.cards) - 1))
        self._sync_buttons()
        await interaction.response.edit_message(embed=card_embed(self.cards[self.page]), view=self)

    @discord.ui.button(
        label="Previous", style=discord.ButtonStyle.secondary, custom_id="pager:prev"
    )
    async def previous(
        self, interaction: discord.Interaction[discord.Client], button: discord.ui.Button[Pager]
    ) -> None:
        """Show the previous page."""
        await self._show(interaction, self.page - 1)

    @discord.ui.button(label="Next", style=discord.ButtonStyle.primary, custom_id="pager:next")
    async def next(
        self, interaction: discord.Interaction[discord.Client], button: discord.ui.Button[Pager]
    ) -> None:
        """Show the next page."""
        await self._show(interaction, self.page + 1)

    async def on_timeout(self) -> None:
        """Grey the buttons out so nobody clicks a dead view."""
        for item in self.children:
            if isinstance(item, discord.ui.Button):
                item.disabled = True
        if self.message is not None:
            try:
                await self.message.edit(view=self)
            except discord.HTTPException:
                log.debug("Could not disable the pager buttons")


async def send_answer(
    interaction: discord.Interaction[discord.Client], answer: Answer, *, ephemeral: bool = False
) -> None:
    """Send an answer: the first card with page buttons when there are more, or its text."""
    ephemeral = ephemeral or answer.ephemeral
    content = content_text(answer.text) if answer.text else None
    embed = card_embed(answer.cards[0]) if answer.cards else MISSING
    pager = Pager(answer.cards, interaction.user.id) if len(answer.cards) > 1 else None
    view = pager if pager is not None else MISSING
    if interaction.response.is_done():
        message = await interaction.followup.send(
            content or MISSING,
            embed=embed,
            view=view,
            ephemeral=ephemeral,
            allowed_mentions=NO_MENTIONS,
            wait=True,
        )
    else:
        await interaction.response.send_message(
            content, embed=embed, view=view, ephemeral=ephemeral, allowed_mentions=NO_MENTIONS
        )
        message = None
    if pager is not None:
        pager.message = message or await interaction.original_response()

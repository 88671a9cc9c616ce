"""The only place that builds discord.Embed: cards become embeds within Discord's limits."""

from __future__ import annotations

from collections.abc import Sequence

import discord

from briefs.digests.compose import DigestMessage
from briefs.render import Card, clip

EMBED_TOTAL_MAX = 6000
CONTENT_MAX = 2000
COLOUR = discord.Colour(0x3B82F6)
NO_MENTIONS = discord.AllowedMentions.none()


def card_embed(card: Card) -> discord.Embed:
    """One card as an embed, every part clipped to Discord's limits."""
    embed = discord.Embed(
        title=clip(card.title, 256),
        description=clip(card.description, 4096) or None,
        url=card.url,
        colour=COLOUR,
        timestamp=card.timestamp,
    )
    if card.image:
        embed.set_image(url=card.image)
    for field in card.fields[:25]:
        embed.add_field(
            name=clip(field.name, 256), value=clip(field.value, 1024) or "—", inline=field.inline
        )
    if card.footer:
        embed.set_footer(text=clip(card.footer, 2048))
    return _fit_total(embed)


def _fit_total(embed: discord.Embed) -> discord.Embed:
    """Shorten the description (then drop fields) until the embed is within 6,000 characters."""
    while len(embed) > EMBED_TOTAL_MAX:
        excess = len(embed) - EMBED_TOTAL_MAX
        description = embed.description or ""
        if len(description) > excess + 50:
            embed.description = clip(description, len(description) - excess - 1)
        elif embed.fields:
            embed.remove_field(len(embed.fields) - 1)
        else:
            embed.title = clip(embed.title or "", 64)
    return embed


def card_embeds(cards: Sequence[Card]) -> list[discord.Embed]:
    """Several cards as embeds for one message: at most 10, and 6,000 characters in all."""
    embeds: list[discord.Embed] = []
    total = 0
    for card in cards[:10]:
        embed = card_embed(card)
        if total + len(embed) > EMBED_TOTAL_MAX:
            break
        embeds.append(embed)
        total += len(embed)
    return embeds


def content_text(text: str) -> str:
    """Plain message content within Discord's 2,000 characters."""
    return clip(text, CONTENT_MAX)


def digest_parts(message: DigestMessage) -> tuple[str | None, list[discord.Embed]]:
    """A digest message as Discord shows it: its text and embeds (a run posts exactly these, and
    /digest preview shows exactly these)."""
    return content_text(message.content) or None, card_embeds(message.cards)

"""Point discord.py at a Discord-compatible API other than discord.com (self-hosted, tests)."""

from __future__ import annotations

import logging
from typing import Final

import discord
import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route

log = logging.getLogger(__name__)

DISCORD_API_BASE: Final[str] = Route.BASE
DISCORD_GATEWAY: Final[yarl.URL] = DiscordWebSocket.DEFAULT_GATEWAY


def configure_api_base(api_base: str | None) -> None:
    """Send discord.py's REST calls to `api_base`, or back to Discord's when it is None."""
    # discord.py 2.7 builds every REST and webhook URL (interaction callbacks included) from this
    # one class attribute; there is no per-client setting.
    Route.BASE = api_base.rstrip("/") if api_base else DISCORD_API_BASE
    if not api_base:
        DiscordWebSocket.DEFAULT_GATEWAY = DISCORD_GATEWAY
    log.debug("Discord API base: %s", Route.BASE)


def custom_api_base() -> str | None:
    """The API base set by `configure_api_base`, or None when it is Discord's."""
    return None if Route.BASE == DISCORD_API_BASE else Route.BASE


async def use_api_gateway(client: discord.Client) -> None:
    """Dial the gateway named by the configured API's `GET /gateway/bot` from now on."""
    # A plain (unsharded) Client never asks /gateway/bot: Client.connect dials
    # DiscordWebSocket.DEFAULT_GATEWAY, and the gateway falls back to that same class attribute
    # after an invalid session (op 9). Resumes use READY's resume_gateway_url, which the API
    # we point at chooses. So replacing DEFAULT_GATEWAY covers the first connect, re-identify
    # and resume alike. It is a class attribute, so it is global, like Route.BASE.
    _shards, url, _limit = await client.http.get_bot_gateway()
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(url)
    log.info("Using the gateway at %s", url)


class ApiBaseClient(discord.Client):
    """Mixin for a Client or Bot: with a custom API base, take the gateway from that API."""

    async def login(self, token: str) -> None:
        """Log in, then, when a custom API base is configured, adopt that API's gateway."""
        await super().login(token)
        if custom_api_base() is not None:
            await use_api_gateway(self)

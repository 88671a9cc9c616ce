"""The double's state: everything it holds, its URLs, and the world helpers every layer uses."""

from __future__ import annotations

import asyncio
import secrets
from typing import TYPE_CHECKING

from aiohttp import web

from tests.discord_double.records import (
    InteractionRecord,
    RecordedRequest,
    Violation,
    _Changes,
)
from tests.discord_double.wire import API_PREFIX
from tests.discord_double.world import (
    EVERYONE_PERMISSIONS,
    JSON,
    Attachment,
    Channel,
    Guild,
    Role,
    User,
    snowflake,
)

if TYPE_CHECKING:
    from tests.discord_double.gateway import GatewayConnection, _Session


class _DoubleState:
    """The attributes of a DiscordDouble, and the helpers that need nothing else."""

    def __init__(self, *, ack_window: float = 3.0) -> None:
        self.ack_window = ack_window
        self.post_delay = 0.0  # seconds each POST /channels/{id}/messages takes
        self.token = "MTAw.double." + secrets.token_urlsafe(18)
        self.bot_user = User(snowflake(), "Briefbot", bot=True)
        self.application_id = self.bot_user.id
        self.guilds: list[Guild] = []
        self.guild = self.add_guild("Briefing Room")
        self.text_channel = self.guild.channels[0]
        self.announcement_channel = self.guild.add_channel("announcements", 5)
        self.moderator = self.guild.add_member("mod", manage_guild=True)
        self.member = self.guild.add_member("reader")
        self.requests: list[RecordedRequest] = []
        self.violations: list[Violation] = []
        self.unhandled: list[str] = []
        self.connections: list[GatewayConnection] = []
        self.sync_count = 0
        self.identify_count = 0
        self.resume_count = 0
        self.changes = _Changes()
        self._commands: dict[int | None, list[JSON]] = {}
        self._command_ids: dict[tuple[int | None, str, int], str] = {}
        self._messages: dict[int, JSON] = {}
        self._crossposts: dict[int, list[int]] = {}
        self._crosspost_times: dict[int, list[float]] = {}
        self._crosspost_limit: tuple[int, float] | None = None
        self._interactions: dict[str, InteractionRecord] = {}
        self._attachments: dict[int, Attachment] = {}
        self._timers: list[asyncio.TimerHandle] = []
        self._session: _Session | None = None
        self._shards: dict[int, _Session] = {}  # shard id -> session, when the bot shards
        self._runner: web.AppRunner | None = None
        self.port = 0

    @property
    def base_url(self) -> str:
        """http://127.0.0.1:PORT."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_base(self) -> str:
        """The value for `[discord] api_base`: http://127.0.0.1:PORT/api/v10."""
        return self.base_url + API_PREFIX

    @property
    def gateway_url(self) -> str:
        """What GET /gateway/bot answers."""
        return f"ws://127.0.0.1:{self.port}/gateway"

    @property
    def resume_gateway_url(self) -> str:
        """What READY names as resume_gateway_url (a different path, so tests can tell)."""
        return f"ws://127.0.0.1:{self.port}/gateway-resume"

    # ---- world

    def add_guild(self, name: str) -> Guild:
        """Add a guild with a #general text channel; `await announce_guild(g)` after READY."""
        gid = snowflake()
        guild = Guild(gid, name, Role(gid, "@everyone", EVERYONE_PERMISSIONS, 0), self.bot_user)
        guild.add_channel("general", 0)
        self.guilds.append(guild)
        return guild

    def find_channel(self, channel_id: int) -> Channel | None:
        """The channel with this id in any guild (deleted ones included)."""
        for guild in self.guilds:
            found = guild.channel(channel_id)
            if found is not None:
                return found
        return None

    def _violate(self, kind: str, detail: str, interaction_id: int | None = None) -> None:
        self.violations.append(Violation(kind, detail, interaction_id))
        self.changes.touch()

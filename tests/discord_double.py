"""A loopback Discord double: REST + gateway on 127.0.0.1 that the real discord.py logs into.

Usage (see tests/bot/test_discord_double.py for complete, working examples)::

    from bot.discord_api import ApiBaseClient, configure_api_base
    from tests.discord_double import DiscordDouble

    async with DiscordDouble() as double:            # one guild, two channels, two members
        configure_api_base(double.api_base)          # "http://127.0.0.1:PORT/api/v10"
        bot = MyBot(...)                             # class MyBot(ApiBaseClient, commands.Bot)
        task = asyncio.create_task(bot.start(double.token))
        await double.wait_ready()                    # IDENTIFY seen, READY + GUILD_CREATE sent
        await double.wait_synced()                   # the bot PUT its commands
        rec = await double.slash("who", options={"name": "bondi"}, user=double.member)
        answer = await rec.response()                # the callback: {"type": 4, "data": {...}}
        assert not answer["data"].get("flags", 0) & 64
        rec = await double.slash("briefs add", options={"file": Attachment("a.txt", b"...")},
                                 user=double.moderator)
        await rec.response()                         # {"type": 5, ...} when the bot defers
        msg = await rec.followup()                   # the first follow-up's message payload
        page2 = await double.click(rec.message, "next", user=double.member)
        await page2.response()                       # {"type": 7, "data": {...}} for an edit
        await bot.close(); await task
        double.assert_clean()                        # no violations, no unknown routes

World: ``double.guild`` (``Guild``) with ``double.text_channel`` (type 0) and
``double.announcement_channel`` (type 5); ``double.moderator`` (Manage Server) and ``double.member``
(no extra permissions); ``double.add_guild()``, ``guild.add_channel()``, ``guild.add_member()`` make
more (a guild added after READY is announced with GUILD_CREATE).

Interactions: ``slash(path, options=, user=, channel=, guild=, dm=, override=)`` (path "group sub
name" for subcommands; option values: str/int/float/bool, ``Member``/``User``, ``Channel``,
``Role``, ``Attachment``), ``autocomplete(path, focused, value, options=)``,
``click(message, custom_id)``, ``submit_modal(record, values)``; ``guild=``/``channel=`` pick where (default: ``double.guild``,
its #general), ``dm=True`` runs it in a DM. Each returns an ``InteractionRecord``:
``await rec.response()``, ``await rec.followup(i)``, ``await rec.edit(i)``, ``rec.message`` (the
original response message, current state), ``rec.callback``, ``rec.followups``, ``rec.edits``.
``slash`` raises ``CommandHidden`` when Discord would not offer the command to that member
(``default_member_permissions``, ``contexts``/DMs, synced to another guild); ``override=True``
delivers it anyway, as when a server admin changes who may use it. ``double.visible(path, member)``
asks the same question.

State: ``double.requests`` (every REST call: method, path, query, json, files),
``double.commands(guild_id=None)`` (what was synced, with ids), ``double.channel_messages(id)``,
``double.crossposts(id)``, ``double.message(id)``, ``double.violations``, ``double.unhandled``,
``double.connections`` (gateway connections: path, query, identified/resumed).
Every stored message keeps the request's ``allowed_mentions``; ``pings_nobody(message)`` checks it.

Faults: ``forbid(channel_id)`` (403 50013), ``delete_channel(id)`` (404 10003),
``limit_crossposts(n, per_seconds)`` (429 with ``Via`` and ``X-RateLimit-*``),
``await disconnect()`` (close the socket; the bot RESUMEs at ``resume_gateway_url``),
``await invalidate_session()`` (op 9; the bot re-IDENTIFYs at the default gateway).

Violation kinds: ``unanswered`` (no callback when the window closed), ``late_callback``,
``double_ack``, ``followup_before_ack``, ``invalid_body``, ``invalid_commands``.
A 429 makes discord.py sleep ``retry_after`` and retry unless the client's ``max_ratelimit_timeout``
is lower (then it raises ``discord.RateLimited``): keep crosspost windows short in tests.

Enforced like Discord: the initial callback within ``ack_window`` (3 s) else 404 10062 and a
violation; a second initial callback 400 40060; follow-ups before the callback 404 10015; message,
embed, component, autocomplete and command-definition limits 400 50035 with Discord's error shape;
the bot token on every authenticated route (401). JSON answers carry ``Content-Type:
application/json`` exactly; gateway frames are zlib-stream compressed when asked for.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import secrets
import socket
import time
import zlib
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from aiohttp import BodyPartReader, WSMsgType, web

JSON = dict[str, Any]  # Any: Discord payloads are heterogeneous JSON objects.
DISCORD_EPOCH_MS = 1_420_070_400_000
API_PREFIX = "/api/v10"

# Permission bits (https://discord.com/developers/docs/topics/permissions).
ADMINISTRATOR = 1 << 3
MANAGE_GUILD = 1 << 5
VIEW_CHANNEL = 1 << 10
SEND_MESSAGES = 1 << 11
MANAGE_MESSAGES = 1 << 13
EMBED_LINKS = 1 << 14
ATTACH_FILES = 1 << 15
READ_MESSAGE_HISTORY = 1 << 16
USE_APPLICATION_COMMANDS = 1 << 31
EVERYONE_PERMISSIONS = (
    VIEW_CHANNEL | SEND_MESSAGES | EMBED_LINKS | ATTACH_FILES | READ_MESSAGE_HISTORY
) | USE_APPLICATION_COMMANDS
BOT_PERMISSIONS = EVERYONE_PERMISSIONS | MANAGE_MESSAGES
ALL_PERMISSIONS = (1 << 50) - 1

_ids = itertools.count(1)


def snowflake() -> int:
    """A new, increasing Discord snowflake."""
    return ((int(time.time() * 1000) - DISCORD_EPOCH_MS) << 22) | (next(_ids) & 0x3FFFFF)


def _now_iso() -> str:
    return datetime.now(UTC).isoformat()


def json_response(
    data: object, status: int = 200, headers: dict[str, str] | None = None
) -> web.Response:
    """A JSON answer whose Content-Type is exactly application/json (discord.py needs that)."""
    return web.Response(
        body=json.dumps(data).encode(),
        status=status,
        headers={"Content-Type": "application/json", **(headers or {})},
    )


def error_response(
    status: int, code: int, message: str, errors: JSON | None = None
) -> web.Response:
    """Discord's error shape: {"message", "code"} and, for 50035, nested "errors"."""
    body: JSON = {"message": message, "code": code}
    if errors:
        body["errors"] = errors
    return json_response(body, status)


# --------------------------------------------------------------------------- world model


@dataclass(eq=False)
class User:
    """A Discord user."""

    id: int
    name: str
    bot: bool = False

    def payload(self) -> JSON:
        """The user object as Discord sends it."""
        return {
            "id": str(self.id),
            "username": self.name,
            "global_name": None if self.bot else self.name.title(),
            "discriminator": "0",
            "avatar": None,
            "bot": self.bot,
            "public_flags": 0,
        }


@dataclass(eq=False)
class Role:
    """A guild role."""

    id: int
    name: str
    permissions: int
    position: int = 1

    def payload(self) -> JSON:
        """The role object as Discord sends it."""
        return {
            "id": str(self.id),
            "name": self.name,
            "permissions": str(self.permissions),
            "position": self.position,
            "color": 0,
            "hoist": False,
            "managed": False,
            "mentionable": False,
            "flags": 0,
            "icon": None,
            "unicode_emoji": None,
        }


@dataclass(eq=False)
class Member:
    """A guild member: a user with roles in one guild."""

    user: User
    guild: Guild
    roles: list[Role] = field(default_factory=list)

    @property
    def id(self) -> int:
        """The member's user id."""
        return self.user.id

    @property
    def permissions(self) -> int:
        """Guild-level permissions: @everyone plus the member's roles (admin means all)."""
        perms = self.guild.everyone.permissions
        for role in self.roles:
            perms |= role.permissions
        return ALL_PERMISSIONS if perms & ADMINISTRATOR else perms

    def payload(self, *, with_permissions: bool = False) -> JSON:
        """The guild member object as Discord sends it."""
        data: JSON = {
            "user": self.user.payload(),
            "roles": [str(r.id) for r in self.roles],
            "nick": None,
            "avatar": None,
            "joined_at": _now_iso(),
            "premium_since": None,
            "deaf": False,
            "mute": False,
            "flags": 0,
            "pending": False,
            "communication_disabled_until": None,
        }
        if with_permissions:
            data["permissions"] = str(self.permissions)
        return data


@dataclass(eq=False)
class Channel:
    """A guild channel (type 0 text, 5 announcement)."""

    id: int
    name: str
    type: int
    guild: Guild
    position: int = 0
    forbidden: bool = False
    deleted: bool = False

    def payload(self) -> JSON:
        """The channel object as Discord sends it."""
        return {
            "id": str(self.id),
            "type": self.type,
            "guild_id": str(self.guild.id),
            "name": self.name,
            "position": self.position,
            "permission_overwrites": [],
            "parent_id": None,
            "topic": None,
            "nsfw": False,
            "last_message_id": None,
            "rate_limit_per_user": 0,
            "flags": 0,
        }


@dataclass(eq=False)
class Guild:
    """A guild with its roles, channels and members."""

    id: int
    name: str
    everyone: Role
    bot_user: User
    roles: list[Role] = field(default_factory=list)
    channels: list[Channel] = field(default_factory=list)
    members: list[Member] = field(default_factory=list)

    def add_channel(self, name: str, type: int = 0) -> Channel:
        """Add a channel: type 0 text, 5 announcement."""
        channel = Channel(snowflake(), name, type, self, position=len(self.channels))
        self.channels.append(channel)
        return channel

    def add_role(self, name: str, permissions: int) -> Role:
        """Add a role with these permission bits."""
        role = Role(snowflake(), name, permissions, position=len(self.roles) + 1)
        self.roles.append(role)
        return role

    def add_member(self, name: str, *, manage_guild: bool = False, admin: bool = False) -> Member:
        """Add a member, optionally with a role granting Manage Server or Administrator."""
        roles = []
        if admin:
            roles.append(self._role_with("Admin", ADMINISTRATOR))
        elif manage_guild:
            roles.append(self._role_with("Moderator", MANAGE_GUILD))
        member = Member(User(snowflake(), name), self, roles)
        self.members.append(member)
        return member

    def _role_with(self, name: str, permissions: int) -> Role:
        for role in self.roles:
            if role.name == name:
                return role
        return self.add_role(name, permissions)

    def payload(self) -> JSON:
        """The GUILD_CREATE payload."""
        bot_role = self._role_with("Briefbot", BOT_PERMISSIONS)
        me = Member(self.bot_user, self, [bot_role])
        members = [me, *self.members]
        return {
            "id": str(self.id),
            "name": self.name,
            "icon": None,
            "owner_id": str(self.members[0].id if self.members else self.bot_user.id),
            "roles": [self.everyone.payload()] + [r.payload() for r in self.roles],
            "channels": [c.payload() for c in self.channels if not c.deleted],
            "members": [m.payload() for m in members],
            "member_count": len(members),
            "unavailable": False,
            "large": False,
            "features": [],
            "emojis": [],
            "stickers": [],
            "threads": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "voice_states": [],
            "presences": [],
            "preferred_locale": "en-US",
            "joined_at": _now_iso(),
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "mfa_level": 0,
            "nsfw_level": 0,
            "premium_tier": 0,
            "system_channel_id": None,
        }

    def channel(self, channel_id: int) -> Channel | None:
        """The channel with this id, if it is in this guild."""
        return next((c for c in self.channels if c.id == channel_id), None)


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file a user attaches to a slash-command option."""

    filename: str
    content: bytes
    content_type: str = "text/plain; charset=utf-8"


@dataclass(frozen=True, slots=True)
class RecordedRequest:
    """One REST request the bot made."""

    method: str
    path: str
    query: dict[str, str]
    json: Any  # Any: the decoded JSON body (object, list or None).
    files: tuple[tuple[str, bytes], ...] = ()


@dataclass(frozen=True, slots=True)
class Violation:
    """Something the bot did that Discord would refuse or punish."""

    kind: str
    detail: str
    interaction_id: int | None = None


class CommandHidden(Exception):
    """Discord would not offer this command to this member (or in this place)."""


# --------------------------------------------------------------------------- Discord's limits

_NAME_RE = re.compile(r"^[-_\w]{1,32}$")


def _too_long(limit: int) -> JSON:
    return {
        "_errors": [
            {"code": "BASE_TYPE_MAX_LENGTH", "message": f"Must be {limit} or fewer in length."}
        ]
    }


def _bad(code: str, message: str) -> JSON:
    return {"_errors": [{"code": code, "message": message}]}


def _embed_errors(embed: JSON) -> tuple[JSON, int]:
    """Errors for one embed, and its character count toward the 6000 total."""
    errors: JSON = {}
    size = 0
    for key, limit in (("title", 256), ("description", 4096)):
        text = embed.get(key) or ""
        size += len(text)
        if len(text) > limit:
            errors[key] = _too_long(limit)
    for key, sub, limit in (("footer", "text", 2048), ("author", "name", 256)):
        text = (embed.get(key) or {}).get(sub) or ""
        size += len(text)
        if len(text) > limit:
            errors[key] = {sub: _too_long(limit)}
    fields = embed.get("fields") or []
    if len(fields) > 25:
        errors["fields"] = _too_long(25)
    field_errors: JSON = {}
    for i, fld in enumerate(fields):
        one: JSON = {}
        for key, limit in (("name", 256), ("value", 1024)):
            text = fld.get(key) or ""
            size += len(text)
            if not text:
                one[key] = _bad("BASE_TYPE_REQUIRED", "This field is required")
            elif len(text) > limit:
                one[key] = _too_long(limit)
        if one:
            field_errors[str(i)] = one
    if field_errors and "fields" not in errors:
        errors["fields"] = field_errors
    return errors, size


def _component_errors(rows: list[JSON]) -> JSON:
    errors: JSON = {}
    if len(rows) > 5:
        return _too_long(5)
    for r, row in enumerate(rows):
        children = row.get("components") or []
        if row.get("type") == 1 and len(children) > 5:
            errors[str(r)] = {"components": _too_long(5)}
            continue
        for c, comp in enumerate(children):
            one: JSON = {}
            if len(comp.get("custom_id") or "") > 100:
                one["custom_id"] = _too_long(100)
            if len(comp.get("label") or "") > 80:
                one["label"] = _too_long(80)
            if len(comp.get("options") or []) > 25:
                one["options"] = _too_long(25)
            if one:
                errors.setdefault(str(r), {"components": {}})["components"][str(c)] = one
    return errors


def message_errors(body: JSON, *, has_files: bool = False, partial: bool = False) -> JSON:
    """Discord's 50035 `errors` object for a message body; empty when it is valid."""
    errors: JSON = {}
    content = body.get("content") or ""
    if len(content) > 2000:
        errors["content"] = _too_long(2000)
    embeds = body.get("embeds") or []
    if len(embeds) > 10:
        errors["embeds"] = _too_long(10)
    else:
        total = 0
        embed_errors: JSON = {}
        for i, embed in enumerate(embeds):
            one, size = _embed_errors(embed)
            total += size
            if one:
                embed_errors[str(i)] = one
        if embed_errors:
            errors["embeds"] = embed_errors
        elif total > 6000:
            errors["embeds"] = _bad(
                "MAX_EMBED_SIZE_EXCEEDED", "Embed size exceeds maximum size of 6000"
            )
    comp_errors = _component_errors(body.get("components") or [])
    if comp_errors:
        errors["components"] = comp_errors
    empty = not (content or embeds or has_files or body.get("components") or body.get("poll"))
    if not partial and empty and not errors:
        errors["content"] = _bad("BASE_TYPE_REQUIRED", "Cannot send an empty message")
    return errors


def command_errors(commands: list[JSON]) -> JSON:
    """Discord's 50035 `errors` for a bulk command sync; empty when every definition is valid."""
    errors: JSON = {}
    if len(commands) > 100:
        return {"_errors": _too_long(100)["_errors"]}
    seen: set[tuple[str, int]] = set()
    for i, cmd in enumerate(commands):
        one = _definition_errors(cmd, top=True)
        key = (cmd.get("name", ""), cmd.get("type", 1))
        if key in seen:
            one["name"] = _bad(
                "APPLICATION_COMMANDS_DUPLICATE_NAME", "Application command names must be unique"
            )
        seen.add(key)
        if one:
            errors[str(i)] = one
    return errors


def _definition_errors(item: JSON, *, top: bool) -> JSON:
    errors: JSON = {}
    name = item.get("name", "")
    chat_input = item.get("type", 1) == 1 or not top
    if chat_input and (not _NAME_RE.match(name) or name != name.lower()):
        errors["name"] = _bad(
            "APPLICATION_COMMAND_INVALID_NAME", f"Command name is invalid: {name!r}"
        )
    description = item.get("description", "")
    if chat_input and not 1 <= len(description) <= 100:
        errors["description"] = _bad("BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.")
    options = item.get("options") or []
    if len(options) > 25:
        errors["options"] = _too_long(25)
    opt_errors: JSON = {}
    optional_seen = False
    for j, opt in enumerate(options):
        one = _definition_errors(opt, top=False)
        if len(opt.get("choices") or []) > 25:
            one["choices"] = _too_long(25)
        if opt.get("type", 3) > 2:
            if opt.get("required") and optional_seen:
                one["required"] = _bad(
                    "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                    "Required options must be placed before non-required options",
                )
            optional_seen = optional_seen or not opt.get("required")
        if one:
            opt_errors[str(j)] = one
    if opt_errors and "options" not in errors:
        errors["options"] = opt_errors
    return errors


def choices_errors(choices: list[JSON]) -> JSON:
    """Discord's 50035 `errors` for autocomplete choices."""
    if len(choices) > 25:
        return {"choices": _too_long(25)}
    errors: JSON = {}
    for i, choice in enumerate(choices):
        one: JSON = {}
        if not 1 <= len(choice.get("name") or "") <= 100:
            one["name"] = _bad("BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.")
        value = choice.get("value")
        if isinstance(value, str) and len(value) > 100:
            one["value"] = _too_long(100)
        if one:
            errors[str(i)] = one
    return {"choices": errors} if errors else {}


def pings_nobody(message: JSON) -> bool:
    """True when the message's allowed_mentions cannot ping anyone (parse [], no ids)."""
    allowed = message.get("allowed_mentions")
    if allowed is None:
        return False  # Discord's default parses every mention in the content.
    return not allowed.get("parse") and not allowed.get("users") and not allowed.get("roles")


# --------------------------------------------------------------------------- interactions


class _Changes:
    """Lets waiters sleep until something changes, then re-check their condition."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def touch(self) -> None:
        """Wake every waiter."""
        old, self._event = self._event, asyncio.Event()
        old.set()

    async def wait_until(self, predicate: Callable[[], bool], what: str, within: float) -> None:
        """Return once predicate() holds, or fail the test with `what` after `within` seconds."""

        async def poll() -> None:
            while not predicate():
                await self._event.wait()

        try:
            await asyncio.wait_for(poll(), within)
        except TimeoutError:
            raise AssertionError(f"timed out after {within}s waiting for {what}") from None


class InteractionRecord:
    """One interaction the double sent, and everything the bot answered to it."""

    def __init__(self, payload: JSON, sent_at: float, message: JSON | None = None) -> None:
        self.payload = payload
        self.id = int(payload["id"])
        self.token: str = payload["token"]
        self.type: int = payload["type"]
        self.sent_at = sent_at
        self.callback: JSON | None = None
        self.callback_files: tuple[tuple[str, bytes], ...] = ()
        self.followups: list[JSON] = []
        self.edits: list[JSON] = []
        self.message: JSON | None = message  # the original response message (current state)
        self.late = False
        self.changes = _Changes()

    @property
    def name(self) -> str:
        """The command name or custom_id, for error messages."""
        data = self.payload.get("data") or {}
        return str(data.get("name") or data.get("custom_id") or self.id)

    @property
    def ephemeral(self) -> bool:
        """Whether the original response is only visible to the user."""
        return bool(self.message and self.message.get("flags", 0) & 64)

    async def response(self, within: float = 5.0) -> JSON:
        """The initial callback body ({"type": n, "data": {...}})."""
        await self.changes.wait_until(
            lambda: self.callback is not None, f"the initial callback to {self.name!r}", within
        )
        assert self.callback is not None
        return self.callback

    async def followup(self, index: int = 0, within: float = 5.0) -> JSON:
        """The message created by follow-up number `index` (0-based)."""
        await self.changes.wait_until(
            lambda: len(self.followups) > index, f"follow-up #{index} to {self.name!r}", within
        )
        return self.followups[index]

    async def edit(self, index: int = 0, within: float = 5.0) -> JSON:
        """The body of edit number `index` to the original response."""
        await self.changes.wait_until(
            lambda: len(self.edits) > index, f"edit #{index} of {self.name!r}", within
        )
        return self.edits[index]


@dataclass(eq=False)
class GatewayConnection:
    """One websocket connection the bot opened."""

    path: str
    query: dict[str, str]
    identified: bool = False
    resumed: bool = False
    closed: bool = False
    ws: web.WebSocketResponse | None = field(default=None, repr=False)
    compressor: Any = field(default=None, repr=False)  # Any: zlib's compressobj has no public type.
    lock: asyncio.Lock = field(default_factory=asyncio.Lock, repr=False)


@dataclass(eq=False)
class _Session:
    id: str
    seq: int = 0
    sent: list[JSON] = field(default_factory=list)
    conn: GatewayConnection | None = None


# --------------------------------------------------------------------------- the double

Handler = Callable[["_Call"], Awaitable[web.StreamResponse]]


@dataclass(slots=True)
class _Call:
    """A REST request, parsed."""

    request: web.Request
    params: dict[str, str]
    body: Any  # Any: decoded JSON body (object, list or None).
    files: tuple[tuple[str, bytes], ...]


class DiscordDouble:
    """A Discord API + gateway on 127.0.0.1 for the real discord.py; see the module docstring."""

    def __init__(self, *, ack_window: float = 3.0) -> None:
        self.ack_window = ack_window
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
        self._runner: web.AppRunner | None = None
        self.port = 0

    # ---- lifecycle

    async def __aenter__(self) -> DiscordDouble:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def start(self) -> None:
        """Listen on a free port of 127.0.0.1."""
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_get("/gateway", self._gateway)
        app.router.add_get("/gateway-resume", self._gateway)
        app.router.add_get("/attachments/{id}/{filename}", self._attachment)
        app.router.add_route("*", API_PREFIX + "/{tail:.*}", self._rest)
        self._runner = web.AppRunner(app, handle_signals=False, access_log=None)
        await self._runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        await web.SockSite(self._runner, sock).start()

    async def close(self) -> None:
        """Close every websocket and stop listening."""
        for timer in self._timers:
            timer.cancel()
        for conn in self.connections:
            if conn.ws is not None and not conn.ws.closed:
                await conn.ws.close(code=1001)
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

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

    async def announce_guild(self, guild: Guild) -> None:
        """Send GUILD_CREATE for a guild added after READY."""
        await self.dispatch("GUILD_CREATE", guild.payload())

    def find_channel(self, channel_id: int) -> Channel | None:
        """The channel with this id in any guild (deleted ones included)."""
        for guild in self.guilds:
            found = guild.channel(channel_id)
            if found is not None:
                return found
        return None

    def forbid(self, channel_id: int) -> None:
        """Take the bot's permission to post in this channel away (403 50013 from now on)."""
        self._channel(channel_id).forbidden = True

    async def delete_channel(self, channel_id: int) -> None:
        """Delete the channel (404 10003 from now on) and tell the bot with CHANNEL_DELETE."""
        channel = self._channel(channel_id)
        channel.deleted = True
        if self._session is not None:
            await self.dispatch("CHANNEL_DELETE", channel.payload())

    def limit_crossposts(self, per_channel: int, per_seconds: float = 3600.0) -> None:
        """Answer 429 once a channel has published `per_channel` messages in `per_seconds`."""
        self._crosspost_limit = (per_channel, per_seconds)

    def _channel(self, channel_id: int) -> Channel:
        channel = self.find_channel(channel_id)
        if channel is None:
            raise AssertionError(f"no channel {channel_id} in the double")
        return channel

    # ---- what the bot did

    def commands(self, guild_id: int | None = None) -> list[JSON]:
        """The commands synced globally (guild_id None) or to one guild, with their ids."""
        return list(self._commands.get(guild_id, []))

    def message(self, message_id: int | str) -> JSON | None:
        """A stored message, current state."""
        return self._messages.get(int(message_id))

    def channel_messages(self, channel_id: int) -> list[JSON]:
        """Messages everyone can see in a channel, oldest first (ephemeral ones excluded)."""
        return [
            m
            for m in self._messages.values()
            if int(m["channel_id"]) == channel_id and not m.get("flags", 0) & 64
        ]

    def crossposts(self, channel_id: int) -> list[JSON]:
        """Messages published (crossposted) from an announcement channel."""
        return [self._messages[mid] for mid in self._crossposts.get(channel_id, [])]

    def requests_to(self, method: str, pattern: str) -> list[RecordedRequest]:
        """Recorded requests whose method matches and whose path matches the regex `pattern`."""
        return [r for r in self.requests if r.method == method and re.search(pattern, r.path)]

    def assert_clean(self) -> None:
        """Fail if the bot did anything Discord would refuse, or called a route the double lacks."""
        problems = [f"{v.kind}: {v.detail}" for v in self.violations]
        problems += [f"unhandled route: {u}" for u in self.unhandled]
        assert not problems, "Discord double saw problems:\n" + "\n".join(problems)

    def _violate(self, kind: str, detail: str, interaction_id: int | None = None) -> None:
        self.violations.append(Violation(kind, detail, interaction_id))
        self.changes.touch()

    # ---- waiting

    async def wait_ready(self, within: float = 10.0) -> None:
        """Wait until the bot has IDENTIFIED and received READY and GUILD_CREATEs."""
        await self.changes.wait_until(
            lambda: self.identify_count >= 1, "the bot to IDENTIFY on the gateway", within
        )

    async def wait_identified(self, count: int, within: float = 10.0) -> None:
        """Wait until the bot has IDENTIFIED `count` times in all."""
        await self.changes.wait_until(
            lambda: self.identify_count >= count, f"IDENTIFY #{count}", within
        )

    async def wait_resumed(self, count: int = 1, within: float = 10.0) -> None:
        """Wait until the bot has RESUMED `count` times in all."""
        await self.changes.wait_until(
            lambda: self.resume_count >= count, f"RESUME #{count}", within
        )

    async def wait_synced(self, count: int = 1, within: float = 10.0) -> None:
        """Wait until the bot has synced commands `count` times in all (global or guild)."""
        await self.changes.wait_until(
            lambda: self.sync_count >= count, f"command sync #{count}", within
        )

    # ---- gateway

    async def dispatch(self, event: str, data: JSON) -> None:
        """Send a DISPATCH event (buffered for RESUME while the bot is disconnected)."""
        session = self._session
        if session is None:
            raise AssertionError(f"cannot send {event}: the bot has no gateway session")
        session.seq += 1
        payload = {"op": 0, "t": event, "s": session.seq, "d": data}
        session.sent.append(payload)
        if session.conn is not None:
            await self._send(session.conn, payload)

    async def disconnect(self, code: int = 4000) -> None:
        """Close the bot's websocket with a resumable code; discord.py should RESUME."""
        session = self._session
        if session is None or session.conn is None or session.conn.ws is None:
            raise AssertionError("the bot is not connected")
        ws, session.conn = session.conn.ws, None
        await ws.close(code=code)

    async def invalidate_session(self) -> None:
        """Send op 9 (not resumable); discord.py should IDENTIFY again at the default gateway."""
        session = self._session
        if session is None or session.conn is None:
            raise AssertionError("the bot is not connected")
        conn, session.conn = session.conn, None
        self._session = None
        await self._send(conn, {"op": 9, "d": False, "s": None, "t": None})

    async def _send(self, conn: GatewayConnection, payload: JSON) -> None:
        if conn.ws is None or conn.ws.closed:
            return
        text = json.dumps(payload)
        async with conn.lock:  # zlib-stream frames must leave in the order they were compressed
            if conn.compressor is not None:
                frame = conn.compressor.compress(text.encode()) + conn.compressor.flush(
                    zlib.Z_SYNC_FLUSH
                )
                await conn.ws.send_bytes(frame)
            else:
                await conn.ws.send_str(text)

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(max_msg_size=0)
        await ws.prepare(request)
        conn = GatewayConnection(request.path, dict(request.query), ws=ws)
        if request.query.get("compress") == "zlib-stream":
            conn.compressor = zlib.compressobj()
        # Any other compression (zstd-stream) gets plain text frames, which discord.py accepts.
        self.connections.append(conn)
        self.changes.touch()
        await self._send(conn, {"op": 10, "d": {"heartbeat_interval": 41250}, "s": None, "t": None})
        try:
            async for msg in ws:
                if msg.type is WSMsgType.TEXT:
                    await self._on_gateway_message(conn, json.loads(msg.data))
        finally:
            conn.closed = True
            if self._session is not None and self._session.conn is conn:
                self._session.conn = None
            self.changes.touch()
        return ws

    async def _on_gateway_message(self, conn: GatewayConnection, msg: JSON) -> None:
        op = msg.get("op")
        data: JSON = msg.get("d") or {}
        if op == 1:
            await self._send(conn, {"op": 11, "d": None, "s": None, "t": None})
        elif op == 2:
            await self._identify(conn, data)
        elif op == 6:
            await self._resume(conn, data)
        elif op == 8:
            await self._members_chunk(data)

    async def _identify(self, conn: GatewayConnection, data: JSON) -> None:
        if data.get("token") != self.token:
            assert conn.ws is not None
            await conn.ws.close(code=4004, message=b"Authentication failed.")
            return
        self._session = _Session(secrets.token_hex(16), conn=conn)
        conn.identified = True
        await self.dispatch("READY", self._ready_payload())
        for guild in self.guilds:
            await self.dispatch("GUILD_CREATE", guild.payload())
        self.identify_count += 1
        self.changes.touch()

    def _ready_payload(self) -> JSON:
        assert self._session is not None
        return {
            "v": 10,
            "user": {**self.bot_user.payload(), "verified": True, "mfa_enabled": False, "flags": 0},
            "application": {"id": str(self.application_id), "flags": 0},
            "session_id": self._session.id,
            "session_type": "normal",
            "resume_gateway_url": self.resume_gateway_url,
            "guilds": [{"id": str(g.id), "unavailable": True} for g in self.guilds],
            "private_channels": [],
            "relationships": [],
            "presences": [],
            "geo_ordered_rtc_regions": [],
            "shard": [0, 1],
        }

    async def _resume(self, conn: GatewayConnection, data: JSON) -> None:
        session = self._session
        if (
            session is None
            or data.get("session_id") != session.id
            or data.get("token") != self.token
        ):
            await self._send(conn, {"op": 9, "d": False, "s": None, "t": None})
            return
        since = data.get("seq") or 0
        session.conn = conn
        conn.resumed = True
        for payload in session.sent:
            if payload["s"] > since:
                await self._send(conn, payload)
        await self.dispatch("RESUMED", {})
        self.resume_count += 1
        self.changes.touch()

    async def _members_chunk(self, data: JSON) -> None:
        guild = next((g for g in self.guilds if str(g.id) == str(data.get("guild_id"))), None)
        if guild is None:
            return
        chunk: JSON = {
            "guild_id": str(guild.id),
            "members": [m.payload() for m in guild.members],
            "chunk_index": 0,
            "chunk_count": 1,
        }
        if data.get("nonce"):
            chunk["nonce"] = data["nonce"]
        await self.dispatch("GUILD_MEMBERS_CHUNK", chunk)

    async def _attachment(self, request: web.Request) -> web.StreamResponse:
        found = self._attachments.get(int(request.match_info["id"]))
        if found is None:
            return web.Response(status=404)
        return web.Response(body=found.content, headers={"Content-Type": found.content_type})

    # ---- REST plumbing

    def _routes(self) -> list[tuple[str, re.Pattern[str], Handler, bool]]:
        table: list[tuple[str, str, Handler, bool]] = [
            ("GET", r"/gateway/bot", self._get_gateway_bot, True),
            ("GET", r"/gateway", self._get_gateway, False),
            ("GET", r"/users/@me", self._get_me, True),
            ("GET", r"/users/(?P<user>\d+)", self._get_user, True),
            ("GET", r"/oauth2/applications/@me", self._get_application, True),
            ("PUT", r"/applications/(?P<app>\d+)/commands", self._put_commands, True),
            ("GET", r"/applications/(?P<app>\d+)/commands", self._get_commands, True),
            ("PUT", r"/applications/(?P<app>\d+)/guilds/(?P<guild>\d+)/commands", self._put_commands, True),
            ("GET", r"/applications/(?P<app>\d+)/guilds/(?P<guild>\d+)/commands", self._get_commands, True),
            ("POST", r"/interactions/(?P<id>\d+)/(?P<token>[^/]+)/callback", self._callback, False),
            ("POST", r"/webhooks/(?P<app>\d+)/(?P<token>[^/]+)", self._followup, False),
            ("GET", r"/webhooks/(?P<app>\d+)/(?P<token>[^/]+)/messages/(?P<mid>@original|\d+)", self._webhook_message, False),
            ("PATCH", r"/webhooks/(?P<app>\d+)/(?P<token>[^/]+)/messages/(?P<mid>@original|\d+)", self._webhook_message, False),
            ("DELETE", r"/webhooks/(?P<app>\d+)/(?P<token>[^/]+)/messages/(?P<mid>@original|\d+)", self._webhook_message, False),
            ("GET", r"/channels/(?P<channel>\d+)", self._get_channel, True),
            ("POST", r"/channels/(?P<channel>\d+)/typing", self._typing, True),
            ("POST", r"/channels/(?P<channel>\d+)/messages", self._post_message, True),
            ("GET", r"/channels/(?P<channel>\d+)/messages/(?P<mid>\d+)", self._channel_message, True),
            ("PATCH", r"/channels/(?P<channel>\d+)/messages/(?P<mid>\d+)", self._channel_message, True),
            ("DELETE", r"/channels/(?P<channel>\d+)/messages/(?P<mid>\d+)", self._channel_message, True),
            ("POST", r"/channels/(?P<channel>\d+)/messages/(?P<mid>\d+)/crosspost", self._crosspost, True),
            ("GET", r"/guilds/(?P<guild>\d+)", self._get_guild, True),
            ("GET", r"/guilds/(?P<guild>\d+)/channels", self._get_guild_channels, True),
            ("GET", r"/guilds/(?P<guild>\d+)/roles", self._get_roles, True),
            ("GET", r"/guilds/(?P<guild>\d+)/members/(?P<user>\d+)", self._get_member, True),
        ]  # fmt: skip
        return [(m, re.compile(p + "$"), h, a) for m, p, h, a in table]

    async def _rest(self, request: web.Request) -> web.StreamResponse:
        path = "/" + request.match_info["tail"]
        body, files = await self._read_body(request)
        self.requests.append(
            RecordedRequest(request.method, path, dict(request.query), body, files)
        )
        for method, pattern, handler, needs_auth in self._routes():
            match = pattern.match(path)
            if method != request.method or match is None:
                continue
            if needs_auth and request.headers.get("Authorization") != f"Bot {self.token}":
                return error_response(401, 0, "401: Unauthorized")
            return await handler(_Call(request, match.groupdict(), body, files))
        self.unhandled.append(f"{request.method} {path}")
        return error_response(404, 0, "404: Not Found")

    @staticmethod
    async def _read_body(
        request: web.Request,
    ) -> tuple[Any, tuple[tuple[str, bytes], ...]]:  # Any: JSON.
        if not request.body_exists:
            return None, ()
        if request.content_type == "multipart/form-data":
            body: Any = None  # Any: the decoded payload_json.
            files: list[tuple[str, bytes]] = []
            reader = await request.multipart()
            while (part := await reader.next()) is not None:
                if not isinstance(part, BodyPartReader):
                    continue  # discord.py never nests multipart bodies
                data = await part.read()
                if part.name == "payload_json":
                    body = json.loads(data)
                else:
                    files.append((part.filename or part.name or "file", bytes(data)))
            return body, tuple(files)
        raw = await request.read()
        return (json.loads(raw) if raw else None), ()

    # ---- REST: login and commands

    async def _get_gateway_bot(self, call: _Call) -> web.StreamResponse:
        limit = {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1}
        return json_response({"url": self.gateway_url, "shards": 1, "session_start_limit": limit})

    async def _get_gateway(self, call: _Call) -> web.StreamResponse:
        return json_response({"url": self.gateway_url})

    async def _get_me(self, call: _Call) -> web.StreamResponse:
        me = {**self.bot_user.payload(), "verified": True, "mfa_enabled": False, "flags": 0}
        return json_response(me)

    async def _get_user(self, call: _Call) -> web.StreamResponse:
        for guild in self.guilds:
            for member in guild.members:
                if str(member.id) == call.params["user"]:
                    return json_response(member.user.payload())
        if call.params["user"] == str(self.bot_user.id):
            return json_response(self.bot_user.payload())
        return error_response(404, 10013, "Unknown User")

    async def _get_application(self, call: _Call) -> web.StreamResponse:
        owner = self.moderator.user.payload()
        return json_response(
            {
                "id": str(self.application_id),
                "name": self.bot_user.name,
                "description": "",
                "icon": None,
                "bot_public": True,
                "bot_require_code_grant": False,
                "owner": owner,
                "verify_key": "0" * 64,
                "flags": 0,
                "team": None,
                "interactions_endpoint_url": None,
                "bot": self.bot_user.payload(),
            }
        )

    async def _put_commands(self, call: _Call) -> web.StreamResponse:
        if call.params["app"] != str(self.application_id):
            return error_response(403, 50001, "Missing Access")
        guild_id = int(call.params["guild"]) if "guild" in call.params else None
        definitions: list[JSON] = call.body or []
        errors = command_errors(definitions)
        if errors:
            self._violate("invalid_commands", json.dumps(errors))
            return error_response(400, 50035, "Invalid Form Body", errors)
        self._commands[guild_id] = [self._stored_command(guild_id, c) for c in definitions]
        self.sync_count += 1
        self.changes.touch()
        return json_response(self._commands[guild_id])

    def _stored_command(self, guild_id: int | None, definition: JSON) -> JSON:
        kind = definition.get("type", 1)
        key = (guild_id, definition["name"], kind)
        command_id = self._command_ids.setdefault(key, str(snowflake()))
        stored: JSON = {
            "id": command_id,
            "application_id": str(self.application_id),
            "version": str(snowflake()),
            "type": kind,
            "name": definition["name"],
            "description": definition.get("description", ""),
            "options": definition.get("options") or [],
            "default_member_permissions": definition.get("default_member_permissions"),
            "dm_permission": definition.get("dm_permission", True),
            "contexts": definition.get("contexts"),
            "integration_types": definition.get("integration_types") or [0],
            "nsfw": definition.get("nsfw", False),
            "name_localizations": definition.get("name_localizations"),
            "description_localizations": definition.get("description_localizations"),
        }
        if guild_id is not None:
            stored["guild_id"] = str(guild_id)
        return stored

    async def _get_commands(self, call: _Call) -> web.StreamResponse:
        guild_id = int(call.params["guild"]) if "guild" in call.params else None
        return json_response(self._commands.get(guild_id, []))

    # ---- messages

    def _new_message(
        self,
        channel_id: int,
        body: JSON,
        files: Iterable[tuple[str, bytes]],
        rec: InteractionRecord | None = None,
    ) -> JSON:
        message: JSON = {
            "id": str(snowflake()),
            "channel_id": str(channel_id),
            "author": self.bot_user.payload(),
            "content": "",
            "timestamp": _now_iso(),
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": [],
            "embeds": [],
            "components": [],
            "pinned": False,
            "type": 0,
            "flags": body.get("flags", 0) & 64,
        }
        channel = self.find_channel(channel_id)
        if channel is not None:
            message["guild_id"] = str(channel.guild.id)
        if rec is not None:
            user = rec.payload.get("member", {}).get("user") or rec.payload.get("user")
            message["webhook_id"] = str(self.application_id)
            message["application_id"] = str(self.application_id)
            message["type"] = 20 if rec.type == 2 else 0
            message["interaction_metadata"] = {
                "id": str(rec.id),
                "type": rec.type,
                "user": user,
                "authorizing_integration_owners": rec.payload["authorizing_integration_owners"],
            }
        self._apply(message, body, files)
        self._messages[int(message["id"])] = message
        return message

    def _apply(self, message: JSON, body: JSON, files: Iterable[tuple[str, bytes]]) -> None:
        """Apply a create/edit body to a stored message; `allowed_mentions` is kept for tests."""
        for key in ("content", "embeds", "components", "poll"):
            if key in body:
                message[key] = (
                    body[key] if body[key] is not None else ([] if key != "content" else "")
                )
        if "flags" in body and body["flags"] is not None:
            message["flags"] = (message.get("flags", 0) & ~4) | (body["flags"] & 4)
        message["allowed_mentions"] = body.get("allowed_mentions")
        if "attachments" in body or files:
            kept = [
                a
                for a in message["attachments"]
                if any(str(b.get("id")) == a["id"] for b in body.get("attachments") or [])
            ]
            message["attachments"] = kept + [self._store_attachment(n, d) for n, d in files]

    def _store_attachment(self, filename: str, data: bytes) -> JSON:
        attachment = Attachment(filename, data, "application/octet-stream")
        aid = snowflake()
        self._attachments[aid] = attachment
        return self._attachment_payload(aid, attachment)

    def _attachment_payload(self, aid: int, attachment: Attachment) -> JSON:
        url = f"{self.base_url}/attachments/{aid}/{attachment.filename}"
        return {
            "id": str(aid),
            "filename": attachment.filename,
            "size": len(attachment.content),
            "url": url,
            "proxy_url": url,
            "content_type": attachment.content_type,
        }

    def _edit(self, message: JSON, body: JSON, files: tuple[tuple[str, bytes], ...]) -> JSON | None:
        """Apply an edit if the result is a valid message; return the 50035 errors otherwise."""
        merged = {**message, **{k: v for k, v in body.items() if v is not None}}
        errors = message_errors(merged, has_files=bool(files or merged.get("attachments")))
        if errors:
            return errors
        self._apply(message, body, files)
        message["edited_timestamp"] = _now_iso()
        return None

    def _writable_channel(self, channel_id: int) -> Channel | web.Response:
        channel = self.find_channel(channel_id)
        if channel is None or channel.deleted:
            return error_response(404, 10003, "Unknown Channel")
        if channel.forbidden:
            return error_response(403, 50013, "Missing Permissions")
        return channel

    def _invalid(
        self, errors: JSON, detail: str, rec: InteractionRecord | None = None
    ) -> web.Response:
        self._violate("invalid_body", f"{detail}: {json.dumps(errors)}", rec.id if rec else None)
        return error_response(400, 50035, "Invalid Form Body", errors)

    async def _get_channel(self, call: _Call) -> web.StreamResponse:
        channel = self.find_channel(int(call.params["channel"]))
        if channel is None or channel.deleted:
            return error_response(404, 10003, "Unknown Channel")
        if channel.forbidden:
            return error_response(403, 50001, "Missing Access")
        return json_response(channel.payload())

    async def _typing(self, call: _Call) -> web.StreamResponse:
        found = self._writable_channel(int(call.params["channel"]))
        return found if isinstance(found, web.Response) else web.Response(status=204)

    async def _post_message(self, call: _Call) -> web.StreamResponse:
        found = self._writable_channel(int(call.params["channel"]))
        if isinstance(found, web.Response):
            return found
        body: JSON = call.body or {}
        errors = message_errors(body, has_files=bool(call.files))
        if errors:
            return self._invalid(errors, f"POST /channels/{found.id}/messages")
        message = self._new_message(found.id, {**body, "flags": 0}, call.files)
        if self._session is not None:
            await self.dispatch("MESSAGE_CREATE", message)
        return json_response(message)

    async def _channel_message(self, call: _Call) -> web.StreamResponse:
        channel_id = int(call.params["channel"])
        found = self._writable_channel(channel_id)
        if isinstance(found, web.Response) and call.request.method != "GET":
            return found
        message = self._messages.get(int(call.params["mid"]))
        if message is None or int(message["channel_id"]) != channel_id:
            return error_response(404, 10008, "Unknown Message")
        if call.request.method == "GET":
            return json_response(message)
        if call.request.method == "DELETE":
            del self._messages[int(message["id"])]
            return web.Response(status=204)
        errors = self._edit(message, call.body or {}, call.files)
        if errors:
            return self._invalid(errors, f"PATCH message {message['id']}")
        return json_response(message)

    async def _crosspost(self, call: _Call) -> web.StreamResponse:
        found = self._writable_channel(int(call.params["channel"]))
        if isinstance(found, web.Response):
            return found
        message = self._messages.get(int(call.params["mid"]))
        if message is None or int(message["channel_id"]) != found.id:
            return error_response(404, 10008, "Unknown Message")
        if found.type != 5:
            return error_response(400, 50024, "Cannot execute action on this channel type")
        if message.get("flags", 0) & 1:
            return error_response(400, 40033, "This message has already been crossposted.")
        limited = self._crosspost_rate_limit(found.id)
        if limited is not None:
            return limited
        message["flags"] = message.get("flags", 0) | 1
        self._crossposts.setdefault(found.id, []).append(int(message["id"]))
        return json_response(message)

    def _crosspost_rate_limit(self, channel_id: int) -> web.Response | None:
        if self._crosspost_limit is None:
            return None
        limit, window = self._crosspost_limit
        now = time.monotonic()
        recent = [t for t in self._crosspost_times.get(channel_id, []) if now - t < window]
        self._crosspost_times[channel_id] = recent
        if len(recent) < limit:
            recent.append(now)
            return None
        retry = round(window - (now - recent[0]), 3)
        headers = {
            "Via": "1.1 google",
            "Retry-After": str(int(retry) + 1),
            "X-RateLimit-Limit": str(limit),
            "X-RateLimit-Remaining": "0",
            "X-RateLimit-Reset": f"{time.time() + retry:.3f}",
            "X-RateLimit-Reset-After": f"{retry:.3f}",
            "X-RateLimit-Bucket": f"crosspost-{channel_id}",
            "X-RateLimit-Scope": "shared",
        }
        body = {"message": "You are being rate limited.", "retry_after": retry, "global": False}
        return json_response(body, 429, headers)

    async def _get_guild(self, call: _Call) -> web.StreamResponse:
        guild = self._guild(call.params["guild"])
        return (
            error_response(404, 10004, "Unknown Guild")
            if guild is None
            else json_response(guild.payload())
        )

    async def _get_guild_channels(self, call: _Call) -> web.StreamResponse:
        guild = self._guild(call.params["guild"])
        if guild is None:
            return error_response(404, 10004, "Unknown Guild")
        return json_response([c.payload() for c in guild.channels if not c.deleted])

    async def _get_roles(self, call: _Call) -> web.StreamResponse:
        guild = self._guild(call.params["guild"])
        if guild is None:
            return error_response(404, 10004, "Unknown Guild")
        return json_response([guild.everyone.payload()] + [r.payload() for r in guild.roles])

    async def _get_member(self, call: _Call) -> web.StreamResponse:
        guild = self._guild(call.params["guild"])
        member = (
            None
            if guild is None
            else next((m for m in guild.members if str(m.id) == call.params["user"]), None)
        )
        return (
            error_response(404, 10007, "Unknown Member")
            if member is None
            else json_response(member.payload())
        )

    def _guild(self, guild_id: str) -> Guild | None:
        return next((g for g in self.guilds if str(g.id) == guild_id), None)

    # ---- REST: interaction responses

    async def _callback(self, call: _Call) -> web.StreamResponse:
        rec = self._interactions.get(call.params["token"])
        if rec is None or str(rec.id) != call.params["id"]:
            return error_response(404, 10062, "Unknown interaction")
        if rec.callback is not None:
            self._violate("double_ack", f"second initial callback to {rec.name!r}", rec.id)
            return error_response(400, 40060, "Interaction has already been acknowledged.")
        elapsed = asyncio.get_running_loop().time() - rec.sent_at
        if elapsed > self.ack_window:
            self._violate("late_callback", f"{rec.name!r} answered after {elapsed:.2f}s", rec.id)
            return error_response(404, 10062, "Unknown interaction")
        body: JSON = call.body or {}
        kind: int = body.get("type", 0)
        data: JSON = body.get("data") or {}
        errors = self._callback_errors(rec, kind, data, bool(call.files))
        if errors:
            return self._invalid(errors, f"callback to {rec.name!r}", rec)
        rec.callback, rec.callback_files = body, call.files
        message = self._callback_message(rec, kind, data, call.files)
        rec.changes.touch()
        self.changes.touch()
        if call.request.query.get("with_response") not in ("1", "true", "True"):
            return web.Response(status=204)
        interaction: JSON = {"id": str(rec.id), "type": rec.type}
        resource: JSON = {"type": kind}
        if message is not None:
            interaction["response_message_id"] = message["id"]
            interaction["response_message_loading"] = bool(message.get("flags", 0) & 128)
            interaction["response_message_ephemeral"] = bool(message.get("flags", 0) & 64)
            resource["message"] = message
        return json_response({"interaction": interaction, "resource": resource})

    def _callback_errors(
        self, rec: InteractionRecord, kind: Any, data: JSON, files: bool
    ) -> JSON:  # Any: JSON.
        allowed = {2: {4, 5, 9}, 3: {4, 5, 6, 7, 9}, 4: {8}, 5: {4, 5, 6, 7}}[rec.type]
        if kind not in allowed:
            message = f"Response type {kind} is not valid for interaction type {rec.type}"
            return {"type": _bad("INTERACTION_RESPONSE_TYPE_INVALID", message)}
        if kind == 4:
            errors = message_errors(data, has_files=files)
        elif kind == 7:
            errors = message_errors(data, has_files=files, partial=True)
        elif kind == 8:
            errors = choices_errors(data.get("choices") or [])
        elif kind == 9:
            errors = {}
            if not 1 <= len(data.get("title") or "") <= 45:
                errors["title"] = _bad(
                    "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 45 in length."
                )
            if not 1 <= len(data.get("components") or []) <= 5:
                errors["components"] = _bad(
                    "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 5 in length."
                )
        else:
            errors = {}
        return {"data": errors} if errors else {}

    def _callback_message(
        self, rec: InteractionRecord, kind: int, data: JSON, files: tuple[tuple[str, bytes], ...]
    ) -> JSON | None:
        channel_id = int(rec.payload["channel_id"])
        if kind == 4:
            rec.message = self._new_message(channel_id, data, files, rec)
        elif kind == 5:
            loading = {"flags": data.get("flags", 0) & 64, "content": ""}
            rec.message = self._new_message(channel_id, loading, (), rec)
            rec.message["flags"] |= 128
        elif kind == 7 and rec.message is not None:
            self._apply(rec.message, data, files)
            rec.message["edited_timestamp"] = _now_iso()
        elif kind not in (6, 7):
            return None
        return rec.message

    def _interaction_for(self, call: _Call) -> InteractionRecord | web.Response:
        rec = self._interactions.get(call.params["token"])
        if rec is None or call.params["app"] != str(self.application_id):
            return error_response(404, 10015, "Unknown Webhook")
        if rec.callback is None:
            self._violate(
                "followup_before_ack", f"webhook call for unacknowledged {rec.name!r}", rec.id
            )
            return error_response(404, 10015, "Unknown Webhook")
        return rec

    async def _followup(self, call: _Call) -> web.StreamResponse:
        rec = self._interaction_for(call)
        if isinstance(rec, web.Response):
            return rec
        body: JSON = call.body or {}
        errors = message_errors(body, has_files=bool(call.files))
        if errors:
            return self._invalid(errors, f"follow-up to {rec.name!r}", rec)
        original = rec.message
        if rec.callback and rec.callback["type"] == 5 and original and original["flags"] & 128:
            # Discord turns the "thinking…" message into the first follow-up; it stays as
            # ephemeral as the defer made it, whatever flags the follow-up asks for.
            self._apply(original, body, call.files)
            original["flags"] &= ~128
            message = original
        else:
            message = self._new_message(int(rec.payload["channel_id"]), body, call.files, rec)
        rec.followups.append(message)
        rec.changes.touch()
        self.changes.touch()
        if call.request.query.get("wait") in ("true", "1", "True"):
            return json_response(message)
        return web.Response(status=204)

    async def _webhook_message(self, call: _Call) -> web.StreamResponse:
        rec = self._interaction_for(call)
        if isinstance(rec, web.Response):
            return rec
        mid = call.params["mid"]
        if mid == "@original":
            message = rec.message
        else:
            ours = [m for m in [rec.message, *rec.followups] if m is not None]
            message = next((m for m in ours if m["id"] == mid), None)
        if message is None or int(message["id"]) not in self._messages:
            return error_response(404, 10008, "Unknown Message")
        if call.request.method == "GET":
            return json_response(message)
        if call.request.method == "DELETE":
            del self._messages[int(message["id"])]
            return web.Response(status=204)
        body: JSON = call.body or {}
        errors = self._edit(message, body, call.files)
        if errors:
            return self._invalid(errors, f"edit of {rec.name!r}", rec)
        message["flags"] = message.get("flags", 0) & ~128
        if mid == "@original" or message is rec.message:
            rec.edits.append(body)
        rec.changes.touch()
        self.changes.touch()
        return json_response(message)

    # ---- sending interactions

    def command(self, name: str, guild: Guild | None = None) -> JSON:
        """The synced command `name` as offered in `guild` (guild commands first) or in DMs."""
        scopes = ([guild.id] if guild is not None else []) + [None]
        for scope in scopes:
            for cmd in self._commands.get(scope, []):
                if cmd["name"] == name and cmd["type"] == 1:
                    return cmd
        elsewhere = [
            s for s, cmds in self._commands.items() if any(c["name"] == name for c in cmds)
        ]
        if elsewhere:
            where = "in direct messages" if guild is None else f"in {guild.name!r}"
            raise CommandHidden(f"/{name} is not synced for use {where} (only guilds {elsewhere})")
        synced = sorted({c["name"] for cmds in self._commands.values() for c in cmds})
        raise AssertionError(
            f"/{name} was not synced (synced: {synced}); await wait_synced() first"
        )

    def visible(self, path: str, member: Member | User, *, dm: bool = False) -> bool:
        """Whether Discord would offer /path to this member (permissions, contexts, scope)."""
        guild = member.guild if isinstance(member, Member) else None
        try:
            cmd = self.command(path.split()[0], None if dm else guild)
        except CommandHidden:
            return False
        contexts = cmd.get("contexts")
        if dm:
            allowed = 1 in contexts if contexts is not None else cmd.get("dm_permission", True)
            return bool(allowed) and "guild_id" not in cmd
        if contexts is not None and 0 not in contexts:
            return False
        needed = cmd.get("default_member_permissions")
        if needed is None or not isinstance(member, Member):
            return True
        perms = member.permissions
        return perms & ADMINISTRATOR != 0 or (
            int(needed) != 0 and perms & int(needed) == int(needed)
        )

    async def slash(
        self,
        path: str,
        options: dict[str, object] | None = None,
        *,
        user: Member | User | None = None,
        channel: Channel | None = None,
        guild: Guild | None = None,
        dm: bool = False,
        override: bool = False,
        locale: str = "en-US",
    ) -> InteractionRecord:
        """Run /path ("who", "briefs add") as `user` (default: double.member)."""
        user = self._invoker(user, guild, channel)
        if not override and not self.visible(path, user, dm=dm):
            raise CommandHidden(f"Discord would not offer /{path} to {self._name(user)}")
        data = self._command_data(path, options or {}, user, dm=dm, focused=None)
        payload = self._base_payload(2, user, channel, dm=dm, locale=locale)
        payload["data"] = data
        return await self._send_interaction(payload)

    async def autocomplete(
        self,
        path: str,
        focused: str,
        value: str,
        options: dict[str, object] | None = None,
        *,
        user: Member | User | None = None,
        channel: Channel | None = None,
        guild: Guild | None = None,
        dm: bool = False,
    ) -> InteractionRecord:
        """Type `value` into option `focused` of /path; the answer is a type 8 callback."""
        user = self._invoker(user, guild, channel)
        data = self._command_data(
            path, {**(options or {}), focused: value}, user, dm=dm, focused=focused
        )
        payload = self._base_payload(4, user, channel, dm=dm, locale="en-US")
        payload["data"] = data
        return await self._send_interaction(payload)

    async def click(
        self,
        message: JSON,
        custom_id: str,
        *,
        user: Member | User | None = None,
        values: list[str] | None = None,
    ) -> InteractionRecord:
        """Click a button (or pick `values` in a select) on a message the bot sent."""
        stored = self._messages.get(int(message["id"]))
        if stored is None:
            raise AssertionError(f"message {message['id']} does not exist (deleted?)")
        component = _find_component(stored.get("components") or [], custom_id)
        if component is None:
            ids = _custom_ids(stored.get("components") or [])
            raise AssertionError(
                f"no component {custom_id!r} on message {stored['id']}; it has {ids}"
            )
        if component.get("disabled"):
            raise AssertionError(f"component {custom_id!r} is disabled; a user cannot click it")
        channel = self.find_channel(int(stored["channel_id"]))
        payload = self._base_payload(
            3, user or self.member, channel, dm=channel is None, locale="en-US"
        )
        payload["data"] = {"custom_id": custom_id, "component_type": component["type"]}
        if values is not None:
            payload["data"]["values"] = values
        payload["message"] = stored
        return await self._send_interaction(payload, message=stored)

    async def submit_modal(
        self, shown: InteractionRecord, values: dict[str, str], *, user: Member | User | None = None
    ) -> InteractionRecord:
        """Fill in and submit the modal the bot showed in answer to `shown` (type 9 callback)."""
        callback = await shown.response()
        if callback["type"] != 9:
            raise AssertionError(f"{shown.name!r} answered type {callback['type']}, not a modal")
        modal = callback["data"]
        rows = [_submitted_row(row, values) for row in modal["components"]]
        user = user or _interaction_user(shown.payload, self)
        channel = self.find_channel(int(shown.payload["channel_id"]))
        payload = self._base_payload(5, user, channel, dm=channel is None, locale="en-US")
        payload["data"] = {"custom_id": modal["custom_id"], "components": rows}
        return await self._send_interaction(payload, message=shown.payload.get("message"))

    async def _send_interaction(
        self, payload: JSON, message: JSON | None = None
    ) -> InteractionRecord:
        loop = asyncio.get_running_loop()
        rec = InteractionRecord(payload, loop.time(), message)
        self._interactions[rec.token] = rec
        await self.dispatch("INTERACTION_CREATE", payload)
        self._timers.append(loop.call_later(self.ack_window, self._deadline, rec))
        return rec

    def _deadline(self, rec: InteractionRecord) -> None:
        if rec.callback is None:
            rec.late = True
            detail = f"{rec.name!r} not acknowledged within {self.ack_window}s"
            self._violate(
                "unanswered", detail + ": users see 'The application did not respond'", rec.id
            )
            rec.changes.touch()

    def _invoker(
        self, user: Member | User | None, guild: Guild | None, channel: Channel | None
    ) -> Member | User:
        guild = guild or (channel.guild if channel is not None else None)
        if user is None:
            candidates = (guild or self.guild).members
            if guild is None or guild is self.guild:
                return self.member
            if not candidates:
                raise AssertionError(f"guild {guild.name!r} has no members; add_member() first")
            return candidates[0]
        if isinstance(user, Member) and guild is not None and user.guild is not guild:
            raise AssertionError(f"{user.user.name!r} is not a member of {guild.name!r}")
        if isinstance(user, Member) and channel is not None and channel.guild is not user.guild:
            raise AssertionError(f"channel {channel.name!r} is not in {user.user.name!r}'s guild")
        return user

    @staticmethod
    def _name(user: Member | User) -> str:
        return user.user.name if isinstance(user, Member) else user.name

    def _base_payload(
        self, kind: int, user: Member | User, channel: Channel | None, *, dm: bool, locale: str
    ) -> JSON:
        payload: JSON = {
            "id": str(snowflake()),
            "application_id": str(self.application_id),
            "type": kind,
            "token": "aW50ZXJhY3Rpb24." + secrets.token_urlsafe(32),
            "version": 1,
            "locale": locale,
            "entitlements": [],
            "attachment_size_limit": 10 * 1024 * 1024,
        }
        if dm or not isinstance(user, Member):
            plain = user.user if isinstance(user, Member) else user
            dm_channel = {
                "id": str(plain.id + 1),
                "type": 1,
                "recipients": [plain.payload()],
                "flags": 0,
            }
            payload.update(
                channel_id=dm_channel["id"],
                channel=dm_channel,
                user=plain.payload(),
                context=1,
                authorizing_integration_owners={"0": str(self.guild.id)},
                app_permissions=str(BOT_PERMISSIONS),
            )
            return payload
        guild = user.guild
        channel = channel or next(
            (c for c in guild.channels if c.type == 0 and not c.deleted), None
        )
        if channel is None:
            raise AssertionError(f"guild {guild.name!r} has no text channel to run commands in")
        app_permissions = BOT_PERMISSIONS
        if channel.forbidden:
            app_permissions &= ~(SEND_MESSAGES | EMBED_LINKS | ATTACH_FILES)
        payload.update(
            guild_id=str(guild.id),
            guild={"id": str(guild.id), "locale": "en-US", "features": []},
            guild_locale="en-US",
            channel_id=str(channel.id),
            channel={**channel.payload(), "permissions": str(user.permissions)},
            member=user.payload(with_permissions=True),
            app_permissions=str(app_permissions),
            authorizing_integration_owners={"0": str(guild.id)},
            context=0,
        )
        return payload

    def _command_data(
        self,
        path: str,
        values: dict[str, object],
        user: Member | User,
        *,
        dm: bool,
        focused: str | None,
    ) -> JSON:
        names = path.split()
        guild = user.guild if isinstance(user, Member) and not dm else None
        cmd = self.command(names[0], guild)
        schema: list[JSON] = cmd.get("options") or []
        chain: list[JSON] = []
        for name in names[1:]:
            sub = next((o for o in schema if o["name"] == name and o["type"] in (1, 2)), None)
            if sub is None:
                raise AssertionError(f"/{names[0]} has no subcommand {name!r}")
            chain.append(sub)
            schema = sub.get("options") or []
        options, resolved = self._options(schema, values, focused, path)
        for sub in reversed(chain):
            options = [{"name": sub["name"], "type": sub["type"], "options": options}]
        data: JSON = {"id": cmd["id"], "name": cmd["name"], "type": 1, "options": options}
        if resolved:
            data["resolved"] = resolved
        if "guild_id" in cmd:
            data["guild_id"] = cmd["guild_id"]
        return data

    def _options(
        self, schema: list[JSON], values: dict[str, object], focused: str | None, path: str
    ) -> tuple[list[JSON], JSON]:
        options: list[JSON] = []
        resolved: JSON = {}
        by_name = {o["name"]: o for o in schema}
        for name, value in values.items():
            spec = by_name.get(name)
            if spec is None:
                raise AssertionError(f"/{path} has no option {name!r} (it has {sorted(by_name)})")
            if name == focused:
                options.append(
                    {"name": name, "type": spec["type"], "value": str(value), "focused": True}
                )
                continue
            options.append(
                {"name": name, "type": spec["type"], "value": self._value(spec, value, resolved)}
            )
        missing = [o["name"] for o in schema if o.get("required") and o["name"] not in values]
        if missing and focused is None:
            raise AssertionError(f"/{path}: Discord requires options {missing}")
        return options, resolved

    def _value(self, spec: JSON, value: object, resolved: JSON) -> object:
        kind = spec["type"]
        choices = [c["value"] for c in spec.get("choices") or []]
        if choices and value not in choices:
            raise AssertionError(f"option {spec['name']!r} only offers {choices}, not {value!r}")
        if kind in (6, 9) and isinstance(value, Member | User):
            user = value.user if isinstance(value, Member) else value
            resolved.setdefault("users", {})[str(user.id)] = user.payload()
            if isinstance(value, Member):
                member = value.payload(with_permissions=True)
                del member["user"]
                resolved.setdefault("members", {})[str(user.id)] = member
            return str(user.id)
        if kind in (8, 9) and isinstance(value, Role):
            resolved.setdefault("roles", {})[str(value.id)] = value.payload()
            return str(value.id)
        if kind == 7 and isinstance(value, Channel):
            types = spec.get("channel_types")
            if types and value.type not in types:
                raise AssertionError(f"option {spec['name']!r} takes channel types {types}")
            entry = {**value.payload(), "permissions": str(BOT_PERMISSIONS)}
            resolved.setdefault("channels", {})[str(value.id)] = entry
            return str(value.id)
        if kind == 11 and isinstance(value, Attachment):
            aid = snowflake()
            self._attachments[aid] = value
            entry = {**self._attachment_payload(aid, value), "ephemeral": True}
            resolved.setdefault("attachments", {})[str(aid)] = entry
            return str(aid)
        if kind == 3 and isinstance(value, str):
            if not spec.get("min_length", 0) <= len(value) <= spec.get("max_length", 6000):
                raise AssertionError(
                    f"Discord's client refuses {len(value)} chars for {spec['name']!r}"
                )
            return value
        if kind in (4, 10) and isinstance(value, int | float) and not isinstance(value, bool):
            low, high = spec.get("min_value"), spec.get("max_value")
            if (low is not None and value < low) or (high is not None and value > high):
                raise AssertionError(f"Discord's client refuses {value} for {spec['name']!r}")
            return value
        if kind == 5 and isinstance(value, bool):
            return value
        raise AssertionError(f"cannot pass {value!r} to option {spec['name']!r} of type {kind}")


def _walk_components(components: list[JSON]) -> Iterable[JSON]:
    for component in components:
        yield component
        yield from _walk_components(component.get("components") or [])
        if isinstance(component.get("component"), dict):
            yield component["component"]
        if isinstance(component.get("accessory"), dict):
            yield component["accessory"]


def _find_component(components: list[JSON], custom_id: str) -> JSON | None:
    return next((c for c in _walk_components(components) if c.get("custom_id") == custom_id), None)


def _custom_ids(components: list[JSON]) -> list[str]:
    return [c["custom_id"] for c in _walk_components(components) if "custom_id" in c]


def _submitted_row(row: JSON, values: dict[str, str]) -> JSON:
    if row.get("type") == 18:  # a Label wrapping one input
        inner = row["component"]
        return {"type": 18, "component": _submitted_input(inner, values)}
    return {
        "type": row.get("type", 1),
        "components": [_submitted_input(c, values) for c in row["components"]],
    }


def _submitted_input(component: JSON, values: dict[str, str]) -> JSON:
    custom_id = component["custom_id"]
    return {"type": component["type"], "custom_id": custom_id, "value": values.get(custom_id, "")}


def _interaction_user(payload: JSON, double: DiscordDouble) -> Member | User:
    user: JSON = (payload.get("member") or {}).get("user") or payload.get("user") or {}
    user_id = int(user["id"])
    for guild in double.guilds:
        for member in guild.members:
            if member.id == user_id:
                return member
    raise AssertionError(f"unknown user {user_id}")

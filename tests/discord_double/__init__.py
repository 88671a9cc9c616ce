"""A loopback Discord double: REST + gateway on 127.0.0.1 that the real discord.py logs into.

Usage (see tests/bot/test_discord_double.py for complete, working examples)::

    from bot.runtime.api_base import ApiBaseClient, configure_api_base
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
Shards: a bot (or several processes) IDENTIFYing with ``shard: [id, count]`` gets a session per
shard; READY and GUILD_CREATE, and each guild's later events, go to the guild's shard
(``shard_of(guild_id, count)``); ``double.identify_count`` counts every shard's IDENTIFY.
Every stored message keeps the request's ``allowed_mentions``; ``pings_nobody(message)`` checks it.

Faults: ``forbid(channel_id)`` (403 50013), ``await deny_bot(channel_id, *bits)`` (a member
overwrite denying the bot those permissions; history without Read Message History, posts without
Send Messages and threads without Create Public Threads answer 403), ``forbid_threads(channel_id)``
(denies Create Public Threads, as ``deny_bot`` but with no CHANNEL_UPDATE; a second thread under
one message is 400 160004, as on Discord), ``delete_channel(id)`` (404 10003),
``echo_headers(channel_id)`` (400 whose message echoes the request headers, token included),
``limit_crossposts(n, per_seconds)`` (429 with ``Via`` and ``X-RateLimit-*``),
``post_delay = seconds`` (each message post lands and is answered that much later: a slow Discord),
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

# Layout: world.py (users, roles, members, channels, guilds, permission bits), limits.py (Discord's
# 50035 checks), records.py (requests, violations, interactions), wire.py (JSON answers, parsed
# calls). DiscordDouble (server.py) is one class chain, each layer using only the ones below it:
# state.py -> gateway.py -> messages.py -> callbacks.py -> rest.py -> interactions.py -> server.py.

from __future__ import annotations

from tests.discord_double.gateway import GatewayConnection, shard_of
from tests.discord_double.limits import (
    choices_errors,
    command_errors,
    message_errors,
    pings_nobody,
)
from tests.discord_double.records import (
    CommandHidden,
    InteractionRecord,
    RecordedRequest,
    Violation,
)
from tests.discord_double.server import DiscordDouble
from tests.discord_double.wire import API_PREFIX, Handler, error_response, json_response
from tests.discord_double.world import (
    ADMINISTRATOR,
    ALL_PERMISSIONS,
    ATTACH_FILES,
    BOT_PERMISSIONS,
    CREATE_PUBLIC_THREADS,
    DISCORD_EPOCH_MS,
    EMBED_LINKS,
    EVERYONE_PERMISSIONS,
    JSON,
    MANAGE_GUILD,
    MANAGE_MESSAGES,
    READ_MESSAGE_HISTORY,
    SEND_MESSAGES,
    SEND_MESSAGES_IN_THREADS,
    USE_APPLICATION_COMMANDS,
    VIEW_CHANNEL,
    Attachment,
    Channel,
    Guild,
    Member,
    Role,
    User,
    snowflake,
)

__all__ = [
    "ADMINISTRATOR",
    "ALL_PERMISSIONS",
    "API_PREFIX",
    "ATTACH_FILES",
    "BOT_PERMISSIONS",
    "CREATE_PUBLIC_THREADS",
    "DISCORD_EPOCH_MS",
    "EMBED_LINKS",
    "EVERYONE_PERMISSIONS",
    "JSON",
    "MANAGE_GUILD",
    "MANAGE_MESSAGES",
    "READ_MESSAGE_HISTORY",
    "SEND_MESSAGES",
    "SEND_MESSAGES_IN_THREADS",
    "USE_APPLICATION_COMMANDS",
    "VIEW_CHANNEL",
    "Attachment",
    "Channel",
    "CommandHidden",
    "DiscordDouble",
    "GatewayConnection",
    "Guild",
    "Handler",
    "InteractionRecord",
    "Member",
    "RecordedRequest",
    "Role",
    "User",
    "Violation",
    "choices_errors",
    "command_errors",
    "error_response",
    "json_response",
    "message_errors",
    "pings_nobody",
    "shard_of",
    "snowflake",
]

"""DiscordDouble: the loopback Discord server, and its test-facing API (see the package docstring)."""

from __future__ import annotations

import re
import socket

from aiohttp import web

from tests.discord_double.interactions import _InteractionSender
from tests.discord_double.records import RecordedRequest
from tests.discord_double.wire import API_PREFIX
from tests.discord_double.world import CREATE_PUBLIC_THREADS, JSON, Channel, Guild


class DiscordDouble(_InteractionSender):
    """A Discord API + gateway on 127.0.0.1 for the real discord.py; see the package docstring."""

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

    # ---- world and faults

    async def announce_guild(self, guild: Guild) -> None:
        """Send GUILD_CREATE for a guild added after READY."""
        await self.dispatch("GUILD_CREATE", guild.payload())

    def forbid(self, channel_id: int) -> None:
        """Take the bot's permission to post in this channel away (403 50013 from now on)."""
        self._channel(channel_id).forbidden = True

    async def deny_bot(self, channel_id: int, *bits: int) -> None:
        """Deny the bot these permissions in the channel with a member overwrite (reads and
        posts that need them answer 403 from now on); a connected bot gets CHANNEL_UPDATE."""
        channel = self._channel(channel_id)
        for bit in bits:
            channel.bot_deny |= bit
        if self._session is not None:
            await self.dispatch("CHANNEL_UPDATE", channel.payload())

    def forbid_threads(self, channel_id: int) -> None:
        """Take the bot's Create Public Threads away there (posting still works): an overwrite
        as `deny_bot` makes, without telling a connected bot (as if its cache were stale)."""
        self._channel(channel_id).bot_deny |= CREATE_PUBLIC_THREADS

    def echo_headers(self, channel_id: int) -> None:
        """Answer posts in this channel with 400 and a body echoing the request's headers."""
        self._channel(channel_id).echoes_headers = True

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

    def identified_shards(self) -> list[tuple[int, int]]:
        """The [shard_id, shard_count] of every shard session, in shard order."""
        return sorted(s.shard for s in self._shards.values())

    def requests_to(self, method: str, pattern: str) -> list[RecordedRequest]:
        """Recorded requests whose method matches and whose path matches the regex `pattern`."""
        return [r for r in self.requests if r.method == method and re.search(pattern, r.path)]

    def assert_clean(self) -> None:
        """Fail if the bot did anything Discord would refuse, or called a route the double lacks."""
        problems = [f"{v.kind}: {v.detail}" for v in self.violations]
        problems += [f"unhandled route: {u}" for u in self.unhandled]
        assert not problems, "Discord double saw problems:\n" + "\n".join(problems)

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

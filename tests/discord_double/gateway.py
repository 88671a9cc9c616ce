"""The gateway: the websocket session the bot IDENTIFYs (or RESUMEs) on, and dispatches."""

from __future__ import annotations

import asyncio
import json
import secrets
import zlib
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from tests.discord_double.state import _DoubleState
from tests.discord_double.world import JSON


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
    shard: tuple[int, int] = (0, 1)  # [shard_id, shard_count] from IDENTIFY


def shard_of(guild_id: int, shard_count: int) -> int:
    """The shard a guild's events go to, by Discord's rule: (guild_id >> 22) % shard_count."""
    return (guild_id >> 22) % shard_count


def _guild_of(event: str, data: JSON) -> int | None:
    if data.get("guild_id") is not None:
        return int(data["guild_id"])
    if event.startswith("GUILD_") and data.get("id") is not None:
        return int(data["id"])
    return None


class _GatewayDouble(_DoubleState):
    """The websocket side of the double.

    A bot may IDENTIFY with `shard: [id, count]`, one connection per shard, from one process or
    several: each shard gets its own session, READY names its shard, and a guild's events
    (GUILD_CREATE, INTERACTION_CREATE, ...) go to the shard Discord would send them to.
    `_session` is shard 0's (or the unsharded bot's); `_shards` holds every shard's."""

    def _routed(self, event: str, data: JSON) -> _Session | None:
        """The session a guild's event goes to: its shard's, else shard 0's."""
        guild_id = _guild_of(event, data)
        session = self._session
        if guild_id is not None and self._shards:
            count = next(iter(self._shards.values())).shard[1]
            session = self._shards.get(shard_of(guild_id, count), session)
        return session

    async def dispatch(self, event: str, data: JSON) -> None:
        """Send a DISPATCH event (buffered for RESUME while the bot is disconnected)."""
        session = self._routed(event, data)
        if session is None:
            raise AssertionError(f"cannot send {event}: the bot has no gateway session")
        await self._dispatch_to(session, event, data)

    async def _dispatch_to(self, session: _Session, event: str, data: JSON) -> None:
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
        self._shards.pop(0, None)
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
            for session in (self._session, *self._shards.values()):
                if session is not None and session.conn is conn:
                    session.conn = None
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
        shard_id, shard_count = data.get("shard") or (0, 1)
        session = _Session(secrets.token_hex(16), conn=conn, shard=(shard_id, shard_count))
        if shard_id == 0:
            self._session = session
        if shard_count > 1:
            self._shards[shard_id] = session
        conn.identified = True
        await self._dispatch_to(session, "READY", self._ready_payload(session))
        for guild in self.guilds:
            if shard_of(guild.id, shard_count) == shard_id:
                await self._dispatch_to(session, "GUILD_CREATE", guild.payload())
        self.identify_count += 1
        self.changes.touch()

    def _ready_payload(self, session: _Session) -> JSON:
        shard_id, shard_count = session.shard
        guilds = [g for g in self.guilds if shard_of(g.id, shard_count) == shard_id]
        return {
            "v": 10,
            "user": {**self.bot_user.payload(), "verified": True, "mfa_enabled": False, "flags": 0},
            "application": {"id": str(self.application_id), "flags": 0},
            "session_id": session.id,
            "session_type": "normal",
            "resume_gateway_url": self.resume_gateway_url,
            "guilds": [{"id": str(g.id), "unavailable": True} for g in guilds],
            "private_channels": [],
            "relationships": [],
            "presences": [],
            "geo_ordered_rtc_regions": [],
            "shard": [shard_id, shard_count],
        }

    async def _resume(self, conn: GatewayConnection, data: JSON) -> None:
        session = next(
            (s for s in (self._session, *self._shards.values()) if s is not None
             and s.id == data.get("session_id")),
            None,
        )  # fmt: skip
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
        await self._dispatch_to(session, "RESUMED", {})
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

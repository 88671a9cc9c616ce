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


class _GatewayDouble(_DoubleState):
    """The websocket side of the double."""

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

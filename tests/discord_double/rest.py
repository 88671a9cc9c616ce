"""REST: the route table, request parsing, and the login, command, channel and guild routes."""

from __future__ import annotations

import asyncio
import json
import re
import time
from typing import Any

from aiohttp import BodyPartReader, web

from tests.discord_double.callbacks import _InteractionResponses
from tests.discord_double.limits import command_errors, message_errors
from tests.discord_double.records import RecordedRequest
from tests.discord_double.wire import Handler, _Call, error_response, json_response
from tests.discord_double.world import (
    CREATE_PUBLIC_THREADS,
    JSON,
    VIEW_CHANNEL,
    Channel,
    Guild,
    snowflake,
)


class _RestDouble(_InteractionResponses):
    """The REST API: every route the bot calls under /api/v10."""

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
            ("GET", r"/channels/(?P<channel>\d+)/messages", self._history, True),
            ("POST", r"/channels/(?P<channel>\d+)/messages", self._post_message, True),
            ("GET", r"/channels/(?P<channel>\d+)/messages/(?P<mid>\d+)", self._channel_message, True),
            ("PATCH", r"/channels/(?P<channel>\d+)/messages/(?P<mid>\d+)", self._channel_message, True),
            ("DELETE", r"/channels/(?P<channel>\d+)/messages/(?P<mid>\d+)", self._channel_message, True),
            ("POST", r"/channels/(?P<channel>\d+)/messages/(?P<mid>\d+)/crosspost", self._crosspost, True),
            ("POST", r"/channels/(?P<channel>\d+)/messages/(?P<mid>\d+)/threads", self._thread_from_message, True),
            ("POST", r"/channels/(?P<channel>\d+)/threads", self._forum_post, True),
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

    async def _get_channel(self, call: _Call) -> web.StreamResponse:
        channel = self.find_channel(int(call.params["channel"]))
        if channel is None or channel.deleted:
            return error_response(404, 10003, "Unknown Channel")
        if channel.bot_lacks(VIEW_CHANNEL):
            return error_response(403, 50001, "Missing Access")
        return json_response(channel.payload())

    async def _typing(self, call: _Call) -> web.StreamResponse:
        found = self._writable_channel(int(call.params["channel"]))
        return found if isinstance(found, web.Response) else web.Response(status=204)

    async def _post_message(self, call: _Call) -> web.StreamResponse:
        if self.post_delay:  # a slow Discord: the post lands after the delay, answered then
            await asyncio.sleep(self.post_delay)
        found = self._writable_channel(int(call.params["channel"]))
        if isinstance(found, web.Response):
            return found
        if found.echoes_headers:  # a misconfigured proxy in front of the API
            headers = dict(call.request.headers)
            return error_response(400, 0, f"Bad request; request headers: {headers}")
        body: JSON = call.body or {}
        errors = message_errors(body, has_files=bool(call.files)) or self._nonce_errors(body)
        if errors:
            return self._invalid(errors, f"POST /channels/{found.id}/messages")
        repeated = self._same_nonce(found.id, body)
        if repeated is not None:
            return json_response(repeated)
        message = self._new_message(found.id, {**body, "flags": 0}, call.files)
        if body.get("nonce") is not None:
            message["nonce"] = str(body["nonce"])
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

    async def _forum_post(self, call: _Call) -> web.StreamResponse:
        """POST /channels/{forum}/threads: a forum post, a thread whose first message shares its id."""
        found = self._writable_channel(int(call.params["channel"]))
        if isinstance(found, web.Response):
            return found
        body: JSON = call.body or {}
        if found.type != 15 or not body.get("message"):
            return error_response(400, 50024, "Cannot execute action on this channel type")
        name = str(body.get("name") or "")
        if not 1 <= len(name) <= 100:
            errors = {"name": {"_errors": [{"code": "BASE_TYPE_BAD_LENGTH", "message": "1-100"}]}}
            return self._invalid(errors, f"POST /channels/{found.id}/threads")
        known = {found.tag_id(t) for t in found.tags}
        tags = [str(t) for t in body.get("applied_tags") or []]
        if not set(tags) <= known:
            errors = {"applied_tags": {"_errors": [{"code": "UNKNOWN_TAG", "message": "tag"}]}}
            return self._invalid(errors, f"POST /channels/{found.id}/threads")
        errors = message_errors(body["message"], has_files=bool(call.files))
        if errors:
            return self._invalid(errors, f"POST /channels/{found.id}/threads message")
        thread = found.guild.add_channel(name, 11)
        thread.parent_id, thread.applied_tags = found.id, tags
        message = self._new_message(thread.id, {**body["message"], "flags": 0}, call.files)
        del self._messages[int(message["id"])]
        message["id"] = str(thread.id)  # a forum post's first message has the thread's id
        self._messages[thread.id] = message
        if self._session is not None:
            await self.dispatch("THREAD_CREATE", {**thread.payload(), "newly_created": True})
        return json_response({**thread.payload(), "message": message})

    async def _thread_from_message(self, call: _Call) -> web.StreamResponse:
        """POST /channels/{id}/messages/{mid}/threads: a thread under a message, same id."""
        found = self._writable_channel(int(call.params["channel"]))
        if isinstance(found, web.Response):
            return found
        message = self._messages.get(int(call.params["mid"]))
        if message is None or int(message["channel_id"]) != found.id:
            return error_response(404, 10008, "Unknown Message")
        if found.bot_lacks(CREATE_PUBLIC_THREADS):
            return error_response(403, 50013, "Missing Permissions")
        if "thread" in message:
            return error_response(400, 160004, "A thread has already been created for this message")
        thread = Channel(
            int(message["id"]), str((call.body or {}).get("name", "")), 11, found.guild
        )
        thread.parent_id = found.id
        found.guild.channels.append(thread)
        message["thread"] = thread.payload()
        if self._session is not None:
            await self.dispatch("THREAD_CREATE", {**thread.payload(), "newly_created": True})
        return json_response(thread.payload())

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

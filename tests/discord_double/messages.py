"""Stored messages and attachments: creating, editing, serving and listing them."""

from __future__ import annotations

import json
from collections.abc import Iterable

from aiohttp import web

from tests.discord_double.gateway import _GatewayDouble
from tests.discord_double.limits import message_errors
from tests.discord_double.records import InteractionRecord
from tests.discord_double.wire import _Call, error_response, json_response
from tests.discord_double.world import (
    JSON,
    READ_MESSAGE_HISTORY,
    SEND_MESSAGES,
    SEND_MESSAGES_IN_THREADS,
    VIEW_CHANNEL,
    Attachment,
    Channel,
    _now_iso,
    snowflake,
)

HISTORY_LIMIT = 100  # Discord serves at most 100 messages per history page
NONCE_MAX = 25


class _MessageStore(_GatewayDouble):
    """The messages and attachments the bot created, as Discord would store them."""

    async def _history(self, call: _Call) -> web.StreamResponse:
        """GET /channels/{id}/messages: newest first, `limit` (1-100, default 50) and `before`."""
        channel = self.find_channel(int(call.params["channel"]))
        if channel is None or channel.deleted:
            return error_response(404, 10003, "Unknown Channel")
        if channel.bot_lacks(VIEW_CHANNEL, READ_MESSAGE_HISTORY):
            return error_response(403, 50001, "Missing Access")
        query = call.request.query
        unsupported = sorted(set(query) - {"limit", "before"})
        if unsupported:  # `after`/`around` page oldest-first; nothing in the bot asks for them yet
            self._violate("unsupported_query", f"GET messages with {unsupported}")
        limit = int(query.get("limit", 50))
        if not 1 <= limit <= HISTORY_LIMIT:
            errors = {"limit": {"_errors": [{"code": "NUMBER_TYPE_MAX", "message": "1-100"}]}}
            return self._invalid(errors, f"GET /channels/{channel.id}/messages")
        before = int(query.get("before", 2**63))
        listed = [
            {k: v for k, v in m.items() if k != "nonce"}  # Discord echoes a nonce only on create
            for m in self._messages.values()
            if int(m["channel_id"]) == channel.id
            and not m.get("flags", 0) & 64
            and int(m["id"]) < before
        ]
        return json_response(sorted(listed, key=lambda m: int(m["id"]), reverse=True)[:limit])

    def _nonce_errors(self, body: JSON) -> JSON | None:
        nonce = body.get("nonce")
        if nonce is None or len(str(nonce)) <= NONCE_MAX:
            return None
        return {"nonce": {"_errors": [{"code": "BASE_TYPE_MAX_LENGTH", "message": "<= 25"}]}}

    def _same_nonce(self, channel_id: int, body: JSON) -> JSON | None:
        """With `enforce_nonce`, the message already made with this nonce (Discord's dedup).

        Discord keeps nonces for a few minutes; the double keeps them for the whole test."""
        nonce = body.get("nonce")
        if nonce is None or not body.get("enforce_nonce"):
            return None
        for message in self._messages.values():
            if int(message["channel_id"]) == channel_id and message.get("nonce") == str(nonce):
                return message
        return None

    async def _attachment(self, request: web.Request) -> web.StreamResponse:
        found = self._attachments.get(int(request.match_info["id"]))
        if found is None:
            return web.Response(status=404)
        return web.Response(body=found.content, headers={"Content-Type": found.content_type})

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
        for key in ("content", "embeds", "components", "poll", "message_reference"):
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
        if channel.bot_lacks(VIEW_CHANNEL, SEND_MESSAGES):
            return error_response(403, 50013, "Missing Permissions")
        parent = self.find_channel(channel.parent_id) if channel.parent_id else None
        if parent is not None and parent.bot_lacks(VIEW_CHANNEL, SEND_MESSAGES_IN_THREADS):
            return error_response(403, 50013, "Missing Permissions")  # a thread's: its parent's
        return channel

    def _invalid(
        self, errors: JSON, detail: str, rec: InteractionRecord | None = None
    ) -> web.Response:
        self._violate("invalid_body", f"{detail}: {json.dumps(errors)}", rec.id if rec else None)
        return error_response(400, 50035, "Invalid Form Body", errors)

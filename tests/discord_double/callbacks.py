"""REST: interaction callbacks, follow-ups and edits of interaction messages (webhooks)."""

from __future__ import annotations

import asyncio
from typing import Any

from aiohttp import web

from tests.discord_double.limits import _bad, choices_errors, message_errors
from tests.discord_double.messages import _MessageStore
from tests.discord_double.records import InteractionRecord
from tests.discord_double.wire import _Call, error_response, json_response
from tests.discord_double.world import JSON, _now_iso


class _InteractionResponses(_MessageStore):
    """How the bot answers interactions: the initial callback, then webhook calls."""

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

"""HTTP plumbing shared by the REST routes: the API prefix, JSON answers, a parsed call."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from tests.discord_double.world import JSON

API_PREFIX = "/api/v10"


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


Handler = Callable[["_Call"], Awaitable[web.StreamResponse]]


@dataclass(slots=True)
class _Call:
    """A REST request, parsed."""

    request: web.Request
    params: dict[str, str]
    body: Any  # Any: decoded JSON body (object, list or None).
    files: tuple[tuple[str, bytes], ...]

"""What the double records: REST requests, violations, interactions and their answers."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tests.discord_double.world import JSON


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

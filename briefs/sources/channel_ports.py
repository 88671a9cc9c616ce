"""What channel delivery needs from outside: the Discord side and the delivery store."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable, Sequence
from typing import Protocol

from briefs.digests.compose import GuildSettings
from briefs.model import StoredBrief
from briefs.sources.changes import Change, Shown
from briefs.sources.delivery import (
    ChannelKind,
    Delivery,
    DeliveryOptions,
    ItemPost,
    PostedItem,
    QueuedItem,
)

Publisher = Callable[..., Awaitable[int]]  # DigestService.publish_due(now=...): the paced queue


class ItemPoster(Protocol):
    """The Discord side: check a channel, post an item, reply to it, find it after a crash."""

    async def check(self, channel_id: int, options: DeliveryOptions) -> ChannelKind:
        """The channel's kind if the bot can post there; raises ChannelRefused otherwise."""
        ...

    async def post(self, channel_id: int, item: ItemPost) -> PostedItem:
        """Post one item; raises DeliveryFailed (permanent) or TransientDeliveryError."""
        ...

    async def reply(
        self, channel_id: int, message_id: int, headline: str, changes: Sequence[Change]
    ) -> None:
        """One short reply to a posted item saying what changed."""
        ...

    async def find_posted(self, channel_id: int, item: QueuedItem) -> PostedItem | None:
        """The bot's post of this item, if a crash interrupted its recording."""
        ...

    async def report(self, channel_id: int, text: str) -> None:
        """A notice in a guild's log channel."""
        ...


class DeliveryRepository(Protocol):
    """Deliveries and their items (storage/deliveries.py)."""

    async def add(
        self,
        feed_id: int,
        *,
        guild_id: int,
        channel_id: int,
        options: DeliveryOptions,
        backlog: int,
        created_by: int | None,
        now: dt.datetime,
    ) -> Delivery: ...
    async def get(self, guild_id: int, delivery_id: int) -> Delivery: ...
    async def in_guild(self, guild_id: int) -> list[Delivery]: ...
    async def edit(self, guild_id: int, delivery_id: int, options: DeliveryOptions) -> Delivery: ...
    async def remove(self, guild_id: int, delivery_id: int) -> Delivery: ...
    async def set_error(self, delivery_id: int, error: str | None) -> bool: ...
    async def due(self, *, now: dt.datetime, limit: int = 500) -> list[QueuedItem]: ...
    async def claimed(self) -> list[QueuedItem]: ...
    async def newest(self, delivery: Delivery) -> QueuedItem | None: ...
    async def claim(self, item_id: int, *, now: dt.datetime) -> bool: ...
    async def record_posted(
        self,
        item: QueuedItem,
        *,
        message_id: int,
        reply_channel: int,
        shown: Shown,
        publish: bool,
        now: dt.datetime,
    ) -> None: ...
    async def record_filtered(self, item_id: int, reason: str) -> None: ...
    async def record_failed(self, item_id: int, error: str) -> None: ...
    async def retry(self, item_id: int, *, not_before: dt.datetime, error: str) -> None: ...
    async def record_reply(
        self, item_id: int, *, shown: Shown, now: dt.datetime, replied: bool
    ) -> None: ...
    async def defer(self, item_id: int, *, not_before: dt.datetime) -> None: ...


class BriefReader(Protocol):
    """Reads one brief (BriefStore.get)."""

    async def get(self, brief_id: int, *, guild_id: int | None) -> StoredBrief | None: ...


class LogChannels(Protocol):
    """Where a guild's failures are reported (ScheduleRepository.settings)."""

    async def settings(self, guild_id: int) -> GuildSettings: ...

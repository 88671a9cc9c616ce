"""Feed deliveries: which channel a feed's items are posted in, how, and each queued item."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from briefs.model import StoredBrief
from briefs.sources.changes import Shown
from briefs.sources.filters import ItemFilter

ItemStatus = Literal["pending", "claimed", "posted", "filtered", "failed"]
ChannelKind = Literal["text", "announcement", "forum"]
MAX_BACKLOG = 10


@dataclass(frozen=True, slots=True)
class DeliveryOptions:
    """How a delivery posts: filters, the one role it may mention, a thread per item."""

    filter: ItemFilter = field(default_factory=ItemFilter)
    mention_role_id: int | None = None
    thread: bool = False


@dataclass(frozen=True, slots=True)
class Delivery:
    """One feed posting into one channel."""

    id: int
    feed_id: int
    guild_id: int
    channel_id: int
    options: DeliveryOptions
    backlog: int = 0
    feed_url: str = ""
    feed_title: str | None = None
    last_post: dt.datetime | None = None
    last_error: str | None = None
    created_by: int | None = None

    @property
    def feed_name(self) -> str:
        """The feed's title, or its address."""
        return self.feed_title or self.feed_url


@dataclass(frozen=True, slots=True)
class QueuedItem:
    """One entry of a feed for one delivery: waiting, claimed, posted, filtered or failed."""

    id: int
    delivery: Delivery
    entry_id: str
    brief_id: int
    status: ItemStatus
    attempts: int = 0
    link: str | None = None
    title: str | None = None
    published: dt.datetime | None = None
    image: str | None = None
    message_id: int | None = None
    reply_channel: int | None = None
    shown: Shown | None = None
    revised: bool = False
    last_reply: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class ItemPost:
    """What the poster needs to post one item: the brief and how the delivery wants it shown."""

    stored: StoredBrief
    link: str | None
    published: dt.datetime | None
    image: str | None
    feed_name: str
    options: DeliveryOptions
    nonce: str  # a repeat within Discord's dedup window returns the first message


@dataclass(frozen=True, slots=True)
class PostedItem:
    """Where an item was posted: the message (a forum post's thread id) and where replies go."""

    message_id: int
    reply_channel: int
    announcement: bool = False

"""Channels that follow a feed: each new entry posted as a brief card, filtered, paced, once.

An item goes: queued with its entry (storage) → filtered → paced → claimed → posted → recorded
(with what it showed, and a publish task in announcement channels). Each channel is drained by
its own task, so a slow or failing channel never delays another. A revision of a posted item
becomes one short reply saying what changed, at most once per item per hour."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from briefs.digests.ports import DeliveryFailed, TransientDeliveryError
from briefs.errors import BriefingError
from briefs.model import StoredBrief
from briefs.ports import Clock
from briefs.sources.changes import Shown, shown, what_changed
from briefs.sources.channel_ports import (
    BriefReader,
    DeliveryRepository,
    ItemPoster,
    LogChannels,
    Publisher,
)
from briefs.sources.delivery import (
    MAX_BACKLOG,
    Delivery,
    DeliveryOptions,
    ItemPost,
    QueuedItem,
)
from briefs.sources.service import SourcesService

log = logging.getLogger(__name__)

HOUR = dt.timedelta(hours=1)
POST_TIMEOUT = 30.0  # seconds; a post that hangs longer is retried (the nonce dedups it)
RETRY_AFTER = dt.timedelta(minutes=2)
Sleep = Callable[[float], Awaitable[None]]


class Pacer:
    """Discord's limits, kept before asking: `per_channel` posts per `window` in a channel and
    `per_second` in all (5 per 5 s and 50 per s are Discord's; we stay a little under, since
    Discord counts a post when it arrives, a moment after we send it)."""

    def __init__(
        self,
        clock: Clock,
        sleep: Sleep = asyncio.sleep,
        *,
        per_channel: int = 5,
        window: float = 5.5,
        per_second: int = 40,
    ) -> None:
        self._clock, self._sleep = clock, sleep
        self._per_channel, self._window, self._per_second = per_channel, window, per_second
        self._channels: dict[int, deque[dt.datetime]] = defaultdict(deque)
        self._all: deque[dt.datetime] = deque()

    async def wait(self, channel_id: int) -> None:
        """Return when one more post in the channel stays within the limits."""
        recent = self._channels[channel_id]
        while True:
            now = self._clock.now()
            _forget(recent, now - dt.timedelta(seconds=self._window))
            _forget(self._all, now - dt.timedelta(seconds=1))
            waits = []
            if len(recent) >= self._per_channel:
                waits.append((recent[0] - now).total_seconds() + self._window)
            if len(self._all) >= self._per_second:
                waits.append((self._all[0] - now).total_seconds() + 1.0)
            if not waits:
                break
            await self._sleep(max(max(waits), 0.001))
        now = self._clock.now()
        recent.append(now)
        self._all.append(now)


def _forget(times: deque[dt.datetime], before: dt.datetime) -> None:
    while times and times[0] <= before:
        times.popleft()


@dataclass(frozen=True, slots=True)
class Connected:
    """A new delivery and what its feed's first fetch did."""

    delivery: Delivery
    first_fetch: str | None  # None when the feed was already subscribed


@dataclass(frozen=True, slots=True)
class TestResult:
    """What `/feed test` shows: the next item as it would look, and the filters' verdict."""

    post: ItemPost | None
    passes: bool
    why: str


class ChannelService:
    """Connects feeds to channels and delivers their items exactly once, paced, per channel."""

    def __init__(
        self,
        repository: DeliveryRepository,
        poster: ItemPoster,
        briefs: BriefReader,
        sources: SourcesService,
        *,
        log_channels: LogChannels,
        publish: Publisher,
        clock: Clock,
        pacer: Pacer | None = None,
    ) -> None:
        self._repo = repository
        self._poster = poster
        self._briefs = briefs
        self._sources = sources
        self._log_channels = log_channels
        self._publish = publish
        self._clock = clock
        self._pacer = pacer or Pacer(clock)
        self._workers: dict[int, asyncio.Task[None]] = {}

    # --- moderators ----------------------------------------------------------------------

    async def connect(
        self,
        url: str,
        *,
        guild_id: int,
        channel_id: int,
        options: DeliveryOptions,
        backlog: int,
        created_by: int | None,
        now: dt.datetime,
        interval: int | None = None,
    ) -> Connected:
        """Post a feed's items in a channel: the channel is checked first, the feed subscribed
        if it is new, then its newest `backlog` items are queued (0: start from now)."""
        backlog = max(0, min(backlog, MAX_BACKLOG))
        await self._poster.check(channel_id, options)
        feed = await self._sources.feed_by_url(url, guild_id=guild_id)
        first: str | None = None
        if feed is None:
            added = await self._sources.add_feed(
                url,
                guild_id=guild_id,
                now=now,
                added_by=created_by,
                first_take=backlog,
                **({"interval": interval} if interval else {}),
            )
            feed, first = added.feed, added.poll.outcome
        delivery = await self._repo.add(
            feed.id,
            guild_id=guild_id,
            channel_id=channel_id,
            options=options,
            backlog=backlog,
            created_by=created_by,
            now=now,
        )
        log.info("Guild %s: feed %s posts in channel %s", guild_id, feed.id, channel_id)
        return Connected(delivery, first)

    async def edit(self, guild_id: int, delivery_id: int, options: DeliveryOptions) -> Delivery:
        """Change a delivery's filters, mention or threads (the channel is checked again)."""
        delivery = await self._repo.get(guild_id, delivery_id)
        await self._poster.check(delivery.channel_id, options)
        return await self._repo.edit(guild_id, delivery_id, options)

    async def deliveries(self, guild_id: int) -> list[Delivery]:
        """The guild's deliveries."""
        return await self._repo.in_guild(guild_id)

    async def get(self, guild_id: int, delivery_id: int) -> Delivery:
        """One of the guild's deliveries."""
        return await self._repo.get(guild_id, delivery_id)

    async def disconnect(self, guild_id: int, delivery_id: int) -> Delivery:
        """Stop a feed posting in a channel."""
        return await self._repo.remove(guild_id, delivery_id)

    async def test(self, guild_id: int, delivery_id: int) -> TestResult:
        """The feed's newest item as the delivery would post it, and whether it passes."""
        delivery = await self._repo.get(guild_id, delivery_id)
        item = await self._repo.newest(delivery)
        stored = await self._briefs.get(item.brief_id, guild_id=guild_id) if item else None
        if item is None or stored is None:
            return TestResult(None, False, "the feed has no item yet")
        passes, why = delivery.options.filter.verdict(stored.brief)
        return TestResult(_post(item, stored_brief=stored), passes, why)

    # --- delivery ------------------------------------------------------------------------

    async def settle(self) -> int:
        """At start-up: an item claimed but not recorded is looked for in its channel; found,
        it is recorded as posted, otherwise posted again (never twice, never lost)."""
        settled = 0
        for item in await self._repo.claimed():
            try:
                found = await self._poster.find_posted(item.delivery.channel_id, item)
            except DeliveryFailed as e:
                log.warning("Item %s: cannot look for it: %s", item.id, e.reason)
                continue
            now = self._clock.now()
            if found is None:
                await self._repo.retry(item.id, not_before=now, error="interrupted; posting again")
                continue
            stored = await self._briefs.get(item.brief_id, guild_id=item.delivery.guild_id)
            seen = shown(stored.brief) if stored else Shown(item.title or "")
            await self._repo.record_posted(
                item,
                message_id=found.message_id,
                reply_channel=found.reply_channel,
                shown=seen,
                publish=found.announcement,
                now=now,
            )
            settled += 1
        return settled

    async def deliver_due(self, *, now: dt.datetime) -> int:
        """Start a drain for every channel with due items and none running; returns how many."""
        by_channel: dict[int, list[QueuedItem]] = defaultdict(list)
        for item in await self._repo.due(now=now):
            by_channel[item.delivery.channel_id].append(item)
        started = 0
        for channel_id, items in by_channel.items():
            running = self._workers.get(channel_id)
            if running is not None and not running.done():
                continue
            task = asyncio.get_running_loop().create_task(self._drain(channel_id, items))
            self._workers[channel_id] = task
            started += 1
        return started

    async def idle(self) -> None:
        """Wait until every running drain has finished."""
        while running := [t for t in self._workers.values() if not t.done()]:
            await asyncio.wait(running)

    async def stop(self) -> None:
        """Cancel the drains (a claimed item is settled at the next start)."""
        for task in self._workers.values():
            task.cancel()
        await asyncio.gather(*self._workers.values(), return_exceptions=True)
        self._workers.clear()

    async def _drain(self, channel_id: int, items: Sequence[QueuedItem]) -> None:
        """Post a channel's due items in order; errors stay with their channel."""
        published = False
        for item in items:
            try:
                published |= await self._handle(item)
            except TransientDeliveryError as e:
                later = self._clock.now() + RETRY_AFTER * (2 ** min(item.attempts, 5))
                await self._repo.retry(item.id, not_before=later, error=e.reason)
                log.warning("Channel %s: %s; items wait", channel_id, e.reason)
                break  # keep the channel's order: the rest wait with it
            except DeliveryFailed as e:
                await self._failed(item, e.reason)
            except BriefingError:
                log.exception("Channel %s: item %s could not be stored", channel_id, item.id)
                break
            except Exception:  # a bug with one item; logged here, finally; the others go on
                log.exception("Channel %s: item %s failed", channel_id, item.id)
                later = self._clock.now() + RETRY_AFTER
                await self._repo.retry(item.id, not_before=later, error="internal error")
        if published:
            try:
                await self._publish(now=self._clock.now())
            except BriefingError:
                log.exception("Publishing channel %s's items failed", channel_id)

    async def _handle(self, item: QueuedItem) -> bool:
        """Post a pending item or tell a revision; True when it joined the publish queue."""
        stored = await self._briefs.get(item.brief_id, guild_id=item.delivery.guild_id)
        if stored is None:
            await self._repo.record_failed(item.id, "the brief was removed")
            return False
        if item.status != "pending":
            await self._tell(item, shown(stored.brief), stored.brief.headline)
            return False
        passes, why = item.delivery.options.filter.verdict(stored.brief)
        if not passes:
            await self._repo.record_filtered(item.id, why)
            return False
        channel_id = item.delivery.channel_id
        if not await self._repo.claim(item.id, now=self._clock.now()):
            return False
        await self._pacer.wait(channel_id)  # last, so the post follows its slot at once
        try:
            async with asyncio.timeout(POST_TIMEOUT):
                posted = await self._poster.post(channel_id, _post(item, stored_brief=stored))
        except TimeoutError as e:
            raise TransientDeliveryError(channel_id, "Discord did not answer in time") from e
        await self._repo.record_posted(
            item,
            message_id=posted.message_id,
            reply_channel=posted.reply_channel,
            shown=shown(stored.brief),
            publish=posted.announcement,
            now=self._clock.now(),
        )
        return posted.announcement

    async def _tell(self, item: QueuedItem, new: Shown, headline: str) -> None:
        """One reply saying what changed, at most once an hour; nothing noticed, no reply."""
        now = self._clock.now()
        changes = what_changed(item.shown, new) if item.shown else []
        if not changes or item.message_id is None:
            await self._repo.record_reply(item.id, shown=new, now=now, replied=False)
            return
        if item.last_reply is not None and now - item.last_reply < HOUR:
            await self._repo.defer(item.id, not_before=item.last_reply + HOUR)
            return
        channel_id = item.reply_channel or item.delivery.channel_id
        await self._pacer.wait(channel_id)
        await self._poster.reply(channel_id, item.message_id, headline, changes)
        await self._repo.record_reply(item.id, shown=new, now=self._clock.now(), replied=True)

    async def _failed(self, item: QueuedItem, reason: str) -> None:
        """A post that cannot succeed: recorded, and reported to the log channel once."""
        delivery = item.delivery
        await self._repo.record_failed(item.id, reason)
        log.warning("Feed %s in channel %s: %s", delivery.feed_id, delivery.channel_id, reason)
        if not await self._repo.set_error(delivery.id, reason):
            return  # reported already
        settings = await self._log_channels.settings(delivery.guild_id)
        if settings.log_channel_id is None:
            return
        text = (
            f"Feed #{delivery.feed_id} ({delivery.feed_name}) cannot post in "
            f"<#{delivery.channel_id}>: {reason}. Fix the channel's permissions, or "
            f"`/feed edit` / `/feed remove` it."
        )
        try:
            await self._poster.report(settings.log_channel_id, text)
        except DeliveryFailed as e:
            log.warning("Guild %s log channel unusable: %s", delivery.guild_id, e.reason)


def _post(item: QueuedItem, *, stored_brief: StoredBrief) -> ItemPost:
    """What the poster is given for one item."""
    return ItemPost(
        stored=stored_brief,
        link=item.link or stored_brief.ref.source_url,
        published=item.published,
        image=item.image,
        feed_name=item.delivery.feed_name,
        options=item.delivery.options,
        nonce=f"feed-item-{item.id}",
    )

"""Following: members follow a person or topic into a channel, and new briefs raise alerts for
the follows they match, batched per channel within an hourly cap. `SourcesService` adds feeds."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence

from briefs.errors import BriefingError
from briefs.model import StoredBrief
from briefs.sources.follows import (
    Alert,
    AlertBatch,
    Follow,
    FollowKind,
    batch_alerts,
    follow_key,
    hour_window,
    match_follows,
)
from briefs.sources.ports import SourcesRepository

log = logging.getLogger(__name__)

MAX_NAME = 100


class InvalidFollow(BriefingError):
    """A follow name with nothing to match (no letters or digits)."""

    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(f"{name!r} has no letters or digits to follow")


class FollowService:
    """Follows and alerts: add and remove follows, and match new briefs to them."""

    def __init__(self, *, repository: SourcesRepository, max_alerts_per_hour: int = 10) -> None:
        self._repo = repository
        self._cap = max_alerts_per_hour

    async def follow(
        self,
        *,
        guild_id: int,
        channel_id: int,
        kind: FollowKind,
        name: str,
        now: dt.datetime,
        created_by: int | None = None,
    ) -> Follow:
        """Follow a person or topic into a channel of the guild."""
        name = " ".join(name.split())[:MAX_NAME]
        if not follow_key(name):
            raise InvalidFollow(name)
        return await self._repo.add_follow(
            guild_id=guild_id,
            channel_id=channel_id,
            kind=kind,
            name=name,
            created_by=created_by,
            now=now,
        )

    async def list_follows(self, *, guild_id: int) -> list[Follow]:
        """The guild's follows."""
        return await self._repo.list_follows(guild_id=guild_id)

    async def unfollow(self, follow_id: int, *, guild_id: int) -> Follow:
        """Remove one of the guild's follows."""
        return await self._repo.remove_follow(follow_id, guild_id=guild_id)

    async def alerts_for(
        self, briefs: Sequence[StoredBrief], *, now: dt.datetime
    ) -> list[AlertBatch]:
        """The alerts new briefs raise, one batch per channel within the hourly cap; logged."""
        alerts: list[Alert] = []
        for stored in briefs:
            follows = await self._repo.follows_in_scope(stored.ref.guild_id)
            alerts.extend(match_follows(stored.brief, stored.ref.id, follows))
        done = await self._repo.alerted((a.follow_id, a.brief_id) for a in alerts)
        alerts = [a for a in alerts if (a.follow_id, a.brief_id) not in done]
        if not alerts:
            return []
        counts = await self._repo.alerts_since({a.channel_id for a in alerts}, hour_window(now))
        batches = batch_alerts(alerts, sent_last_hour=counts, cap=self._cap)
        await self._repo.record_alerts([a for b in batches for a in b.alerts], now=now)
        for batch in batches:
            if batch.held_back:
                log.info(
                    "Channel %s: %d alerts over the hourly cap", batch.channel_id, batch.held_back
                )
        return [b for b in batches if b.alerts]

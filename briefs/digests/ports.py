"""What digest delivery needs from outside: the Discord side, the schedule store, their errors."""

from __future__ import annotations

import datetime as dt
from typing import Literal, Protocol

from briefs.digests.compose import (
    DigestMessage,
    GuildSettings,
    Posted,
    PublishTask,
    RunRecord,
    RunStatus,
    Schedule,
    ScheduleDraft,
    Trigger,
)
from briefs.errors import BriefingError

Health = Literal["ok", "failing", "unchanged"]  # what a finished run says about its schedule

PAUSE_AFTER_FAILURES = 5


# --- Errors the Discord side raises ----------------------------------------------------------


class DeliveryFailed(BriefingError):
    """A post or publish that cannot succeed as things are (deleted channel, missing permission)."""

    def __init__(self, channel_id: int, reason: str) -> None:
        self.channel_id = channel_id
        self.reason = reason
        super().__init__(f"channel {channel_id}: {reason}")


class TransientDeliveryError(DeliveryFailed):
    """A failure worth retrying (Discord 5xx, a dropped connection)."""


class PublishRateLimited(DeliveryFailed):
    """Discord refused a publish for now; try again after `retry_after` seconds."""

    def __init__(self, channel_id: int, retry_after: float) -> None:
        super().__init__(channel_id, f"publish rate limit, retry in {retry_after:.0f} s")
        self.retry_after = retry_after


class ClaimLost(BriefingError):
    """The run was taken over by another process (its lease had expired): that process settles
    it, from what the channel shows; this one posts and records nothing more of it."""

    def __init__(self, run_id: int) -> None:
        self.run_id = run_id
        super().__init__(f"digest run {run_id} was taken over by another process")


# --- Ports -----------------------------------------------------------------------------------


class DigestPoster(Protocol):
    """The Discord side of delivery."""

    async def check(self, channel_id: int, *, thread: bool) -> None:
        """Refuse (ChannelRefused) a channel the bot cannot post digests in (with threads)."""
        ...

    async def post(self, channel_id: int, message: DigestMessage, *, title: str) -> Posted:
        """Post one message with no mentions allowed; raises DeliveryFailed and subclasses.

        In a forum channel the message opens a forum post named `title` (Posted.thread_id);
        the run's later messages are posted to that thread's id."""
        ...

    async def open_thread(self, channel_id: int, message_id: int, name: str) -> int:
        """A thread under a posted message (the one it has already, if any): its id."""
        ...

    async def publish(self, channel_id: int, message_id: int) -> None:
        """Crosspost a message of an announcement channel; raises DeliveryFailed and subclasses."""
        ...

    async def report(self, channel_id: int, text: str) -> None:
        """Post a plain notice to a guild's log channel."""
        ...

    async def find_posted(self, channel_id: int, marker: str, *, limit: int = 100) -> list[Posted]:
        """The bot's own recent messages there that carry `marker`, oldest first (in a forum,
        those of its recent forum posts, each with its thread_id)."""
        ...


class ScheduleRepository(Protocol):
    """Schedules, runs and the publish queue (storage.schedules.ScheduleStore)."""

    max_per_guild: int

    async def settings(self, guild_id: int) -> GuildSettings: ...
    async def set_timezone(self, guild_id: int, tz: str, *, now: dt.datetime) -> GuildSettings: ...
    async def set_log_channel(
        self, guild_id: int, channel_id: int | None, *, now: dt.datetime
    ) -> GuildSettings: ...
    async def add(
        self, draft: ScheduleDraft, *, now: dt.datetime, cursor: dt.datetime | None
    ) -> Schedule: ...
    async def update(
        self, guild_id: int, schedule_id: int, draft: ScheduleDraft, *, now: dt.datetime
    ) -> Schedule: ...
    async def get(self, guild_id: int, schedule_id: int) -> Schedule: ...
    async def in_guild(self, guild_id: int) -> list[Schedule]: ...
    async def remove(self, guild_id: int, schedule_id: int) -> None: ...
    async def set_paused(self, guild_id: int, schedule_id: int, paused: bool) -> Schedule: ...
    async def load(self, schedule_id: int) -> Schedule | None: ...
    async def all_ids(self) -> list[int]: ...
    async def versions(self) -> dict[int, int]: ...
    async def claim(
        self,
        schedule_id: int,
        scheduled_for: dt.datetime,
        *,
        trigger: Trigger,
        cursor_to: dt.datetime | None,
        now: dt.datetime,
    ) -> RunRecord | None: ...
    async def hold(self, run_id: int, *, now: dt.datetime) -> bool: ...
    async def record_message(
        self, run_id: int, message_id: int, *, publish: bool, now: dt.datetime
    ) -> bool: ...
    async def finish(
        self,
        run_id: int,
        status: RunStatus,
        *,
        now: dt.datetime,
        error: str | None = None,
        advance: bool = False,
        health: Health = "ok",
        pause_after: int = PAUSE_AFTER_FAILURES,
    ) -> Schedule: ...
    async def record_skip(
        self, schedule_id: int, scheduled_for: dt.datetime, *, reason: str, now: dt.datetime
    ) -> bool: ...
    async def record_thread(self, run_id: int, thread_id: int) -> None: ...
    async def set_cursor(self, run_id: int, cursor_to: dt.datetime | None) -> None: ...
    async def take_over(self, *, now: dt.datetime) -> list[RunRecord]: ...
    async def renew_leases(self, *, now: dt.datetime) -> int: ...
    async def unfinished_runs(self) -> list[RunRecord]: ...
    async def due_publishes(self, *, now: dt.datetime, limit: int = 50) -> list[PublishTask]: ...
    async def recent_publishes(
        self, channel_id: int, *, since: dt.datetime
    ) -> list[dt.datetime]: ...
    async def mark_published(self, task_id: int, *, now: dt.datetime) -> None: ...
    async def retry_publish(
        self, task_id: int, *, not_before: dt.datetime, error: str, attempt: bool = True
    ) -> None: ...
    async def refuse_publish(self, task_id: int, *, error: str) -> None: ...

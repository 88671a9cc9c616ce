"""Digest composition: the briefs since a cursor, filtered and capped, as messages of cards.

Pure code: it takes StoredBriefs (newest first) and returns `DigestMessage`s already split so that
each respects Discord's limits (10 embeds and 6,000 characters per message; title 256, description
4,096, field 1,024, footer 2,048, 25 fields), so the bot only turns cards into embeds. A run then
tags each message with its run marker and a nonce (`for_run`), which is how a restart finds out
whether Discord already holds a digest whose post was never recorded."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

from briefs.digests.cards import (
    CONTENT_MAX,
    FOOTER_MAX,
    card_length,
    compact_cards,
    count_text,
    full_card,
    header_line,
    matches,
    newest_published_first,
    thread_name,
    when_text,
)
from briefs.digests.schedule import ScheduleSpec, next_runs, parse_when
from briefs.model import BriefRef, StoredBrief
from briefs.render import Card, clip

Style = Literal["full", "compact"]
EmptyPolicy = Literal["skip", "post"]
RunStatus = Literal["claimed", "posted", "skipped", "failed"]
Trigger = Literal["schedule", "manual"]
EMBEDS_PER_MESSAGE = 10
MESSAGE_EMBED_CHARS = 6000
MARKER_ROOM = 100  # embed characters pack() leaves free in each message for the run marker
NONCE_MAX = 25  # Discord's limit on a message nonce
MAX_ITEMS = 25


@dataclass(frozen=True, slots=True)
class DigestOptions:
    """What a schedule puts in its digests."""

    include: tuple[str, ...] = ()  # a brief must match at least one (when any)
    exclude: tuple[str, ...] = ()  # a brief must match none
    max_items: int = 10
    style: Style = "full"
    empty: EmptyPolicy = "skip"
    thread: bool = False  # open a discussion thread under each posted digest


@dataclass(frozen=True, slots=True)
class DigestMessage:
    """One Discord message of a digest: plain content and the cards to show as embeds."""

    content: str
    cards: tuple[Card, ...] = ()
    nonce: str | None = None  # Discord drops a second post with the same nonce (dedup window)


@dataclass(frozen=True, slots=True)
class Digest:
    """A composed digest; no messages means there is nothing to post."""

    messages: tuple[DigestMessage, ...]
    shown: tuple[BriefRef, ...]
    more: int  # matched but over `max_items`
    cursor: dt.datetime | None  # newest ingested_at looked at: the schedule's next cursor
    title: str = "Digest"  # plain text: names its forum post or thread (with the run's date)


def compose(
    briefs: Sequence[StoredBrief],
    options: DigestOptions,
    *,
    since: dt.datetime | None,
    tz: str,
) -> Digest:
    """The digest of `briefs` (newest first): filtered, capped, rendered and split into messages."""
    cursor = max((s.ref.ingested_at for s in briefs), default=None)
    picked = sorted(
        (s for s in briefs if matches(s.brief, options.include, options.exclude)),
        key=newest_published_first,
    )
    shown, more = picked[: options.max_items], max(0, len(picked) - options.max_items)
    if not shown:
        if options.empty == "skip":
            return Digest((), (), 0, cursor)
        note = f"Nothing new since {when_text(since, tz)}." if since else "Nothing new yet."
        return Digest((DigestMessage(note),), (), 0, cursor, "Digest — nothing new")
    header = header_line(len(picked), since, tz)
    more_line = f"…and {more} more — /latest" if more else ""
    if options.style == "compact":
        cards = compact_cards(shown, more_line)
    else:
        cards = [full_card(s) for s in shown]
        if more_line:
            last = cards[-1]
            cards[-1] = replace(last, footer=clip(f"{last.footer}\n{more_line}", FOOTER_MAX))
    title = f"Digest — {count_text(len(picked))}"
    return Digest(pack(header, cards), tuple(s.ref for s in shown), more, cursor, title)


def pack(header: str, cards: Sequence[Card]) -> tuple[DigestMessage, ...]:
    """Cards into messages of at most 10 embeds and 6,000 embed characters; header on the first."""
    messages: list[list[Card]] = [[]]
    total = 0
    budget = MESSAGE_EMBED_CHARS - MARKER_ROOM
    for card in cards:
        size = card_length(card)
        if messages[-1] and (len(messages[-1]) == EMBEDS_PER_MESSAGE or total + size > budget):
            messages.append([])
            total = 0
        messages[-1].append(card)
        total += size
    return tuple(
        DigestMessage(header if i == 0 else "", tuple(group)) for i, group in enumerate(messages)
    )


# --- Run markers: how a posted digest says which run it belongs to --------------------------


def run_marker(schedule_id: int, scheduled_for: dt.datetime) -> str:
    """The run key as readers see it, e.g. 'Digest #12 · run 2026-11-28 08:00 UTC'."""
    at = scheduled_for.astimezone(dt.UTC)
    # Scheduled runs fall on whole minutes; a manual run's key is its start, shown to the second.
    stamp = at.strftime(
        "%Y-%m-%d %H:%M" if at.second == at.microsecond == 0 else "%Y-%m-%d %H:%M:%S"
    )
    return f"Digest #{schedule_id} · run {stamp} UTC"


def run_nonce(schedule_id: int, scheduled_for: dt.datetime, part: int) -> str:
    """Discord's dedup key for one message of a run: stable, 25 characters."""
    key = f"{schedule_id}|{scheduled_for.astimezone(dt.UTC).isoformat()}|{part}"
    return "d" + hashlib.blake2b(key.encode(), digest_size=12).hexdigest()


def for_run(
    messages: Sequence[DigestMessage],
    schedule_id: int,
    scheduled_for: dt.datetime,
    tz: str = "UTC",
) -> tuple[DigestMessage, ...]:
    """The messages as a run posts them: each carries the run marker and its own nonce.

    The marker (in UTC) is the key a restart looks for; readers also get the run time in the
    schedule's zone after it."""
    marker = run_marker(schedule_id, scheduled_for)
    if tz != "UTC":
        marker += f" · {when_text(scheduled_for, tz)}"
    return tuple(
        replace(
            _tagged(_stamped(m, scheduled_for), marker),
            nonce=run_nonce(schedule_id, scheduled_for, part),
        )
        for part, m in enumerate(messages)
    )


@dataclass(frozen=True, slots=True)
class RunPosts:
    """What a run of a digest puts on Discord: its messages and the name of its forum post or
    discussion thread. A run and /digest preview both build it here, so they cannot differ."""

    messages: tuple[DigestMessage, ...]  # exactly as posted (marker, nonce, footer time)
    name: str  # the forum post's or thread's name: the digest's title and the run's date


def run_posts(digest: Digest, schedule: Schedule, scheduled_for: dt.datetime) -> RunPosts:
    """The run's messages as posted (see `for_run`) and its post or thread name."""
    tz = schedule.timezone
    return RunPosts(
        for_run(digest.messages, schedule.id, scheduled_for, tz),
        thread_name(digest.title, scheduled_for, tz),
    )


def _stamped(message: DigestMessage, at: dt.datetime) -> DigestMessage:
    """Every card of a run carries a timestamp: its brief's, else the run's."""
    return replace(
        message, cards=tuple(replace(c, timestamp=c.timestamp or at) for c in message.cards)
    )


def _tagged(message: DigestMessage, marker: str) -> DigestMessage:
    """The marker under the last embed's footer, or as small text under plain content."""
    if not message.cards:
        room = CONTENT_MAX - len(marker) - 4
        return replace(message, content=f"{clip(message.content, room)}\n-# {marker}")
    last = message.cards[-1]
    text = f"{clip(last.footer, FOOTER_MAX - len(marker) - 1)}\n{marker}" if last.footer else marker
    return replace(message, cards=(*message.cards[:-1], replace(last, footer=text)))


# --- Schedules and runs: the records storage keeps ----------------------------------------


@dataclass(frozen=True, slots=True)
class GuildSettings:
    """A guild's defaults: its time zone and where failures are reported."""

    guild_id: int
    timezone: str = "UTC"
    log_channel_id: int | None = None


@dataclass(frozen=True, slots=True)
class ScheduleDraft:
    """A schedule as a moderator asked for it, validated."""

    guild_id: int
    channel_id: int
    when: str  # canonical ScheduleSpec.text
    timezone: str
    options: DigestOptions = DigestOptions()
    created_by: int | None = None


@dataclass(frozen=True, slots=True)
class RunRecord:
    """One run of a schedule, by run key (schedule id, scheduled time)."""

    id: int
    schedule_id: int
    scheduled_for: dt.datetime
    trigger: Trigger
    status: RunStatus
    message_ids: tuple[int, ...] = ()
    error: str | None = None
    cursor_to: dt.datetime | None = None
    thread_id: int | None = None  # its forum post, or the discussion thread under it


@dataclass(frozen=True, slots=True)
class Schedule:
    """A stored digest schedule with its health and its latest runs."""

    id: int
    guild_id: int
    channel_id: int
    when: str
    timezone: str
    options: DigestOptions
    created_at: dt.datetime
    paused: bool = False
    failing_reason: str | None = None
    failures: int = 0
    cursor: dt.datetime | None = None
    last_run: RunRecord | None = None  # the latest of any trigger
    last_scheduled: dt.datetime | None = None  # the latest run key of trigger 'schedule'
    last_posted: dt.datetime | None = None
    retimed_at: dt.datetime | None = None  # when an edit last changed `when` or `timezone`

    @property
    def spec(self) -> ScheduleSpec:
        """The parsed `when`."""
        return parse_when(self.when)

    @property
    def runs_after(self) -> dt.datetime:
        """Runs after this moment may be due: the last scheduled run, or the creation or the
        latest change of time (whichever is later)."""
        marks = [m for m in (self.last_scheduled, self.retimed_at) if m is not None]
        return max(marks) if marks else self.created_at


@dataclass(frozen=True, slots=True)
class PublishTask:
    """A message to publish (crosspost) in an announcement channel."""

    id: int
    guild_id: int
    channel_id: int
    message_id: int
    attempts: int
    not_before: dt.datetime


@dataclass(frozen=True, slots=True)
class Posted:
    """What the Discord side answers for a posted message."""

    message_id: int
    announcement: bool  # posted in an announcement channel: publish it
    thread_id: int | None = None  # the forum post this message opened or went into


@dataclass(frozen=True, slots=True)
class RunOutcome:
    """What one run did, for the caller (a job or `/digest now`)."""

    schedule_id: int
    scheduled_for: dt.datetime
    status: RunStatus
    message_ids: tuple[int, ...] = ()
    error: str | None = None
    paused: bool = False


@dataclass(frozen=True, slots=True)
class NextRun:
    """What a schedule's next run would post if it ran with the library as it is now."""

    channel_id: int
    scheduled_for: dt.datetime | None  # None: the schedule has no next run
    messages: tuple[DigestMessage, ...]  # exactly as the run posts them (marker, footer, time)
    name: str = ""  # its forum post's or discussion thread's name (`run_posts`)
    thread: bool = False  # the schedule opens a discussion thread under the digest


NOTHING_NEW = "nothing new"  # the note of a run that found nothing to post


def run_outcome(run: RunRecord) -> str:
    """What a run really did, in words: an empty run is "nothing new", not a skip."""
    if run.status == "posted":
        n = len(run.message_ids)
        posted = f"posted {n} message{'s' if n != 1 else ''}"
        return f"{posted} ({run.error})" if run.error else posted
    if run.status == "skipped" and run.error == NOTHING_NEW:
        return NOTHING_NEW
    if run.status == "claimed":
        return "running"
    return f"{run.status} ({run.error})" if run.error else run.status


def upcoming(schedule: Schedule, *, now: dt.datetime, n: int = 3) -> list[dt.datetime]:
    """The next `n` run times of a schedule (aware UTC)."""
    return next_runs(schedule.spec, schedule.timezone, after=now, n=n)

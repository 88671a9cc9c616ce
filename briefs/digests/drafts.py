"""A moderator's schedule settings, validated into a `ScheduleDraft`: a new schedule's, or an
existing one's with some settings changed. Raises `InvalidSchedule` with the reason."""

from __future__ import annotations

from collections.abc import Sequence

from briefs.digests.cards import parse_topics
from briefs.digests.compose import DigestOptions, EmptyPolicy, Schedule, ScheduleDraft, Style
from briefs.digests.schedule import parse_when, zone
from briefs.errors import InvalidSchedule


def make_draft(
    guild_id: int,
    channel_id: int,
    when: str,
    tz: str,
    *,
    include: str | None = None,
    exclude: str | None = None,
    max_items: int = 10,
    style: Style = "full",
    empty: EmptyPolicy = "skip",
    thread: bool = False,
    created_by: int | None = None,
) -> ScheduleDraft:
    """Validate a moderator's input into a draft (raises InvalidSchedule with the reason)."""
    spec = parse_when(when)
    zone_name = zone(tz).key
    if not 1 <= max_items <= 25:
        raise InvalidSchedule(str(max_items), "max_items must be between 1 and 25")
    options = DigestOptions(
        parse_topics(include), parse_topics(exclude), max_items, style, empty, thread
    )
    return ScheduleDraft(guild_id, channel_id, spec.text, zone_name, options, created_by)


def edited_draft(
    schedule: Schedule,
    *,
    channel_id: int | None = None,
    when: str | None = None,
    tz: str | None = None,
    include: str | None = None,
    exclude: str | None = None,
    max_items: int | None = None,
    style: Style | None = None,
    empty: EmptyPolicy | None = None,
    thread: bool | None = None,
) -> ScheduleDraft:
    """A schedule with some settings changed, validated as `make_draft` validates a new one.

    A setting not given keeps its value; `include`/`exclude` of '-' clear the topics."""
    o = schedule.options
    return make_draft(
        schedule.guild_id,
        schedule.channel_id if channel_id is None else channel_id,
        schedule.when if when is None else when,
        schedule.timezone if tz is None else tz,
        include=_topics_text(include, o.include),
        exclude=_topics_text(exclude, o.exclude),
        max_items=o.max_items if max_items is None else max_items,
        style=style or o.style,
        empty=empty or o.empty,
        thread=o.thread if thread is None else thread,
    )


def _topics_text(given: str | None, current: Sequence[str]) -> str:
    if given is None:
        return ",".join(current)
    return "" if given.strip() == "-" else given

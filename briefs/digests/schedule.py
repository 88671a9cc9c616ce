"""Digest schedules: parse `when`, restate it in words, and compute run times across DST.

Every schedule is wall-clock time in its IANA zone (`daily 08:00` stays at 08:00 local all year).
Daylight-saving changes are resolved one documented way:

- spring forward: a run whose local time does not exist that day (02:30 when clocks jump from 02:00
  to 03:00) runs once, at the moment the clock jumps (03:00 local);
- fall back: a run whose local time happens twice (01:30 when 02:00 returns to 01:00) runs once,
  at the first occurrence.

`every Nm` / `every Nh` run at multiples of N from local midnight (N must divide a day);
`every Nd [HH:MM]` runs on every Nth calendar day (counted from 0001-01-01) at HH:MM (default
00:00).
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from briefs.errors import InvalidSchedule

ScheduleKind = Literal["daily", "weekdays", "weekly", "every", "cron"]
UTC = dt.UTC
MIN_GAP_MINUTES = 15
DEFAULT_GRACE = dt.timedelta(hours=1)
_DAY = 24 * 60
_SEARCH_DAYS = 366 * 9  # long enough for `0 0 29 2 1` (a leap day that is a Monday)
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_TIME = r"(\d{1,2}):(\d{2})"
_SIMPLE = re.compile(rf"(daily|weekdays)\s+{_TIME}")
_WEEKLY = re.compile(rf"weekly\s+([a-z]+)\s+{_TIME}")
_EVERY = re.compile(rf"every\s+(\d+)\s*([mhd])(?:\s+{_TIME})?")


@dataclass(frozen=True, slots=True)
class ScheduleSpec:
    """A parsed schedule: local times of day, and which days (None = any)."""

    text: str  # canonical form, as stored and shown
    kind: ScheduleKind
    times: tuple[int, ...]  # minutes after local midnight, sorted
    weekdays: frozenset[int] | None = None  # Monday = 0
    days: frozenset[int] | None = None  # days of the month
    months: frozenset[int] | None = None
    day_step: int = 1  # every Nth calendar day
    step_minutes: int = 0  # `every Nm/Nh`: the interval

    def runs_on(self, day: dt.date) -> bool:
        """Whether the schedule has runs on this local date (cron: day-of-month OR weekday)."""
        if self.months is not None and day.month not in self.months:
            return False
        if self.day_step > 1 and day.toordinal() % self.day_step:
            return False
        by_day = self.days is None or day.day in self.days
        by_weekday = self.weekdays is None or day.weekday() in self.weekdays
        if self.days is not None and self.weekdays is not None:
            return by_day or by_weekday
        return by_day and by_weekday


# --- Parsing -------------------------------------------------------------------------------


def parse_when(text: str) -> ScheduleSpec:
    """Parse `daily 08:00`, `weekdays 18:30`, `weekly mon 09:00`, `every 6h`, or a cron line."""
    raw = " ".join(text.strip().lower().split())
    if not raw:
        raise InvalidSchedule(text, "say when, e.g. `daily 08:00` or `every 6h`")
    if m := _SIMPLE.fullmatch(raw):
        t = _time(text, m[2], m[3])
        wd = frozenset(range(5)) if m[1] == "weekdays" else None
        spec = ScheduleSpec(f"{m[1]} {_hhmm(t)}", m[1], (t,), weekdays=wd)  # type: ignore[arg-type]  # regex alternatives
    elif m := _WEEKLY.fullmatch(raw):
        day = _weekday(text, m[1])
        spec = ScheduleSpec(
            f"weekly {_WEEKDAYS[day]} {_hhmm(_time(text, m[2], m[3]))}",
            "weekly",
            (_time(text, m[2], m[3]),),
            weekdays=frozenset({day}),
        )
    elif m := _EVERY.fullmatch(raw):
        spec = _every(text, int(m[1]), m[2], m[3], m[4])
    elif len(raw.split()) == 5:
        spec = _cron(text, raw)
    else:
        raise InvalidSchedule(
            text,
            "use `daily 08:00`, `weekdays 18:30`, `weekly mon 09:00`, `every 6h`, "
            "or a five-field cron expression",
        )
    _check_gap(text, spec)
    if not next_runs(spec, "UTC", after=dt.datetime(2000, 1, 1, tzinfo=UTC), n=1):
        raise InvalidSchedule(text, "this schedule never runs")
    return spec


def _time(text: str, hour: str, minute: str) -> int:
    h, m = int(hour), int(minute)
    if h > 23 or m > 59:
        raise InvalidSchedule(text, f"{hour}:{minute} is not a time of day (00:00 to 23:59)")
    return h * 60 + m


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _weekday(text: str, word: str) -> int:
    for i, name in enumerate(_WEEKDAYS):
        if (len(word) >= 3 and _DAY_NAMES[i].lower().startswith(word)) or word == name:
            return i
    raise InvalidSchedule(text, f"{word!r} is not a day; use mon, tue, wed, thu, fri, sat or sun")


def _every(text: str, n: int, unit: str, hour: str | None, minute: str | None) -> ScheduleSpec:
    if unit == "d":
        if not 1 <= n <= 31:
            raise InvalidSchedule(text, "use every 1d to every 31d")
        at = _time(text, hour, minute) if hour and minute else 0
        canonical = f"every {n}d {_hhmm(at)}" if at else f"every {n}d"
        return ScheduleSpec(canonical, "every", (at,), day_step=n)
    if hour is not None:
        raise InvalidSchedule(text, "a time of day goes only with `every Nd`")
    step = n * 60 if unit == "h" else n
    if step < MIN_GAP_MINUTES or _DAY % step:
        raise InvalidSchedule(
            text,
            f"the interval must be at least {MIN_GAP_MINUTES} minutes and divide a day evenly "
            "(e.g. 15m, 30m, 1h, 2h, 3h, 4h, 6h, 8h, 12h); for other rhythms use a cron expression",
        )
    return ScheduleSpec(f"every {n}{unit}", "every", tuple(range(0, _DAY, step)), step_minutes=step)


def _cron(text: str, raw: str) -> ScheduleSpec:
    minute, hour, dom, month, dow = raw.split()
    minutes = _field(text, minute, 0, 59, "minute", ())
    hours = _field(text, hour, 0, 23, "hour", ())
    days = _field(text, dom, 1, 31, "day of month", ())
    months = _field(text, month, 1, 12, "month", _MONTHS)
    cron_days = _field(text, dow, 0, 7, "day of week", ("sun", *_WEEKDAYS[:6]))
    weekdays = frozenset((d - 1) % 7 for d in cron_days)  # cron: 0 and 7 are Sunday
    return ScheduleSpec(
        raw,
        "cron",
        tuple(sorted(h * 60 + m for h in hours for m in minutes)),
        weekdays=None if dow.startswith("*") else weekdays,
        days=None if dom.startswith("*") else frozenset(days),
        months=None if month == "*" else frozenset(months),
    )


def _field(text: str, spec: str, lo: int, hi: int, what: str, names: tuple[str, ...]) -> set[int]:
    values: set[int] = set()
    for part in spec.split(","):
        base, _, step_text = part.partition("/")
        step = _number(text, step_text, what, ()) if step_text else 1
        if base == "*":
            start, end = lo, hi
        elif "-" in base:
            a, _, b = base.partition("-")
            start, end = _number(text, a, what, names, lo), _number(text, b, what, names, lo)
        else:
            start = _number(text, base, what, names, lo)
            end = hi if step_text else start
        if not (lo <= start <= end <= hi) or step < 1:
            raise InvalidSchedule(text, f"{part!r} is out of range for the {what} ({lo}-{hi})")
        values.update(range(start, end + 1, step))
    return values


def _number(text: str, word: str, what: str, names: tuple[str, ...], first: int = 0) -> int:
    if word.isdigit():
        return int(word)
    if word in names:
        return names.index(word) + first
    raise InvalidSchedule(text, f"{word!r} is not a valid {what}")


def _check_gap(text: str, spec: ScheduleSpec) -> None:
    times = spec.times
    gaps = [b - a for a, b in itertools.pairwise(times)] + [times[0] + _DAY - times[-1]]
    if min(gaps) < MIN_GAP_MINUTES:
        raise InvalidSchedule(text, f"digests can run at most every {MIN_GAP_MINUTES} minutes")


# --- Time zones ----------------------------------------------------------------------------


@cache
def _zone_names() -> dict[str, str]:
    names = {n for n in available_timezones() if "/" in n and not n.startswith(("Etc/", "SystemV"))}
    names.add("UTC")
    return {n.lower(): n for n in sorted(names)}


def zone(name: str) -> ZoneInfo:
    """The IANA zone by name (case-insensitive), or InvalidSchedule."""
    canonical = _zone_names().get(name.strip().lower().replace(" ", "_"))
    if canonical is None:
        raise InvalidSchedule(name, "unknown time zone; pick one from the list, e.g. Europe/Paris")
    try:
        return ZoneInfo(canonical)
    except (ZoneInfoNotFoundError, ValueError) as e:
        raise InvalidSchedule(name, "time zone data is missing for this zone") from e


def timezone_choices(query: str, limit: int = 25) -> list[str]:
    """Zone names for autocomplete: those starting with the query, then those containing it."""
    q = query.strip().lower().replace(" ", "_")
    names = _zone_names()
    if not q:
        return ["UTC", *list(names.values())[: limit - 1]]
    starts = [n for k, n in names.items() if k.startswith(q) or k.split("/")[-1].startswith(q)]
    inside = [n for k, n in names.items() if q in k and n not in starts]
    return (starts + inside)[:limit]


# --- Run times -----------------------------------------------------------------------------


def iter_runs(spec: ScheduleSpec, tz: str, after: dt.datetime) -> Iterator[dt.datetime]:
    """Run times strictly after `after`, as aware UTC datetimes, in order, each once."""
    zi = zone(tz)
    day = after.astimezone(zi).date() - dt.timedelta(days=1)
    last = after
    for _ in range(_SEARCH_DAYS):
        if spec.runs_on(day):
            for minutes in spec.times:
                run = _resolve(day, minutes, zi)
                if run > last:  # gap-shifted runs collapse onto the jump, and stay in order
                    last = run
                    yield run
        day += dt.timedelta(days=1)


def next_runs(spec: ScheduleSpec, tz: str, *, after: dt.datetime, n: int = 3) -> list[dt.datetime]:
    """The next `n` run times strictly after `after` (aware UTC)."""
    runs: list[dt.datetime] = []
    for run in iter_runs(spec, tz, after):
        runs.append(run)
        if len(runs) == n:
            break
    return runs


def _resolve(day: dt.date, minutes: int, zi: ZoneInfo) -> dt.datetime:
    wall = dt.datetime(day.year, day.month, day.day, minutes // 60, minutes % 60, tzinfo=zi)
    early = wall.astimezone(UTC)  # fold=0: the first occurrence of an ambiguous time
    if early.astimezone(zi).replace(tzinfo=None) == wall.replace(tzinfo=None):
        return early
    # The wall time falls in a spring-forward gap: run at the jump itself (to the second).
    lo = int(wall.replace(fold=1).astimezone(UTC).timestamp())
    hi = int(early.timestamp())
    after_offset = early.astimezone(zi).utcoffset()
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if dt.datetime.fromtimestamp(mid, UTC).astimezone(zi).utcoffset() == after_offset:
            hi = mid
        else:
            lo = mid
    return dt.datetime.fromtimestamp(hi, UTC)


# --- Catch-up ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DueRun:
    """The run to act on now: the latest one missed or due, and what to do with it."""

    scheduled_for: dt.datetime  # aware UTC; with the schedule id, the run key
    action: Literal["post", "skip"]
    collapsed: int  # how many scheduled runs this one stands for (1: none was missed)


def due_run(
    spec: ScheduleSpec,
    tz: str,
    *,
    since: dt.datetime,
    now: dt.datetime,
    grace: dt.timedelta = DEFAULT_GRACE,
) -> DueRun | None:
    """What is due at `now` for runs after `since` (the last recorded run, or the creation time).

    Several runs at or before `now` collapse into the latest one; it is posted when it is at most
    `grace` old, otherwise recorded as skipped (its briefs go into the next digest)."""
    latest: dt.datetime | None = None
    count = 0
    for run in iter_runs(spec, tz, since):
        if run > now:
            break
        latest, count = run, count + 1
    if latest is None:
        return None
    return DueRun(latest, "post" if now - latest <= grace else "skip", count)


def run_key(schedule_id: int, scheduled_for: dt.datetime) -> str:
    """The run's identity: schedule id and scheduled time in UTC ISO form."""
    return f"{schedule_id}@{scheduled_for.astimezone(UTC).isoformat()}"


# --- Words ---------------------------------------------------------------------------------


def describe(spec: ScheduleSpec, tz: str) -> str:
    """The schedule in words: 'every day at 08:00 (Europe/Paris)'."""
    at = _hhmm(spec.times[0])
    if spec.kind == "daily":
        words = f"every day at {at}"
    elif spec.kind == "weekdays":
        words = f"every weekday (Monday to Friday) at {at}"
    elif spec.kind == "weekly":
        words = f"every {_DAY_NAMES[min(spec.weekdays or {0})]} at {at}"
    elif spec.day_step > 1 or (spec.kind == "every" and not spec.step_minutes):
        words = f"every {spec.day_step} days at {at}" if spec.day_step > 1 else f"every day at {at}"
    elif spec.kind == "every":
        words = f"every {_duration(spec.step_minutes)} from 00:00"
    else:
        return f"{_times_words(spec.times)}, {_days_words(spec)} ({tz}; cron `{spec.text}`)"
    return f"{words} ({tz})"


def _duration(minutes: int) -> str:
    if minutes % 60:
        return f"{minutes} minutes"
    return "hour" if minutes == 60 else f"{minutes // 60} hours"


def _times_words(times: tuple[int, ...]) -> str:
    if len(times) > 4:
        return f"{len(times)} times a day, first at {_hhmm(times[0])}"
    return "at " + _join([_hhmm(t) for t in times])


def _days_words(spec: ScheduleSpec) -> str:
    parts = []
    if spec.days is not None:
        parts.append("on day " + _join([str(d) for d in sorted(spec.days)]) + " of the month")
    if spec.weekdays is not None:
        parts.append("on " + _weekday_words(spec.weekdays))
    words = " or ".join(parts) or "every day"
    if spec.months is not None:
        words += " in " + _join([_MONTHS[m - 1].capitalize() for m in sorted(spec.months)])
    return words


def _weekday_words(days: frozenset[int]) -> str:
    ordered = sorted(days)
    if len(ordered) > 2 and ordered == list(range(ordered[0], ordered[-1] + 1)):
        return f"{_DAY_NAMES[ordered[0]]} to {_DAY_NAMES[ordered[-1]]}"
    return _join([_DAY_NAMES[d] for d in ordered])


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]

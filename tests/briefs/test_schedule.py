"""Digest schedules: every `when` form, words, run times across DST, catch-up, time zones."""

from __future__ import annotations

import datetime as dt

import pytest

from briefs.digests.schedule import (
    describe,
    due_run,
    next_runs,
    parse_when,
    run_key,
    timezone_choices,
    zone,
)
from briefs.errors import InvalidSchedule

UTC = dt.UTC


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


def local(tz: str, runs: list[dt.datetime]) -> list[str]:
    return [r.astimezone(zone(tz)).strftime("%a %Y-%m-%d %H:%M %Z") for r in runs]


@pytest.mark.parametrize(
    ("when", "canonical", "words"),
    [
        ("daily 08:00", "daily 08:00", "every day at 08:00 (Europe/Paris)"),
        ("Daily 8:00", "daily 08:00", "every day at 08:00 (Europe/Paris)"),
        (
            "weekdays 18:30",
            "weekdays 18:30",
            "every weekday (Monday to Friday) at 18:30 (Europe/Paris)",
        ),
        ("weekly mon 09:00", "weekly mon 09:00", "every Monday at 09:00 (Europe/Paris)"),
        ("weekly Friday 17:15", "weekly fri 17:15", "every Friday at 17:15 (Europe/Paris)"),
        ("every 6h", "every 6h", "every 6 hours from 00:00 (Europe/Paris)"),
        ("every 1h", "every 1h", "every hour from 00:00 (Europe/Paris)"),
        ("every 30m", "every 30m", "every 30 minutes from 00:00 (Europe/Paris)"),
        ("every 2d", "every 2d", "every 2 days at 00:00 (Europe/Paris)"),
        ("every 3d 07:45", "every 3d 07:45", "every 3 days at 07:45 (Europe/Paris)"),
        (
            "0 9,17 * * 1-5",
            "0 9,17 * * 1-5",
            "at 09:00 and 17:00, on Monday to Friday (Europe/Paris; cron `0 9,17 * * 1-5`)",
        ),
        (
            "0 8 1,15 * sun",
            "0 8 1,15 * sun",
            "at 08:00, on day 1 and 15 of the month or on Sunday "
            "(Europe/Paris; cron `0 8 1,15 * sun`)",
        ),
    ],
)
def test_every_form_is_understood_and_restated_in_words(when, canonical, words):
    spec = parse_when(when)
    assert spec.text == canonical
    assert describe(spec, "Europe/Paris") == words
    assert parse_when(spec.text) == spec  # the stored form parses back to the same schedule


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        ("daily 08:00", ["Mon 2026-01-05 08:00 CET", "Tue 2026-01-06 08:00 CET"]),
        ("weekdays 18:30", ["Mon 2026-01-05 18:30 CET", "Tue 2026-01-06 18:30 CET"]),
        ("weekly sat 09:00", ["Sat 2026-01-10 09:00 CET", "Sat 2026-01-17 09:00 CET"]),
        ("every 6h", ["Mon 2026-01-05 12:00 CET", "Mon 2026-01-05 18:00 CET"]),
        ("every 2d", ["Tue 2026-01-06 00:00 CET", "Thu 2026-01-08 00:00 CET"]),
        ("30 7 * * 0", ["Sun 2026-01-11 07:30 CET", "Sun 2026-01-18 07:30 CET"]),
        ("0 0 29 2 *", ["Tue 2028-02-29 00:00 CET", "Sun 2032-02-29 00:00 CET"]),
    ],
)
def test_next_runs_are_in_the_schedules_zone(when, expected):
    after = dt.datetime(2026, 1, 5, 7, 0, tzinfo=zone("Europe/Berlin"))  # a Monday morning
    runs = next_runs(parse_when(when), "Europe/Berlin", after=after, n=2)
    assert local("Europe/Berlin", runs) == expected
    assert all(r.tzinfo is UTC for r in runs)


def test_a_run_in_the_spring_forward_gap_happens_once_at_the_jump():
    # Berlin, 29 Mar 2026: 02:00 CET jumps to 03:00 CEST, there is no 02:30 that day.
    runs = next_runs(parse_when("daily 02:30"), "Europe/Berlin", after=utc(2026, 3, 27), n=4)
    assert local("Europe/Berlin", runs) == [
        "Fri 2026-03-27 02:30 CET",
        "Sat 2026-03-28 02:30 CET",
        "Sun 2026-03-29 03:00 CEST",
        "Mon 2026-03-30 02:30 CEST",
    ]


def test_intraday_runs_inside_the_gap_collapse_into_one():
    # New York, 8 Mar 2026: 02:00 EST jumps to 03:00 EDT.
    runs = next_runs(parse_when("every 30m"), "America/New_York", after=utc(2026, 3, 8, 6), n=4)
    assert local("America/New_York", runs) == [
        "Sun 2026-03-08 01:30 EST",
        "Sun 2026-03-08 03:00 EDT",
        "Sun 2026-03-08 03:30 EDT",
        "Sun 2026-03-08 04:00 EDT",
    ]


def test_a_run_in_the_repeated_hour_at_fall_back_happens_once():
    # New York, 1 Nov 2026: 02:00 EDT goes back to 01:00 EST, 01:30 happens twice.
    runs = next_runs(parse_when("daily 01:30"), "America/New_York", after=utc(2026, 10, 31), n=3)
    assert local("America/New_York", runs) == [
        "Sat 2026-10-31 01:30 EDT",
        "Sun 2026-11-01 01:30 EDT",
        "Mon 2026-11-02 01:30 EST",
    ]
    berlin = next_runs(parse_when("daily 02:30"), "Europe/Berlin", after=utc(2026, 10, 24, 12), n=2)
    assert berlin[1] - berlin[0] == dt.timedelta(hours=25)


def test_daily_time_stays_on_the_wall_clock_across_a_dst_change():
    runs = next_runs(parse_when("daily 08:00"), "Europe/Berlin", after=utc(2026, 3, 28), n=2)
    assert [r.hour for r in runs] == [7, 6]  # 08:00 CET, then 08:00 CEST


@pytest.mark.parametrize(
    ("when", "reason"),
    [
        ("", "say when"),
        ("daily 25:00", "not a time of day"),
        ("weekly fun 09:00", "not a day"),
        ("every 7h", "divide a day"),
        ("every 5m", "at least 15 minutes"),
        ("every 40d", "every 1d to every 31d"),
        ("every 6h 08:00", "only with `every Nd`"),
        ("* * * * *", "at most every 15 minutes"),
        ("0 0 31 2 *", "never runs"),
        ("61 * * * *", "out of range"),
        ("0 9 * * funday", "not a valid day of week"),
        ("at noon please", "five-field cron"),
    ],
)
def test_bad_schedules_say_why(when, reason):
    with pytest.raises(InvalidSchedule, match=reason) as caught:
        parse_when(when)
    assert caught.value.text == when


def test_time_zones_are_validated_and_offered_for_autocomplete():
    assert zone("europe/paris").key == "Europe/Paris"
    assert zone("UTC").key == "UTC"
    with pytest.raises(InvalidSchedule, match="unknown time zone"):
        zone("Mars/Olympus_Mons")
    assert timezone_choices("paris") == ["Europe/Paris"]
    assert timezone_choices("new")[0] == "America/New_York"
    assert "America/Argentina/Buenos_Aires" in timezone_choices("buenos")
    assert len(timezone_choices("")) == 25
    assert len(timezone_choices("a")) == 25


SPEC = parse_when("daily 08:00")  # 06:00 UTC in Berlin summer time


def test_nothing_is_due_before_the_first_run():
    assert (
        due_run(SPEC, "Europe/Berlin", since=utc(2026, 6, 1, 7), now=utc(2026, 6, 2, 5, 59)) is None
    )


def test_a_run_is_due_at_its_time():
    due = due_run(SPEC, "Europe/Berlin", since=utc(2026, 6, 1, 7), now=utc(2026, 6, 2, 6))
    assert due is not None
    assert (due.scheduled_for, due.action, due.collapsed) == (utc(2026, 6, 2, 6), "post", 1)


def test_several_missed_runs_collapse_into_the_latest_posted_within_grace():
    due = due_run(SPEC, "Europe/Berlin", since=utc(2026, 6, 1, 6), now=utc(2026, 6, 5, 6, 59))
    assert due is not None
    assert (due.scheduled_for, due.action, due.collapsed) == (utc(2026, 6, 5, 6), "post", 4)


def test_a_missed_run_outside_the_grace_window_is_skipped():
    due = due_run(SPEC, "Europe/Berlin", since=utc(2026, 6, 1, 6), now=utc(2026, 6, 2, 7, 1))
    assert due is not None
    assert (due.scheduled_for, due.action) == (utc(2026, 6, 2, 6), "skip")
    wider = due_run(
        SPEC,
        "Europe/Berlin",
        since=utc(2026, 6, 1, 6),
        now=utc(2026, 6, 2, 7, 1),
        grace=dt.timedelta(hours=2),
    )
    assert wider is not None
    assert wider.action == "post"


def test_the_last_recorded_run_is_not_due_again():
    assert (
        due_run(SPEC, "Europe/Berlin", since=utc(2026, 6, 2, 6), now=utc(2026, 6, 2, 6, 30)) is None
    )


def test_run_key_names_the_schedule_and_the_utc_time():
    berlin = dt.datetime(2026, 6, 2, 8, tzinfo=zone("Europe/Berlin"))
    assert run_key(7, berlin) == "7@2026-06-02T06:00:00+00:00"

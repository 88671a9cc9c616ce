"""Schedules, runs and the publish queue on a real SQLite library; delivery through the service.

The Discord side is `FakeDiscord`, an in-memory poster that behaves like channels do (deleted,
announcement, refusing, failing with 5xx, history unreadable), so runs are checked by what a
channel would show. Crash recovery in depth: tests/briefs/test_digest_recovery.py."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import aiosqlite
import pytest

from briefs.digests.compose import DigestMessage, Posted
from briefs.digests.drafts import edited_draft, make_draft
from briefs.digests.policy import DeliveryPolicy
from briefs.digests.ports import DeliveryFailed, PublishRateLimited, TransientDeliveryError
from briefs.digests.service import DigestService
from briefs.errors import InvalidSchedule, LimitReached, NotFound
from briefs.model import Brief
from storage.engine import open_library
from storage.migrate import migrate, schema_version
from storage.schedules import ScheduleStore
from storage.sqlite import SqliteBriefStore
from tests.clock import ManualClock

UTC = dt.UTC
GUILD, OTHER = 100, 200
T0 = dt.datetime(2026, 6, 1, 5, 0, tzinfo=UTC)  # 07:00 in Berlin


@dataclass
class FakeDiscord:
    """Channels as Discord keeps them: kinds, posted messages, publishes, scripted failures."""

    announcement: set[int] = field(default_factory=set)
    deleted: set[int] = field(default_factory=set)
    no_publish: set[int] = field(default_factory=set)
    no_history: set[int] = field(default_factory=set)  # Read Message History missing
    server_errors: int = 0  # the next N posts answer 5xx
    publish_limit: bool = False
    posts: list[tuple[int, DigestMessage]] = field(default_factory=list)
    published: list[int] = field(default_factory=list)
    reports: list[tuple[int, str]] = field(default_factory=list)
    no_threads: bool = False  # Create Public Threads missing

    async def check(self, channel_id: int, *, thread: bool) -> None:
        return None

    async def post(self, channel_id: int, message: DigestMessage, *, title: str = "") -> Posted:
        if channel_id in self.deleted:
            raise DeliveryFailed(channel_id, "the channel was deleted")
        if self.server_errors:
            self.server_errors -= 1
            raise TransientDeliveryError(channel_id, "Discord answered 503")
        self.posts.append((channel_id, message))
        return Posted(1000 + len(self.posts), channel_id in self.announcement)

    async def open_thread(self, channel_id: int, message_id: int, name: str) -> int:
        if self.no_threads:
            raise DeliveryFailed(channel_id, "missing permission to open a thread")
        return message_id

    async def publish(self, channel_id: int, message_id: int) -> None:
        if channel_id in self.no_publish:
            raise DeliveryFailed(channel_id, "missing permission to publish")
        if self.publish_limit:
            raise PublishRateLimited(channel_id, 600)
        self.published.append(message_id)

    async def report(self, channel_id: int, text: str) -> None:
        self.reports.append((channel_id, text))

    async def find_posted(self, channel_id: int, marker: str, *, limit: int = 100) -> list[Posted]:
        if channel_id in self.no_history:
            raise DeliveryFailed(channel_id, "missing permission to read message history")
        mine = [(1001 + i, m) for i, (c, m) in enumerate(self.posts) if c == channel_id]
        shown = [(i, m) for i, m in mine[-limit:] if marker in m.content + shown_footers(m)]
        return [Posted(i, channel_id in self.announcement) for i, _ in shown]

    def in_channel(self, channel_id: int) -> list[DigestMessage]:
        return [m for c, m in self.posts if c == channel_id]


def shown_footers(message: DigestMessage) -> str:
    return "\n".join(c.footer or "" for c in message.cards)


def brief(headline: str) -> Brief:
    return Brief(headline, dt.date(2026, 6, 1), None, (f"{headline}.",), False, (), "", headline)


@pytest.fixture
def clock():
    return ManualClock(T0 - dt.timedelta(hours=2))


@pytest.fixture
async def library(library_url, clock):
    store = await open_library(library_url, clock=clock)
    for n in range(3):
        clock.at += dt.timedelta(minutes=10)
        await store.add(f"text {n}", brief(f"Story {n}"), guild_id=GUILD, source=None)
    yield store
    await store.close()


@pytest.fixture
def discord():
    return FakeDiscord()


async def no_sleep(_: float) -> None:
    return None


def service(library, discord, **policy) -> DigestService:
    return DigestService(
        ScheduleStore(library), library, discord, policy=DeliveryPolicy(sleep=no_sleep, **policy)
    )


async def schedule(svc: DigestService, channel: int = 1, when: str = "daily 08:00", guild=GUILD):
    draft = make_draft(guild, channel, when, "Europe/Berlin", created_by=7)
    return await svc.create(draft, now=T0 - dt.timedelta(hours=3))


# --- Migration ---------------------------------------------------------------------------------


async def test_schema_2_applies_from_an_empty_database_and_from_version_1(tmp_path):
    async with aiosqlite.connect(tmp_path / "old.db", isolation_level=None) as conn:
        assert await migrate(conn, target=1) == 1
    store = await SqliteBriefStore.open(tmp_path / "old.db")
    assert await schema_version(store.connection) >= 2
    schedules = ScheduleStore(store)
    assert (await schedules.settings(GUILD)).timezone == "UTC"
    await store.close()


# --- Settings and schedules ----------------------------------------------------------------------


async def test_guild_settings_default_to_utc_and_are_per_guild(library):
    store = ScheduleStore(library)
    await store.set_timezone(GUILD, "Europe/Paris", now=T0)
    settings = await store.set_log_channel(GUILD, 55, now=T0)
    assert (settings.timezone, settings.log_channel_id) == ("Europe/Paris", 55)
    assert (await store.settings(OTHER)).timezone == "UTC"
    assert (await store.set_log_channel(GUILD, None, now=T0)).log_channel_id is None


async def test_a_guild_sees_and_changes_only_its_own_schedules(library, discord):
    svc = service(library, discord)
    mine = await schedule(svc, channel=1)
    theirs = await schedule(svc, channel=2, guild=OTHER)
    store = svc.schedules
    assert [s.id for s in await store.in_guild(GUILD)] == [mine.id]
    assert mine.options.max_items == 10
    assert mine.when == "daily 08:00"
    for action in (
        store.get(GUILD, theirs.id),
        store.remove(GUILD, theirs.id),
        store.set_paused(GUILD, theirs.id, True),
        svc.preview(GUILD, theirs.id),
    ):
        with pytest.raises(NotFound):
            await action
    assert not (await store.get(OTHER, theirs.id)).paused
    assert (await store.set_paused(GUILD, mine.id, True)).paused
    await store.remove(GUILD, mine.id)
    assert await store.in_guild(GUILD) == []


async def test_the_number_of_schedules_per_guild_is_bounded(library, discord):
    svc = DigestService(ScheduleStore(library, max_per_guild=2), library, discord)
    await schedule(svc)
    await schedule(svc)
    with pytest.raises(LimitReached):
        await schedule(svc)
    await schedule(svc, guild=OTHER)  # other guilds have their own bound


async def test_an_edit_changes_every_setting_in_place_and_keeps_runs_and_cursor(library, discord):
    svc = service(library, discord)
    s = await schedule(svc)
    at_eight = T0 + dt.timedelta(hours=1)
    assert (await svc.run_due(s.id, now=at_eight)) is not None
    before = await svc.schedules.get(GUILD, s.id)
    draft = edited_draft(
        before, channel_id=9, when="weekdays 18:30", tz="UTC", include="Story 1, Story 2",
        exclude="Story 2", max_items=3, style="compact", empty="post", thread=True,
    )  # fmt: skip
    after = await svc.edit(GUILD, s.id, draft, now=at_eight)
    assert (after.id, after.channel_id, after.when, after.timezone) == (
        s.id, 9, "weekdays 18:30", "UTC",
    )  # fmt: skip
    o = after.options
    assert (o.include, o.exclude, o.max_items, o.style, o.empty, o.thread) == (
        ("Story 1", "Story 2"), ("Story 2",), 3, "compact", "post", True,
    )  # fmt: skip
    assert after.cursor == before.cursor
    assert after.last_run == before.last_run
    assert after.retimed_at == at_eight
    cleared = await svc.edit(GUILD, s.id, edited_draft(after, include="-", max_items=5), now=T0)
    assert (cleared.options.include, cleared.options.exclude) == ((), ("Story 2",))
    assert cleared.retimed_at == at_eight  # the time did not change: the mark stays
    with pytest.raises(NotFound):
        await svc.edit(OTHER, s.id, draft, now=at_eight)
    with pytest.raises(InvalidSchedule):
        edited_draft(after, when="every 3 fortnights")


async def test_a_new_time_is_due_only_from_the_edit_on(library, discord):
    svc = service(library, discord)
    s = await schedule(svc)  # daily 08:00 Berlin, made at 05:00 Berlin
    at_nine = T0 + dt.timedelta(hours=2)  # 09:00 Berlin, no run yet today
    retimed = edited_draft(await svc.schedules.get(GUILD, s.id), when="daily 08:30")
    await svc.edit(GUILD, s.id, retimed, now=at_nine)
    assert await svc.run_due(s.id, now=at_nine) is None  # 08:30 was before the edit
    outcome = await svc.run_due(s.id, now=at_nine + dt.timedelta(days=1, minutes=-30))
    assert outcome is not None
    assert outcome.status == "posted"


async def test_a_run_records_its_thread_and_a_failed_thread_keeps_the_digest(
    library, discord, clock
):
    svc = service(library, discord)
    draft = make_draft(GUILD, 1, "daily 08:00", "Europe/Berlin", thread=True)
    s = await svc.create(draft, now=T0 - dt.timedelta(hours=3))
    outcome = await svc.run_due(s.id, now=T0 + dt.timedelta(hours=1))
    assert outcome is not None
    run = (await svc.schedules.get(GUILD, s.id)).last_run
    assert run is not None
    assert run.thread_id == outcome.message_ids[0]  # FakeDiscord: the thread shares its id
    discord.no_threads = True
    await svc.schedules.set_log_channel(GUILD, 55, now=T0)
    clock.at = T0 + dt.timedelta(hours=12)
    await library.add("text 9", brief("Story 9"), guild_id=GUILD, source=None)
    outcome = await svc.run_due(s.id, now=T0 + dt.timedelta(days=1, hours=1))
    assert outcome is not None
    assert outcome.status == "posted"
    run = (await svc.schedules.get(GUILD, s.id)).last_run
    assert run is not None
    assert (run.status, run.thread_id) == ("posted", None)
    assert len(discord.in_channel(1)) == 2
    ((_, report),) = discord.reports
    assert "posted, but its thread could not be opened" in report


def test_bad_input_is_refused_before_anything_is_stored():
    with pytest.raises(InvalidSchedule, match="unknown time zone"):
        make_draft(GUILD, 1, "daily 08:00", "Mars/Base")
    with pytest.raises(InvalidSchedule, match="max_items"):
        make_draft(GUILD, 1, "daily 08:00", "UTC", max_items=0)


# --- Runs: at most once ---------------------------------------------------------------------------


async def test_a_run_key_is_claimed_once(library):
    store = ScheduleStore(library)
    s = await store.add(make_draft(GUILD, 1, "daily 08:00", "UTC"), now=T0, cursor=None)
    first = await store.claim(s.id, T0, trigger="schedule", cursor_to=None, now=T0)
    assert first is not None
    assert first.status == "claimed"
    assert await store.claim(s.id, T0, trigger="schedule", cursor_to=None, now=T0) is None
    assert not await store.record_skip(s.id, T0, reason="x", now=T0)
    assert [r.id for r in await store.unfinished_runs()] == [first.id]


async def test_a_due_run_posts_once_and_moves_the_cursor(library, discord):
    svc = service(library, discord)
    s = await schedule(svc)
    at_eight = T0 + dt.timedelta(hours=1)  # 08:00 Berlin
    assert await svc.run_due(s.id, now=at_eight - dt.timedelta(seconds=1)) is None
    outcome = await svc.run_due(s.id, now=at_eight)
    assert outcome is not None
    assert outcome.status == "posted"
    assert await svc.run_due(s.id, now=at_eight + dt.timedelta(minutes=5)) is None
    (message,) = discord.in_channel(1)
    assert [c.title for c in message.cards] == ["Story 2", "Story 1", "Story 0"]
    after = await svc.schedules.get(GUILD, s.id)
    assert after.last_run is not None
    assert after.last_run.message_ids == outcome.message_ids
    assert (await svc.preview(GUILD, s.id)).messages == ()  # nothing new since


async def test_a_claimed_run_whose_channel_history_cannot_be_read_is_never_posted(library, discord):
    svc = service(library, discord)
    s = await schedule(svc)
    at_eight = T0 + dt.timedelta(hours=1)
    # The crash: the run was claimed, then the process died before Discord confirmed a post.
    await svc.schedules.claim(s.id, at_eight, trigger="schedule", cursor_to=T0, now=at_eight)
    await svc.schedules.set_log_channel(GUILD, 9, now=T0)
    discord.no_history.add(1)  # so the restart cannot tell whether Discord has it
    restarted = service(library, discord)
    (outcome,) = await restarted.catch_up(now=at_eight + dt.timedelta(minutes=2))
    assert outcome.status == "failed"
    assert discord.in_channel(1) == []
    assert "not posted again" in discord.reports[0][1]
    assert "read message history" in discord.reports[0][1]
    run = (await restarted.schedules.get(GUILD, s.id)).last_run
    assert run is not None
    assert run.status == "failed"
    # The briefs were not lost: the next day's digest carries them.
    outcome = await restarted.run_due(s.id, now=at_eight + dt.timedelta(days=1))
    assert outcome is not None
    assert len(discord.in_channel(1)[0].cards) == 3


async def test_a_restart_after_a_recorded_post_keeps_it_delivered(library, discord):
    svc = service(library, discord)
    s = await schedule(svc)
    at_eight = T0 + dt.timedelta(hours=1)
    run = await svc.schedules.claim(s.id, at_eight, trigger="schedule", cursor_to=T0, now=at_eight)
    assert run is not None
    await svc.schedules.record_message(run.id, 4242, publish=False, now=at_eight)
    await service(library, discord).catch_up(now=at_eight + dt.timedelta(minutes=1))
    after = await svc.schedules.get(GUILD, s.id)
    assert after.last_run is not None
    assert after.last_run.status == "posted"
    assert after.cursor == T0
    assert discord.posts == []


@pytest.mark.parametrize(
    ("down_for", "posted"), [(dt.timedelta(minutes=50), 1), (dt.timedelta(minutes=90), 0)]
)
async def test_missed_runs_collapse_and_respect_the_grace_window(
    library, discord, down_for, posted
):
    svc = service(library, discord)
    s = await schedule(svc, when="every 2h")  # made at 04:00; 06:00 and 08:00 are missed
    last = T0 + dt.timedelta(hours=1)
    await svc.catch_up(now=last + down_for)
    await svc.catch_up(now=last + down_for)  # a second start changes nothing
    assert len(discord.posts) == posted
    run = (await svc.schedules.get(GUILD, s.id)).last_run
    assert run is not None
    assert run.status == ("posted" if posted else "skipped")


async def test_a_deleted_channel_marks_its_schedule_failing_and_the_others_still_post(
    library, discord
):
    svc = service(library, discord)
    await svc.schedules.set_log_channel(GUILD, 9, now=T0)
    broken, fine = await schedule(svc, channel=1), await schedule(svc, channel=2)
    discord.deleted.add(1)
    await svc.catch_up(now=T0 + dt.timedelta(hours=1))
    assert len(discord.in_channel(2)) == 1
    failing = await svc.schedules.get(GUILD, broken.id)
    assert failing.failing_reason == "the channel was deleted"
    assert failing.failures == 1
    assert any("Digest" in text and "deleted" in text for _, text in discord.reports)
    assert (await svc.schedules.get(GUILD, fine.id)).failing_reason is None


async def test_five_failures_in_a_row_pause_the_schedule_and_resume_clears_them(library, discord):
    svc = service(library, discord)
    s = await schedule(svc, channel=1)
    discord.deleted.add(1)
    for day in range(6):
        await svc.run_due(s.id, now=T0 + dt.timedelta(days=day, hours=1))
    paused = await svc.schedules.get(GUILD, s.id)
    assert paused.paused
    assert paused.failures == 5
    resumed = await svc.schedules.set_paused(GUILD, s.id, False)
    assert not resumed.paused
    assert resumed.failures == 0
    assert resumed.failing_reason is None


async def test_server_errors_are_retried(library, discord):
    svc = service(library, discord)
    s = await schedule(svc)
    discord.server_errors = 2
    outcome = await svc.run_due(s.id, now=T0 + dt.timedelta(hours=1))
    assert outcome is not None
    assert outcome.status == "posted"
    assert len(discord.posts) == 1


async def test_post_now_advances_the_cursor_and_an_empty_digest_is_skipped(library, discord):
    svc = service(library, discord)
    s = await schedule(svc)
    assert (await svc.post_now(GUILD, s.id, now=T0)).status == "posted"
    again = await svc.post_now(GUILD, s.id, now=T0 + dt.timedelta(minutes=1))
    assert (again.status, again.error) == ("skipped", "nothing new")
    assert len(discord.posts) == 1


# --- Publishing ----------------------------------------------------------------------------------


async def test_publishing_is_paced_to_ten_per_channel_per_hour_and_survives_a_restart(
    library, discord, clock
):
    discord.announcement.add(1)
    svc = service(library, discord)
    s = await schedule(svc, channel=1, when="every 1h")
    for n in range(12):
        at = clock.at = T0 + dt.timedelta(hours=1, minutes=n)
        await library.add(f"late {n}", brief(f"Late {n}"), guild_id=GUILD, source=None)
        await svc.post_now(GUILD, s.id, now=at)
    assert len(discord.posts) == 12
    assert len(discord.published) == 10
    assert await svc.schedules.pending_publishes(GUILD) == 2
    restarted = service(library, discord)
    assert await restarted.publish_due(now=T0 + dt.timedelta(hours=1, minutes=30)) == 0
    assert await restarted.publish_due(now=T0 + dt.timedelta(hours=2, minutes=5)) == 2
    assert sorted(discord.published) == [p for p in range(1001, 1013)]


async def test_a_rate_limited_publish_waits_and_a_refused_one_is_reported(library, discord):
    discord.announcement.update({1, 2})
    discord.no_publish.add(2)
    discord.publish_limit = True
    svc = service(library, discord)
    await svc.schedules.set_log_channel(GUILD, 9, now=T0)
    a, b = await schedule(svc, channel=1), await schedule(svc, channel=2)
    await svc.post_now(GUILD, a.id, now=T0)
    await svc.post_now(GUILD, b.id, now=T0)
    assert discord.published == []
    assert await svc.schedules.pending_publishes(GUILD) == 1
    assert any("not published: missing permission" in text for _, text in discord.reports)
    discord.publish_limit = False
    assert await svc.publish_due(now=T0 + dt.timedelta(minutes=5)) == 0  # waits retry_after
    assert await svc.publish_due(now=T0 + dt.timedelta(minutes=11)) == 1

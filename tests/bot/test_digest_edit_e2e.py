"""/digest edit and digest threads end to end: the real bot, its scheduler and the Discord double.

A digest can be changed in place (its job follows), can open a discussion thread under each
post, and in a forum channel is one forum post; a thread that cannot be opened never costs the
digest, nor posts it twice."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from bot.config import Settings
from tests.bot.conftest import ingest
from tests.bot.test_digest_e2e import (
    crash_mid_run,
    digest_list,
    digests_in,
    eventually,
    eventually_status,
    next_minute,
    running_bot,
    schedule,
)
from tests.discord_double import Channel, DiscordDouble, pings_nobody

pytestmark = pytest.mark.slow


async def edit(double: DiscordDouble, schedule_id: int, **options: object) -> str:
    rec = await double.slash(
        "digest edit", {"schedule": schedule_id, **options}, user=double.moderator
    )
    answer = await rec.response()
    assert answer["data"]["flags"] & 64
    return str(answer["data"]["content"])


def schedule_id(answer: str) -> int:
    found = re.search(r"Digest \*\*#(\d+)\*\*", answer)
    assert found is not None, answer
    return int(found.group(1))


def threads_under(double: DiscordDouble, channel: Channel) -> list[Channel]:
    return [c for c in double.guild.channels if c.type == 11 and c.parent_id == channel.id]


def day(run: dt.datetime) -> str:
    return f"{run:%a} {run.day} {run:%b %Y}"


async def test_an_edit_changes_a_digest_in_place_and_its_job_follows(library, double):
    run = next_minute()
    news = double.guild.add_channel("news")
    # two commands before the run: the edit must land before its new time to catch it
    bot = await running_bot(library, double, run - dt.timedelta(seconds=8))
    try:
        later = run + dt.timedelta(hours=3)
        sid = schedule_id(await schedule(double, double.text_channel, later, style="compact"))
        answer = await edit(
            double, sid, channel=news, when=f"daily {run:%H:%M}", max_items=5, style="full",
            include="New Zealand, flag", empty="post", thread=True,
        )  # fmt: skip
        assert f"Digest **#{sid}** now posts in <#{news.id}>: every day at {run:%H:%M} (UTC)" in (
            answer
        )
        assert "at most 5 briefs · full · only about New Zealand, flag" in answer
        assert "a thread under each digest" in answer
        assert answer.count("<t:") == 3
        await eventually(lambda: len(digests_in(double, news.id)) == 1, within=20)
        (posted,) = digests_in(double, news.id)
        assert posted["embeds"][0]["title"]  # full style: one card per brief
        assert pings_nobody(posted)
        await eventually(lambda: len(threads_under(double, news)) == 1)
        (thread,) = threads_under(double, news)
        assert thread.id == int(posted["id"])  # under the digest's first message
        assert thread.name == f"Digest — 1 new brief · {day(run)}"
        assert digests_in(double, double.text_channel.id) == []  # the old channel stays quiet
        listed = await digest_list(double)
        assert f"**#{sid}** in <#{news.id}>" in listed
        assert "🧵 thread" in listed
        assert listed.count(f"**#{sid}**") == 1  # changed, not re-created
    finally:
        await bot.stop()
    double.assert_clean()


async def test_an_edit_is_refused_as_a_new_schedule_would_be(tmp_path, library, double):
    locked = double.guild.add_channel("locked")
    no_threads = double.guild.add_channel("no-threads")
    double.forbid(locked.id)
    double.forbid_threads(no_threads.id)
    run = next_minute() + dt.timedelta(hours=2)
    bot = await running_bot(library, double, run - dt.timedelta(hours=1))
    try:
        sid = schedule_id(await schedule(double, double.text_channel, run))
        refused = await edit(double, sid, channel=locked)
        assert "I am missing View Channel, Send Messages" in refused
        refused = await edit(double, sid, channel=no_threads, thread=True)
        assert "I am missing Create Public Threads" in refused
        refused = await edit(double, sid, when="every 3 fortnights")
        assert "That schedule cannot be used" in refused
        assert "999" in await edit(double, 999, max_items=3)  # no such schedule
        rec = await double.slash(
            "digest schedule",
            {"channel": locked, "when": "daily 08:00", "timezone": "UTC"},
            user=double.moderator,
        )
        assert "I am missing" in (await rec.response())["data"]["content"]
        listed = await digest_list(double)
        assert f"**#{sid}** in <#{double.text_channel.id}>: every day at {run:%H:%M}" in listed
        assert "🧵" not in listed
        edited = await edit(double, sid, channel=no_threads)  # no thread asked: allowed there
        assert f"now posts in <#{no_threads.id}>" in edited
    finally:
        await bot.stop()
    double.assert_clean()


async def more_articles(settings: Settings, n: int) -> None:
    for i in range(n):
        text = (
            f"Harbour board approves pier plan number {i}\n"
            "Published 2 March 2026\n\n"
            f"The harbour board of Lakeport approved plan {i} on Tuesday, said chair Ada "
            f'Kowalski, who called it "a step we needed number {i}".\n\n'
            f"The plan costs {i + 2} million dollars and opens in {2030 + i}.\n"
        )
        await ingest(settings, text, f"https://news.example/pier-{i}")


async def test_in_a_forum_a_digest_is_one_post_titled_with_the_digest(library, double):
    await more_articles(library, 11)  # 12 briefs: more than one message's 10 embeds
    forum = double.guild.add_channel("digests", 15)
    run = next_minute()
    bot = await running_bot(library, double, run - dt.timedelta(seconds=4))
    try:
        await schedule(double, forum, run, max_items=25, thread=True)
        await eventually(lambda: len(threads_under(double, forum)) == 1, within=20)
        (post,) = threads_under(double, forum)
        assert post.name == f"Digest — 12 new briefs · {day(run)}"
        await eventually(lambda: len(double.channel_messages(post.id)) == 2)
        await eventually_status(double, "posted")
        first, second = double.channel_messages(post.id)
        assert first["id"] == str(post.id)  # the forum post's own message
        assert first["content"].startswith("**Digest** — 12 new briefs")
        assert len(first["embeds"]) + len(second["embeds"]) == 12
        assert all(pings_nobody(m) for m in (first, second))
        assert threads_under(double, forum) == [post]  # the thread option adds no second thread
    finally:
        await bot.stop()
    double.assert_clean()


async def test_a_forum_run_interrupted_after_its_post_is_finished_in_that_post(library, double):
    await more_articles(library, 11)
    forum = double.guild.add_channel("digests", 15)
    run = next_minute() + dt.timedelta(hours=1)
    first = await running_bot(library, double, run - dt.timedelta(minutes=30))
    try:
        await schedule(double, forum, run, max_items=25)
        await crash_mid_run(first, forum.id, run, accepted=True, parts=1)
    finally:
        await first.stop()
    second = await running_bot(library, double, run + dt.timedelta(minutes=2))
    try:
        await eventually_status(double, "posted")
        (post,) = threads_under(double, forum)
        await eventually(lambda: len(double.channel_messages(post.id)) == 2)
    finally:
        await second.stop()
    assert threads_under(double, forum) == [post]
    assert sum(len(m["embeds"]) for m in double.channel_messages(post.id)) == 12


async def test_a_thread_that_cannot_be_opened_costs_nothing_of_the_digest(library, double):
    run = next_minute()
    logs = double.guild.add_channel("bot-log")
    first = await running_bot(library, double, run - dt.timedelta(seconds=6))
    try:
        rec = await double.slash("settings log-channel", {"channel": logs}, user=double.moderator)
        await rec.response()
        await schedule(double, double.text_channel, run, thread=True)
        double.forbid_threads(double.text_channel.id)  # permissions changed after scheduling
        await eventually(lambda: len(double.channel_messages(logs.id)) == 1, within=20)
        await eventually_status(double, "posted")
    finally:
        await first.stop()
    second = await running_bot(library, double, run + dt.timedelta(minutes=1))
    try:
        assert "posted" in await digest_list(double)
    finally:
        await second.stop()
    assert len(digests_in(double, double.text_channel.id)) == 1
    assert threads_under(double, double.text_channel) == []
    report = double.channel_messages(logs.id)[0]["content"]
    assert "was posted, but its thread could not be opened" in report
    assert "Create Public Threads" in report

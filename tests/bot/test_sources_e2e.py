"""Feeds and follows end to end: the real bot, the Discord double and a loopback news site."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator

import pytest
from aiohttp import web

from bot.app import BriefBot
from tests.bot.conftest import RunningBot, bot_settings
from tests.discord_double import CommandHidden, DiscordDouble, pings_nobody

EPHEMERAL = 64
STORY = """<!doctype html><html><head><title>{title}</title></head><body>
<nav><a href="/">Home</a></nav><article><h1>{title}</h1>
<p>Mexico sent {n} prisoners to the United States on Tuesday in the largest such transfer
this year, officials said. The prisoners include leaders of several cartels.</p>
<p>Attorney General Pam Bondi said the transfer was "a historic step" for both countries and
thanked the Mexican government for months of cooperation. @everyone should read it.</p>
</article></body></html>"""


@pytest.fixture
async def news() -> AsyncIterator[dict]:
    """A loopback news site: /feed.xml lists state["items"], /a/<n> serves each story."""
    state: dict = {"items": [1], "base": ""}

    async def feed(request: web.Request) -> web.StreamResponse:
        items = "".join(
            f"<item><guid>s{n}</guid><title>Story {n}</title><link>{state['base']}/a/{n}</link>"
            f"<pubDate>Wed, {10 + n:02d} Jan 2026 08:00:00 GMT</pubDate></item>"
            for n in state["items"]
        )
        body = f'<rss version="2.0"><channel><title>News</title>{items}</channel></rss>'
        return web.Response(text=body, content_type="application/rss+xml")

    async def page(request: web.Request) -> web.StreamResponse:
        n = int(request.match_info["n"])
        title = f"Mexico sends {30 + n} prisoners to the US"
        return web.Response(text=STORY.format(title=title, n=30 + n), content_type="text/html")

    app = web.Application()
    app.router.add_get("/feed.xml", feed)
    app.router.add_get("/a/{n}", page)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    state["base"] = f"http://127.0.0.1:{runner.addresses[0][1]}"
    yield state
    await runner.cleanup()


@pytest.fixture
async def running(tmp_path, double: DiscordDouble) -> AsyncIterator[RunningBot]:
    settings = bot_settings(tmp_path / "library.db", double)
    bot = BriefBot(settings)
    task = asyncio.create_task(bot.start(double.token))
    await double.wait_ready()
    await double.wait_synced(1)
    await asyncio.wait_for(bot.wait_until_ready(), 10)
    running = RunningBot(bot, double, settings, task)
    yield running
    await running.stop()
    double.assert_clean()


async def _answer(record) -> dict:
    first = await record.response()
    return await record.followup() if first["type"] == 5 else first["data"]


async def test_feed_entry_becomes_brief_and_alert_in_announcement_channel(running, news) -> None:
    double = running.double
    channel = double.announcement_channel
    follow = await _answer(
        await double.slash(
            "follow person", options={"name": "Bondi", "channel": channel}, user=double.moderator
        )
    )
    assert follow["flags"] & EPHEMERAL
    assert "Following person **Bondi**" in follow["content"]

    added = await _answer(
        await double.slash(
            "feed add", options={"url": f"{news['base']}/feed.xml"}, user=double.moderator
        )
    )
    assert added["flags"] & EPHEMERAL
    assert "First fetch: 1 new" in added["content"]

    bot = running.bot
    assert bot.sources_runtime is not None
    news["items"] = [1, 2]
    await bot.sources_runtime.tick(now=dt.datetime.now(dt.UTC) + dt.timedelta(minutes=20))
    await double.changes.wait_until(
        lambda: len(double.channel_messages(channel.id)) >= 1, "an alert", 10
    )
    messages = double.channel_messages(channel.id)
    texts = "\n".join(m["content"] for m in messages)
    assert "**Pam Bondi**" in texts
    assert "Mexico sends 31 prisoners" in texts or "Mexico sends 32 prisoners" in texts
    assert all(pings_nobody(m) for m in messages)
    assert len(double.crossposts(channel.id)) == len(messages)

    listed = await _answer(await double.slash("feed list", user=double.moderator))
    description = listed["embeds"][0]["description"]
    assert "2 added" in description
    assert "1 new" in description


async def test_member_cannot_see_or_run_feed_commands(running, news) -> None:
    double = running.double
    with pytest.raises(CommandHidden):
        await double.slash("feed list", user=double.member)
    refused = await _answer(await double.slash("feed list", user=double.member, override=True))
    assert refused["flags"] & EPHEMERAL
    assert "Manage Server" in refused["content"]


async def test_refused_feed_address_is_answered_with_the_reason(running) -> None:
    double = running.double
    answer = await _answer(
        await double.slash(
            "feed add", options={"url": "http://169.254.169.254/feed"}, user=double.moderator
        )
    )
    assert answer["flags"] & EPHEMERAL
    assert "refused: cloud metadata address" in answer["content"]

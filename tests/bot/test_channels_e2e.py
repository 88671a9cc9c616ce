"""Channels that follow a feed, end to end: the real bot, the Discord double, a loopback site."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator

import pytest
from aiohttp import web

from tests.bot.conftest import RunningBot, bot_settings, start_bot
from tests.discord_double import Attachment, DiscordDouble

EPHEMERAL = 64
LATER = dt.timedelta(minutes=20)
PAGE = """<!doctype html><html><head><title>{title}</title>
<meta property="og:image" content="/img/{n}.jpg"></head><body>
<article><h1>{title}</h1>
<p>{country} sent {count} prisoners to the United States on Tuesday in the largest such
transfer this year, officials said. The prisoners include leaders of several cartels.</p>
<p>Attorney General Pam Bondi said the transfer was "{quote}" and thanked the government for
months of cooperation. @everyone should read it.</p>
</article></body></html>"""


@pytest.fixture
async def site() -> AsyncIterator[dict]:
    """A loopback news site: /feed.xml lists state["items"]; /a/<n> serves each story."""
    state: dict = {"items": [1], "base": "", "pages": {}, "updated": {}}

    def page(n: int) -> dict:
        default = {"country": "Mexico", "count": 30 + n, "quote": "a historic step"}
        return {**default, **state["pages"].get(n, {})}

    async def feed(request: web.Request) -> web.StreamResponse:
        items = "".join(
            f"<item><guid>s{n}</guid><title>Story {n}</title><link>{state['base']}/a/{n}</link>"
            f"<pubDate>Wed, {10 + n:02d} Jan 2026 08:{state['updated'].get(n, 0):02d}:00 GMT"
            "</pubDate></item>"
            for n in reversed(state["items"])
        )
        body = f'<rss version="2.0"><channel><title>News</title>{items}</channel></rss>'
        return web.Response(text=body, content_type="application/rss+xml")

    async def article(request: web.Request) -> web.StreamResponse:
        n = int(request.match_info["n"])
        p = page(n)
        title = p.get("title") or f"{p['country']} sends {p['count']} prisoners to the US"
        text = PAGE.format(title=title, n=n, **{k: v for k, v in p.items() if k != "title"})
        return web.Response(text=text, content_type="text/html")

    app = web.Application()
    app.router.add_get("/feed.xml", feed)
    app.router.add_get("/a/{n}", article)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    state["base"] = f"http://127.0.0.1:{runner.addresses[0][1]}"
    yield state
    await runner.cleanup()


async def _answer(record) -> dict:
    first = await record.response()
    return await record.followup() if first["type"] == 5 else first["data"]


async def _add(double: DiscordDouble, site: dict, channel, **options) -> dict:
    opts = {"url": f"{site['base']}/feed.xml", "channel": channel, **options}
    answer = await _answer(await double.slash("feed add", options=opts, user=double.moderator))
    assert answer["flags"] & EPHEMERAL
    return answer


async def _poll(running: RunningBot, minutes: int = 20) -> None:
    runtime = running.bot.sources_runtime
    assert runtime is not None
    await runtime.tick(now=dt.datetime.now(dt.UTC) + dt.timedelta(minutes=minutes))
    await runtime.delivered()


def _posts(double: DiscordDouble, channel_id: int) -> list[dict]:
    return [m for m in double.channel_messages(channel_id) if m["embeds"]]


async def test_items_post_in_text_announcement_and_forum_channels(tmp_path, double, site) -> None:
    forum = double.guild.add_channel("news-forum", 15, tags=("News", "Sport"))
    role = double.guild.add_role("Readers", 0, mentionable=True)
    running = await start_bot(bot_settings(tmp_path / "library.db", double), double)
    try:
        text, news = double.text_channel, double.announcement_channel
        added = await _add(double, site, text, backlog=1, mention=role)
        assert "the newest 1 items now" in added["content"]
        await _add(double, site, news)  # backlog 0: from now on
        await _add(double, site, forum)
        await running.bot.sources_runtime.delivered()
        assert [p["embeds"][0]["title"] for p in _posts(double, text.id)] == [
            "Mexico sends 31 prisoners to the US"
        ]
        assert _posts(double, news.id) == []

        site["items"] = [1, 2]
        await _poll(running)
        await double.changes.wait_until(lambda: len(double.crossposts(news.id)) == 1, "publish", 10)

        _, second = _posts(double, text.id)
        card = second["embeds"][0]
        assert card["title"] == "Mexico sends 32 prisoners to the US"
        assert card["url"] == f"{site['base']}/a/2"
        assert card["image"]["url"] == f"{site['base']}/img/2.jpg"
        assert card["timestamp"].startswith("2026-01-12T08:00:00")
        assert card["footer"]["text"] == "News"
        assert any("Pam Bondi" in f["value"] for f in card["fields"])
        button = second["components"][0]["components"][0]
        assert (button["label"], button["url"]) == ("Read the article", card["url"])
        # Exactly the one role pings; article text ("@everyone") cannot.
        assert second["content"] == f"<@&{role.id}>"
        allowed = second["allowed_mentions"]
        assert allowed["parse"] == []
        assert [str(r) for r in allowed["roles"]] == [str(role.id)]
        assert not allowed.get("users")

        (published,) = _posts(double, news.id)
        assert published["allowed_mentions"]["parse"] == []
        assert double.crossposts(news.id)[0]["id"] == published["id"]

        (post,) = [c for c in double.guild.channels if c.type == 11 and c.parent_id == forum.id]
        assert post.name == "Mexico sends 32 prisoners to the US"
        assert post.applied_tags == [forum.tag_id("News")]
        assert double.message(post.id)["embeds"][0]["url"] == f"{site['base']}/a/2"
    finally:
        await running.stop()
    double.assert_clean()


async def test_filters_updates_and_no_repeat_after_restart(tmp_path, double, site) -> None:
    settings = bot_settings(tmp_path / "library.db", double)
    running = await start_bot(settings, double)
    channel = double.text_channel
    try:
        await _add(double, site, channel, include="mexico, bondi", exclude="Canada")
        site["items"] = [1, 2, 3]
        site["pages"][3] = {"country": "Canada"}
        await _poll(running)
        assert [p["embeds"][0]["title"] for p in _posts(double, channel.id)] == [
            "Mexico sends 32 prisoners to the US"
        ]  # story 3 names Canada: excluded

        # Story 2 is updated: a figure, the headline and a quote change; the feed says so.
        site["pages"][2] = {"count": 41, "quote": "a turning point", "title": "Mexico sends 41"}
        site["updated"][2] = 5
        await _poll(running, minutes=40)
        original = _posts(double, channel.id)[0]
        replies = [m for m in double.channel_messages(channel.id) if m.get("message_reference")]
        assert len(replies) == 1
        reply = replies[0]
        assert str(reply["message_reference"]["message_id"]) == original["id"]
        assert "32 → 41" in reply["content"]
        assert "New quote: “a turning point”" in reply["content"]
        assert reply["allowed_mentions"]["parse"] == []

        site["updated"][2] = 6  # the feed bumps its date, nothing a member notices changes
        await _poll(running, minutes=60)
        assert (
            len([m for m in double.channel_messages(channel.id) if m.get("message_reference")]) == 1
        )
    finally:
        await running.stop()

    before = len(double.channel_messages(channel.id))
    running = await start_bot(settings, double, synced=0)
    try:
        await _poll(running, minutes=80)
        await asyncio.sleep(0.2)
        assert len(double.channel_messages(channel.id)) == before
    finally:
        await running.stop()
    double.assert_clean()


async def test_opml_round_trip_list_and_refused_channel(tmp_path, double, site) -> None:
    locked = double.guild.add_channel("locked", 0)
    double.forbid(locked.id)
    running = await start_bot(bot_settings(tmp_path / "library.db", double), double)
    try:
        refused = await _add(double, site, locked)
        assert "I cannot post in" in refused["content"]
        assert "Send Messages" in refused["content"]

        opml = (
            '<?xml version="1.0"?><opml version="2.0"><head><title>x</title></head><body>'
            f'<outline text="News" xmlUrl="{site["base"]}/feed.xml"/>'
            '<outline text="Not a feed" xmlUrl="javascript:alert(1)"/></body></opml>'
        )
        imported = await _answer(
            await double.slash(
                "feed import",
                options={
                    "file": Attachment("feeds.opml", opml.encode()),
                    "channel": double.text_channel,
                },
                user=double.moderator,
            )
        )
        assert "Imported 1 feed(s)" in imported["content"]

        exported = await double.slash("feed export", user=double.moderator)
        await exported.response()
        ((name, data),) = exported.callback_files
        assert name == "feeds.opml"
        assert f'xmlUrl="{site["base"]}/feed.xml"' in data.decode()

        listed = await _answer(await double.slash("feed list", user=double.moderator))
        channels = listed["embeds"][-1]["description"]
        assert f"<#{double.text_channel.id}>" in channels
        assert "no filters" in channels
    finally:
        await running.stop()
    double.assert_clean()

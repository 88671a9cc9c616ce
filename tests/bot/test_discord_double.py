"""The real discord.py, pointed at tests/discord_double.py with bot/discord_api.py."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable
from typing import Any

import aiohttp
import discord
import pytest
import yarl
from discord import app_commands
from discord.ext import commands

from bot.runtime.api_base import (
    DISCORD_API_BASE,
    DISCORD_GATEWAY,
    ApiBaseClient,
    configure_api_base,
    custom_api_base,
)
from tests.discord_double import (
    Attachment,
    CommandHidden,
    DiscordDouble,
    message_errors,
    pings_nobody,
)

FRUIT = [f"fruit-{n:02d}" for n in range(40)]
PAGES = ["page one", "page two", "page three"]
LONG_FIELD = {"name": "n", "value": "x" * 1025}


class RecordingTree(app_commands.CommandTree["DemoBot"]):
    """Answers every command error ephemerally and remembers it."""

    async def on_error(
        self, interaction: discord.Interaction[DemoBot], error: app_commands.AppCommandError
    ) -> None:
        """Keep the error; tell the user when the interaction can still be answered."""
        cause = error.original if isinstance(error, app_commands.CommandInvokeError) else error
        interaction.client.errors.append(cause)
        interaction.client.error_seen.set()
        if isinstance(cause, discord.HTTPException) and cause.code in (10062, 50035):
            return
        if not interaction.response.is_done():
            await interaction.response.send_message(
                f"refused: {type(cause).__name__}", ephemeral=True
            )


class Pager(discord.ui.View):
    """Next/previous buttons that only the person who asked can press."""

    def __init__(self, owner_id: int) -> None:
        super().__init__(timeout=30)
        self.owner_id = owner_id
        self.page = 0

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        """Only the invoker pages; others get an ephemeral note."""
        if interaction.user.id == self.owner_id:
            return True
        await interaction.response.send_message(
            "Only the person who asked can page.", ephemeral=True
        )
        return False

    @discord.ui.button(label="Next", custom_id="pager:next")
    async def next_page(
        self, interaction: discord.Interaction, _button: discord.ui.Button[Pager]
    ) -> None:
        """Show the next page."""
        self.page = min(self.page + 1, len(PAGES) - 1)
        await interaction.response.edit_message(content=PAGES[self.page], view=self)


class Feedback(discord.ui.Modal, title="Feedback"):
    """A one-field modal."""

    text: discord.ui.TextInput[Feedback] = discord.ui.TextInput(
        label="Your feedback", custom_id="fb"
    )

    async def on_submit(self, interaction: discord.Interaction) -> None:
        """Echo what was typed."""
        await interaction.response.send_message(f"thanks: {self.text.value}", ephemeral=True)


Slash = app_commands.Command[Any, ..., None]  # Any: these commands belong to no Group class.


def demo_commands() -> list[Slash | app_commands.Group]:
    """A few slash commands in the shapes the real bot uses."""

    @app_commands.command()
    @app_commands.describe(text="What to repeat", private="Only you see it")
    async def echo(interaction: discord.Interaction, text: str, private: bool = False) -> None:
        """Repeat the text."""
        await interaction.response.send_message(text, ephemeral=private)

    @app_commands.command()
    @app_commands.describe(fruit="A fruit")
    async def pick(interaction: discord.Interaction, fruit: str) -> None:
        """Pick a fruit."""
        await interaction.response.send_message(f"picked {fruit}")

    @pick.autocomplete("fruit")
    async def pick_fruit(
        interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return [app_commands.Choice(name=f, value=f) for f in FRUIT if current in f][:25]

    @app_commands.command()
    async def slow(interaction: discord.Interaction) -> None:
        """Think, then answer."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        await asyncio.sleep(0.05)
        await interaction.followup.send("done thinking")
        await interaction.edit_original_response(content="done thinking (edited)")

    @app_commands.command()
    async def pages(interaction: discord.Interaction) -> None:
        """Page through a list."""
        await interaction.response.send_message(PAGES[0], view=Pager(interaction.user.id))

    @app_commands.command()
    async def late(interaction: discord.Interaction) -> None:
        """Answer after the window."""
        await asyncio.sleep(interaction.client.late_by)  # type: ignore[attr-defined]  # DemoBot.
        await interaction.response.send_message("too late")

    @app_commands.command()
    async def big(interaction: discord.Interaction) -> None:
        """Send an embed over Discord's limits."""
        await interaction.response.send_message(embed=discord.Embed(description="x" * 5000))

    @app_commands.command()
    @app_commands.describe(text="What to announce")
    async def announce(interaction: discord.Interaction, text: str) -> None:
        """Post and publish in the announcement channel."""
        channel = interaction.client.announcement_channel  # type: ignore[attr-defined]  # DemoBot.
        try:
            message = await channel.send(text)
            await message.publish()
        except discord.RateLimited:
            await interaction.response.send_message("rate limited", ephemeral=True)
        except discord.HTTPException as exc:
            await interaction.response.send_message(f"failed {exc.code}", ephemeral=True)
        else:
            await interaction.response.send_message("published", ephemeral=True)

    @app_commands.command()
    @app_commands.describe(file="A text file")
    async def upload(interaction: discord.Interaction, file: discord.Attachment) -> None:
        """Read an attached file."""
        data = await file.read()
        await interaction.response.send_message(f"{file.filename}: {len(data)} bytes")

    @app_commands.command()
    async def feedback(interaction: discord.Interaction) -> None:
        """Open a modal."""
        await interaction.response.send_modal(Feedback())

    mod = app_commands.Group(
        name="mod",
        description="Moderator tools",
        default_permissions=discord.Permissions(manage_guild=True),
        guild_only=True,
    )

    @mod.command()
    @app_commands.checks.has_permissions(manage_guild=True)
    async def purge(interaction: discord.Interaction) -> None:
        """Purge things."""
        await interaction.response.send_message("purged", ephemeral=True)

    return [echo, pick, slow, pages, late, big, announce, upload, feedback, mod]


class DemoBot(ApiBaseClient, commands.Bot):
    """A minimal bot in the shape of the real one."""

    def __init__(self, guild_id: int, announcement_channel_id: int) -> None:
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=discord.Intents.default(),
            tree_cls=RecordingTree,
            allowed_mentions=discord.AllowedMentions.none(),
            guild_ready_timeout=0.1,
            max_ratelimit_timeout=1.0,
        )
        self.guild_id = guild_id
        self.announcement_channel_id = announcement_channel_id
        self.errors: list[BaseException] = []
        self.error_seen = asyncio.Event()
        self.late_by = 0.0

    @property
    def announcement_channel(self) -> discord.PartialMessageable:
        """The channel /announce posts to."""
        return self.get_partial_messageable(self.announcement_channel_id)

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        """Skip discord.py's 5-second pause before re-identifying, to keep the tests fast."""

    async def setup_hook(self) -> None:
        """Register the commands in the dev guild, plus one global, and sync both."""
        guild = discord.Object(self.guild_id)
        for command in demo_commands():
            self.tree.add_command(command, guild=guild)

        @self.tree.command()
        async def ping(interaction: discord.Interaction) -> None:
            """Answer pong."""
            await interaction.response.send_message("pong")

        await self.tree.sync()
        await self.tree.sync(guild=guild)


async def _until(task: asyncio.Task[None], waiting: Awaitable[None]) -> None:
    """Await `waiting`, but fail at once with the bot's error if the bot task ends first."""
    wait = asyncio.ensure_future(waiting)
    done, _ = await asyncio.wait({task, wait}, return_when=asyncio.FIRST_COMPLETED)
    if wait not in done:
        wait.cancel()
        task.result()  # raises the bot's exception
        raise AssertionError("the bot stopped before the double saw it get ready")
    wait.result()


async def wait_for_error(bot: DemoBot, what: str) -> None:
    """Wait until the bot's tree has handled an error."""
    try:
        await asyncio.wait_for(bot.error_seen.wait(), 5)
    except TimeoutError:
        raise AssertionError(f"timed out waiting for {what}") from None


@contextlib.asynccontextmanager
async def running_bot(double: DiscordDouble) -> AsyncIterator[DemoBot]:
    """Start DemoBot against the double; always close it and surface its crash."""
    bot = DemoBot(double.guild.id, double.announcement_channel.id)
    task = asyncio.create_task(bot.start(double.token))
    try:
        await _until(task, double.wait_ready())
        await _until(task, double.wait_synced(2))
        yield bot
    finally:
        await asyncio.wait_for(bot.close(), 10)
        await asyncio.wait_for(task, 10)


@pytest.fixture
async def double() -> AsyncIterator[DiscordDouble]:
    """A double with the real 3-second window; api_base points at it for the test."""
    async with DiscordDouble() as running:
        configure_api_base(running.api_base)
        try:
            yield running
        finally:
            configure_api_base(None)


@pytest.fixture
async def bot(double: DiscordDouble) -> AsyncIterator[DemoBot]:
    """DemoBot, logged in to the double and synced."""
    async with running_bot(double) as started:
        yield started


def test_configure_api_base_none_restores_discord() -> None:
    configure_api_base("http://127.0.0.1:1/api/v10/")
    assert custom_api_base() == "http://127.0.0.1:1/api/v10"
    configure_api_base(None)
    assert discord.http.Route.BASE == DISCORD_API_BASE == "https://discord.com/api/v10"
    assert discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY == DISCORD_GATEWAY
    assert custom_api_base() is None


async def test_logs_in_through_the_api_and_its_gateway(double: DiscordDouble, bot: DemoBot) -> None:
    paths = [(r.method, r.path) for r in double.requests]
    assert ("GET", "/users/@me") in paths
    assert ("GET", "/oauth2/applications/@me") in paths
    assert ("GET", "/gateway/bot") in paths
    [conn] = double.connections
    assert conn.path == "/gateway"
    assert conn.query == {"v": "10", "encoding": "json", "compress": "zlib-stream"}
    assert bot.user is not None
    assert bot.user.id == double.bot_user.id
    assert bot.get_guild(double.guild.id) is not None
    double.assert_clean()


async def test_sync_is_stored_with_ids(double: DiscordDouble, bot: DemoBot) -> None:
    guild_names = {c["name"] for c in double.commands(double.guild.id)}
    assert {"echo", "pick", "slow", "pages", "mod"} <= guild_names
    assert [c["name"] for c in double.commands()] == ["ping"]
    echo = double.command("echo", double.guild)
    assert echo["guild_id"] == str(double.guild.id)
    rec = await double.slash("echo", {"text": "hi"})
    assert rec.payload["data"]["id"] == echo["id"]
    assert rec.payload["data"]["guild_id"] == str(double.guild.id)


async def test_answers_with_no_pings(double: DiscordDouble, bot: DemoBot) -> None:
    rec = await double.slash("echo", {"text": "@everyone look", "private": True})
    answer = await rec.response()
    assert answer["type"] == 4
    assert answer["data"]["content"] == "@everyone look"
    assert answer["data"]["flags"] & 64
    assert rec.ephemeral
    assert pings_nobody(rec.message or {})
    assert answer["data"]["allowed_mentions"] == {"parse": []}
    global_rec = await double.slash("ping")
    assert (await global_rec.response())["data"]["content"] == "pong"
    assert "guild_id" not in global_rec.payload["data"]
    double.assert_clean()


async def test_autocomplete_returns_at_most_25(double: DiscordDouble, bot: DemoBot) -> None:
    rec = await double.autocomplete("pick", "fruit", "fruit")
    answer = await rec.response()
    assert answer["type"] == 8
    assert len(answer["data"]["choices"]) == 25
    narrowed = await (await double.autocomplete("pick", "fruit", "-3")).response()
    assert [c["value"] for c in narrowed["data"]["choices"]] == [f"fruit-3{n}" for n in range(10)]
    double.assert_clean()


async def test_defer_then_followup_fills_the_thinking_message(
    double: DiscordDouble, bot: DemoBot
) -> None:
    rec = await double.slash("slow")
    assert (await rec.response()) == {"type": 5, "data": {"flags": 64}}
    followup = await rec.followup()
    assert followup["content"] == "done thinking"
    assert followup["id"] == (rec.message or {})["id"]  # the thinking message became the answer
    assert (await rec.edit())["content"] == "done thinking (edited)"
    assert rec.ephemeral
    assert double.channel_messages(double.text_channel.id) == []
    double.assert_clean()


async def test_buttons_page_for_the_invoker_only(double: DiscordDouble, bot: DemoBot) -> None:
    rec = await double.slash("pages", user=double.member)
    await rec.response()
    assert rec.message is not None
    page = await double.click(rec.message, "pager:next", user=double.member)
    update = await page.response()
    assert update["type"] == 7
    assert update["data"]["content"] == "page two"
    assert rec.message["content"] == "page two"
    stranger = await double.click(rec.message, "pager:next", user=double.moderator)
    refusal = await stranger.response()
    assert refusal["type"] == 4
    assert refusal["data"]["flags"] & 64
    assert rec.message["content"] == "page two"
    with pytest.raises(AssertionError, match="no component"):
        await double.click(rec.message, "pager:missing")
    double.assert_clean()


async def test_attachment_option_and_modal(double: DiscordDouble, bot: DemoBot) -> None:
    rec = await double.slash("upload", {"file": Attachment("a.txt", b"12345")})
    assert (await rec.response())["data"]["content"] == "a.txt: 5 bytes"
    shown = await double.slash("feedback")
    assert (await shown.response())["type"] == 9
    submitted = await double.submit_modal(shown, {"fb": "lovely"})
    assert (await submitted.response())["data"]["content"] == "thanks: lovely"
    double.assert_clean()


async def test_moderator_command_hidden_but_checked_at_runtime(
    double: DiscordDouble, bot: DemoBot
) -> None:
    assert not double.visible("mod purge", double.member)
    assert double.visible("mod purge", double.moderator)
    with pytest.raises(CommandHidden):
        await double.slash("mod purge", user=double.member)
    allowed = await double.slash("mod purge", user=double.moderator)
    assert (await allowed.response())["data"]["content"] == "purged"
    overridden = await double.slash("mod purge", user=double.member, override=True)
    refusal = await overridden.response()
    assert refusal["data"]["content"] == "refused: MissingPermissions"
    assert refusal["data"]["flags"] & 64
    double.assert_clean()


async def test_other_guilds_and_direct_messages(double: DiscordDouble, bot: DemoBot) -> None:
    other = double.add_guild("Elsewhere")
    outsider = other.add_member("outsider")
    await double.announce_guild(other)
    rec = await double.slash("ping", guild=other, user=outsider)
    assert (await rec.response())["data"]["content"] == "pong"
    assert rec.payload["guild_id"] == str(other.id)
    assert not double.visible("echo", outsider)  # synced to the first guild only
    with pytest.raises(CommandHidden):
        await double.slash("echo", {"text": "x"}, user=outsider)
    with pytest.raises(AssertionError, match="not a member"):
        await double.slash("ping", guild=other, user=double.member)
    in_dm = await double.slash("ping", dm=True)
    assert "guild_id" not in in_dm.payload
    assert in_dm.payload["context"] == 1
    assert (await in_dm.response())["data"]["content"] == "pong"
    with pytest.raises(CommandHidden):
        await double.slash("mod purge", dm=True, user=double.moderator)
    double.assert_clean()


async def test_resumes_after_the_socket_drops(double: DiscordDouble, bot: DemoBot) -> None:
    await double.disconnect()
    rec = await double.slash("echo", {"text": "while away"})  # buffered, replayed on RESUME
    await double.wait_resumed()
    assert double.connections[-1].path == "/gateway-resume"
    assert double.connections[-1].resumed
    assert (await rec.response())["data"]["content"] == "while away"
    assert double.identify_count == 1
    double.assert_clean()


async def test_invalid_session_identifies_again_at_the_api_gateway(
    double: DiscordDouble, bot: DemoBot
) -> None:
    await double.invalidate_session()
    await double.wait_identified(2)
    assert double.connections[-1].path == "/gateway"
    rec = await double.slash("echo", {"text": "back"})
    assert (await rec.response())["data"]["content"] == "back"
    double.assert_clean()


async def test_a_second_initial_callback_is_refused(double: DiscordDouble, bot: DemoBot) -> None:
    rec = await double.slash("echo", {"text": "once"})
    await rec.response()
    url = f"{double.api_base}/interactions/{rec.id}/{rec.token}/callback"
    second = {"type": 4, "data": {"content": "twice"}}
    async with aiohttp.ClientSession() as http, http.post(url, json=second) as resp:
        assert resp.status == 400
        assert resp.headers["Content-Type"] == "application/json"
        assert (await resp.json())["code"] == 40060
    assert [v.kind for v in double.violations] == ["double_ack"]


async def test_embed_over_the_limit_is_refused_like_discord(
    double: DiscordDouble, bot: DemoBot
) -> None:
    rec = await double.slash("big")
    await wait_for_error(bot, "the bot to see the 400")
    [error] = bot.errors
    assert isinstance(error, discord.HTTPException)
    assert error.status == 400
    assert error.code == 50035
    assert "4096 or fewer" in str(error)
    assert rec.callback is None
    assert [v.kind for v in double.violations][:1] == ["invalid_body"]


async def test_crosspost_rate_limit_and_channel_faults(double: DiscordDouble, bot: DemoBot) -> None:
    double.limit_crossposts(1, per_seconds=60)
    first = await double.slash("announce", {"text": "one"})
    assert (await first.response())["data"]["content"] == "published"
    assert [m["content"] for m in double.crossposts(double.announcement_channel.id)] == ["one"]
    second = await double.slash("announce", {"text": "two"})
    assert (await second.response())["data"]["content"] == "rate limited"
    double.forbid(double.announcement_channel.id)
    third = await double.slash("announce", {"text": "three"})
    assert (await third.response())["data"]["content"] == "failed 50013"
    await double.delete_channel(double.announcement_channel.id)
    fourth = await double.slash("announce", {"text": "four"})
    assert (await fourth.response())["data"]["content"] == "failed 10003"
    posted = double.channel_messages(double.announcement_channel.id)
    assert [m["content"] for m in posted] == ["one", "two"]
    assert all(pings_nobody(m) for m in posted)
    double.assert_clean()


async def test_answering_after_three_seconds_is_a_violation() -> None:
    async with DiscordDouble(ack_window=0.3) as double:
        configure_api_base(double.api_base)
        try:
            async with running_bot(double) as bot:
                bot.late_by = 0.5
                rec = await double.slash("late")
                await wait_for_error(bot, "the bot to get 10062")
        finally:
            configure_api_base(None)
    assert rec.late
    assert rec.callback is None
    assert [v.kind for v in double.violations] == ["unanswered", "late_callback"]
    [error] = bot.errors
    assert isinstance(error, discord.NotFound)
    assert error.code == 10062


def test_default_window_is_discords_three_seconds() -> None:
    assert DiscordDouble().ack_window == 3.0


@pytest.mark.parametrize(
    ("body", "path"),
    [
        ({"content": "x" * 2001}, ("content",)),
        ({"embeds": [{"title": "t"}] * 11}, ("embeds",)),
        ({"embeds": [{"title": "x" * 257}]}, ("embeds", "0", "title")),
        ({"embeds": [{"description": "x" * 4097}]}, ("embeds", "0", "description")),
        ({"embeds": [{"fields": [{"name": "n", "value": "v"}] * 26}]}, ("embeds", "0", "fields")),
        ({"embeds": [{"fields": [LONG_FIELD]}]}, ("embeds", "0", "fields", "0", "value")),
        ({"embeds": [{"footer": {"text": "x" * 2049}}]}, ("embeds", "0", "footer", "text")),
        ({"embeds": [{"author": {"name": "x" * 257}}]}, ("embeds", "0", "author", "name")),
        ({"embeds": [{"description": "x" * 4000}, {"description": "x" * 2001}]}, ("embeds",)),
        ({}, ("content",)),
    ],
)  # fmt: skip
def test_message_limits(body: dict[str, object], path: tuple[str, ...]) -> None:
    errors = message_errors(body)
    for key in path:
        errors = errors[key]
    assert errors["_errors"]
    assert message_errors({"content": "x" * 2000, "embeds": [{"description": "x" * 4000}]}) == {}


def test_gateway_url_is_used_as_given(double: DiscordDouble) -> None:
    assert yarl.URL(double.gateway_url).host == "127.0.0.1"

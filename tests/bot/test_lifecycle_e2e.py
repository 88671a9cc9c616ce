"""Running the bot: syncing only when commands change, the token, signals and the subprocess."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

from tests.bot.conftest import start_bot
from tests.discord_double import DiscordDouble


def _sync_calls(double: DiscordDouble) -> int:
    return len(double.requests_to("PUT", r"/applications/\d+/commands"))


async def test_commands_sync_on_first_start_only(library, double: DiscordDouble) -> None:
    first = await start_bot(library, double)
    await first.stop()
    assert _sync_calls(double) == 1
    names = {c["name"] for c in double.commands()}
    assert {"who", "figures", "quotes", "brief", "search", "latest", "help", "briefs"} <= names
    second = await start_bot(library, double, synced=0)
    await second.stop()
    assert _sync_calls(double) == 1, "an unchanged command tree is not synced again"


def _write_config(tmp_path: Path, double: DiscordDouble) -> Path:
    config = tmp_path / "config.toml"
    config.write_text(
        f'[storage]\npath = "{tmp_path / "sub.db"}"\n\n'
        f'[discord]\napi_base = "{double.api_base}"\nguild_ready_timeout = 0.1\n',
        encoding="utf-8",
    )
    return config


async def briefbot(*args: str, token: str | None) -> asyncio.subprocess.Process:
    """Start `briefbot ARGS` as a user would, with DISCORD_TOKEN set to `token` (or unset)."""
    env = {k: v for k, v in os.environ.items() if k != "DISCORD_TOKEN"}
    if token is not None:
        env["DISCORD_TOKEN"] = token
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def test_briefbot_run_as_a_subprocess_answers_and_stops_cleanly(
    tmp_path: Path, double: DiscordDouble
) -> None:
    config = _write_config(tmp_path, double)
    proc = await briefbot("run", "--config", str(config), token=double.token)
    try:
        await double.wait_ready(within=30)
        await double.wait_synced(within=30)
        answer = await (await double.slash("help", user=double.member)).response()
        assert "/who" in answer["data"]["embeds"][0]["description"]
    finally:
        proc.send_signal(signal.SIGTERM)
        out, err = await asyncio.wait_for(proc.communicate(), 30)
    assert proc.returncode == 0, err.decode()
    assert double.token not in (out + err).decode()
    assert "INFO" in err.decode()


async def test_no_token_is_one_clear_line_and_exit_2(tmp_path: Path, double: DiscordDouble) -> None:
    config = _write_config(tmp_path, double)
    proc = await briefbot("run", "--config", str(config), token=None)
    _, err = await asyncio.wait_for(proc.communicate(), 30)
    assert proc.returncode == 2
    lines = err.decode().strip().splitlines()
    assert len(lines) == 1
    assert "DISCORD_TOKEN" in lines[0]
    assert "briefbot console" in lines[0]


async def test_a_wrong_config_key_is_named_in_one_line(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[discord]\ntokne = "x"\n', encoding="utf-8")
    proc = await briefbot("run", "--config", str(config), token=None)
    _, err = await asyncio.wait_for(proc.communicate(), 30)
    assert proc.returncode == 2
    assert "discord.tokne" in err.decode()
    assert len(err.decode().strip().splitlines()) == 1


MODERATOR_GROUPS = {"briefs", "digest", "feed", "settings"}
MANAGE_GUILD = str(1 << 5)


async def test_synced_commands_are_well_formed_and_moderator_groups_are_hidden(
    running, double: DiscordDouble
) -> None:
    commands = double.commands()
    names = [c["name"] for c in commands]
    assert len(names) == len(set(names)), "no duplicate command names"

    def walk(item: dict) -> None:
        assert item["name"] == item["name"].lower()
        assert 0 < len(item["name"]) <= 32
        assert 0 < len(item["description"]) <= 100
        for option in item.get("options", []):
            walk(option)

    for command in commands:
        walk(command)
        hidden = command["name"] in MODERATOR_GROUPS
        needs = command.get("default_member_permissions")  # discord.py sends an int
        assert (str(needs) == MANAGE_GUILD) is hidden, command["name"]
        if hidden:
            assert command.get("contexts") == [0], f"/{command['name']} is for servers only"
    assert set(names) >= MODERATOR_GROUPS
    assert {
        "who",
        "figures",
        "quotes",
        "brief",
        "highlights",
        "analysis",
        "search",
        "latest",
        "help",
        "follow",
    } <= set(names)


async def test_briefbot_sync_forces_a_sync_to_one_guild_and_exits(
    tmp_path: Path, double: DiscordDouble
) -> None:
    config = _write_config(tmp_path, double)
    guild = double.guild.id
    proc = await briefbot(
        "sync", "--guild", str(guild), "--config", str(config), token=double.token
    )
    _, err = await asyncio.wait_for(proc.communicate(), 60)
    assert proc.returncode == 0, err.decode()
    assert double.requests_to("PUT", rf"/applications/\d+/guilds/{guild}/commands")
    assert "who" in {c["name"] for c in double.commands(guild_id=guild)}

"""The README's invite and permissions say what the code checks and what a DM can ask."""

from __future__ import annotations

import re
from pathlib import Path

import discord

from bot.runtime.channels import POST_PERMISSIONS
from briefs.answers import MEMBER_COMMANDS

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")


def test_the_invite_url_asks_for_exactly_the_permissions_the_channel_check_needs() -> None:
    (url,) = re.findall(r"https://discord\.com/oauth2/authorize\?\S+", README)
    assert "scope=bot+applications.commands" in url
    asked = discord.Permissions(int(re.search(r"permissions=(\d+)", url).group(1)))
    needed = discord.Permissions(**dict.fromkeys(POST_PERMISSIONS.values(), True))
    assert asked == needed


def test_the_readme_names_each_permission_with_its_bit() -> None:
    for name, flag in POST_PERMISSIONS.items():
        bit = getattr(discord.Permissions, flag).flag
        assert re.search(rf"\| {name} \| {bit} \|", README), name
    assert "announcement channels its own messages are published with no further permission" in (
        " ".join(README.split())
    )


def test_the_readme_says_what_a_member_can_ask_in_a_direct_message() -> None:
    section = " ".join(README.split()).split("In a direct message with the bot")[1][:400]
    for command in MEMBER_COMMANDS.split(", "):
        assert f"`{command}`" in section, command

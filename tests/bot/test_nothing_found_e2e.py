"""Nothing-found answers, end to end: worded in briefs/answers.py, the same for every command,
and shown only to the member who asked (in a server and in a direct message)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from briefs.answers import DM_SCOPE, EMPTY
from tests.bot.conftest import RunningBot, bot_settings, ingest, start_bot
from tests.discord_double import DiscordDouble

EPHEMERAL = 64
CALM = """Village fete draws crowds despite the rain
Published: 3 Jun 2024

The village fete went ahead on the green despite steady rain throughout the afternoon.

Families gathered under the marquee while the brass band played on the bandstand, and the
organisers thanked the volunteers who kept the tea tent open until evening.
"""
# Every member command that reads the library, with options that find nothing there.
ASKED: list[tuple[str, dict[str, object]]] = [
    ("who", {"name": "bondi"}),
    ("figures", {}),
    ("figures", {"topic": "tariffs"}),
    ("quotes", {}),
    ("quotes", {"brief": "harbour"}),
    ("brief", {}),
    ("highlights", {}),
    ("analysis", {"brief": "3"}),
    ("search", {"text": "fentanyl"}),
    ("latest", {}),
]


async def _ask(double: DiscordDouble, path: str, options: dict[str, object], **kw: object) -> dict:
    rec = await double.slash(path, options, **kw)  # type: ignore[arg-type]
    data: dict = (await rec.response())["data"]
    return data


@pytest.fixture
async def empty(tmp_path: Path, double: DiscordDouble) -> AsyncIterator[RunningBot]:
    """The bot on a library with no briefs at all."""
    bot = await start_bot(bot_settings(tmp_path / "empty.db", double), double)
    yield bot
    await bot.stop()
    double.assert_clean()


@pytest.mark.parametrize(("path", "options"), ASKED)
async def test_an_empty_library_says_so_to_the_asker_only(
    empty: RunningBot, double: DiscordDouble, path: str, options: dict[str, object]
) -> None:
    data = await _ask(double, path, options, user=double.member)
    assert data["content"] == EMPTY["server"]
    assert data["flags"] & EPHEMERAL


@pytest.mark.parametrize(("path", "options"), ASKED)
async def test_in_direct_messages_the_bot_says_what_it_can_show_there(
    empty: RunningBot, double: DiscordDouble, path: str, options: dict[str, object]
) -> None:
    data = await _ask(double, path, options, dm=True)
    assert data["content"] == EMPTY["dm"]
    assert DM_SCOPE in data["content"]
    assert data["flags"] & EPHEMERAL


async def test_help_and_server_commands_in_direct_messages_say_what_works_there(
    empty: RunningBot, double: DiscordDouble
) -> None:
    helped = await _ask(double, "help", {}, dm=True)
    assert DM_SCOPE in helped["embeds"][0]["description"]
    assert "/digest" not in helped["embeds"][0]["description"]
    refused = await _ask(double, "follow list", {}, dm=True, override=True)
    assert refused["content"].endswith(DM_SCOPE)
    assert refused["flags"] & EPHEMERAL


@pytest.fixture
async def calm(tmp_path: Path, double: DiscordDouble) -> AsyncIterator[tuple[RunningBot, int]]:
    """The bot on a library of one brief with no figures and no quotes."""
    settings = bot_settings(tmp_path / "calm.db", double)
    brief_id = await ingest(settings, CALM, "fete.txt")
    bot = await start_bot(settings, double)
    yield bot, brief_id
    await bot.stop()
    double.assert_clean()


async def test_a_brief_without_figures_or_quotes_says_it_has_none(
    calm: tuple[RunningBot, int], double: DiscordDouble
) -> None:
    _, brief_id = calm
    named = f"Brief #{brief_id} (“Village fete draws crowds despite the rain”)"
    answers = {
        "figures": await _ask(double, "figures", {}),
        "figures of it": await _ask(double, "figures", {"brief": str(brief_id)}),
        "quotes of it": await _ask(double, "quotes", {"brief": str(brief_id)}),
        "no such brief": await _ask(double, "quotes", {"brief": "harbour strike"}),
        "no topic": await _ask(double, "figures", {"topic": "tariffs"}),
        "no quotes": await _ask(double, "quotes", {}),
        "no result": await _ask(double, "search", {"text": "tariffs"}),
    }
    assert answers["figures"]["content"] == f"{named} has no key figures."
    assert answers["figures of it"]["content"] == f"{named} has no key figures."
    assert answers["quotes of it"]["content"] == f"{named} has no quotes."
    assert answers["no such brief"]["content"].startswith("No brief matches “harbour strike”")
    assert answers["no topic"]["content"].startswith("No figure matches “tariffs”")
    assert answers["no quotes"]["content"] == "No quotes in the library yet."
    assert answers["no result"]["content"].startswith("No result matches “tariffs”")
    for name, data in answers.items():
        assert data["flags"] & EPHEMERAL, name

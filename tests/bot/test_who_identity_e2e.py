"""/who across briefs and /brief's related briefs, end to end through the Discord double."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.bot.conftest import RunningBot, bot_settings, ingest, start_bot
from tests.discord_double import DiscordDouble

ARTICLES = Path(__file__).resolve().parents[1] / "data" / "identity" / "articles"


@pytest.fixture
async def arden(tmp_path: Path, double: DiscordDouble) -> AsyncIterator[RunningBot]:
    settings = bot_settings(tmp_path / "library.db", double)
    for path in sorted(ARTICLES.glob("*.txt")):
        await ingest(settings, path.read_text(encoding="utf-8"), path.name)
    bot = await start_bot(settings, double)
    yield bot
    await bot.stop()
    double.assert_clean()


def _text(embed: dict) -> str:
    parts = [embed.get("title", ""), embed.get("description", "")]
    parts += [f"{f['name']}\n{f['value']}" for f in embed.get("fields", [])]
    return "\n".join(parts)


async def test_who_gives_one_card_with_every_brief_and_the_role_history(arden: RunningBot) -> None:
    double = arden.double
    answer = await (
        await double.slash("who", options={"name": "pamela"}, user=double.member)
    ).response()
    (embed,) = answer["data"]["embeds"]
    assert embed["title"] == "Pam Whitlock"
    text = _text(embed)
    assert "Also written: Pamela Whitlock" in text
    assert "Governor — 20 Feb 2026" in text
    assert "Mayor of Arden — 12 Nov 2025 · also 3 Nov 2025" in text
    for words in ("Westmark cannot grow", "Nobody should be priced", "good news", "heart of this"):
        assert words in text
    assert "Other matches" not in text


async def test_who_and_autocomplete_tell_two_people_sharing_a_surname_apart(
    arden: RunningBot,
) -> None:
    double = arden.double
    answer = await (
        await double.slash("who", options={"name": "lindqvist"}, user=double.member)
    ).response()
    first = answer["data"]["embeds"][0]
    assert first["title"] == "2 people match “lindqvist”"
    assert "Carlos Lindqvist** — coach, Arden United" in first["description"]
    assert "Maria Lindqvist** — leader" in first["description"]
    record = await double.autocomplete("who", "name", "lindq", options={})
    names = sorted(c["name"] for c in (await record.response())["data"]["choices"])
    assert names == ["Carlos Lindqvist — coach", "Maria Lindqvist — leader"]
    record = await double.autocomplete("who", "name", "whit", options={})
    assert [c["value"] for c in (await record.response())["data"]["choices"]] == ["Pam Whitlock"]


async def test_brief_ends_with_related_briefs(arden: RunningBot) -> None:
    double = arden.double
    answer = await (
        await double.slash("brief", options={"which": "1"}, user=double.member)
    ).response()
    fields = {f["name"]: f["value"] for f in answer["data"]["embeds"][0]["fields"]}
    related = fields["Related briefs"]
    assert related.index("Ferry Fares") < related.index("Cup Final")
    assert "Governor" not in related  # 109 days later: outside the 60-day window

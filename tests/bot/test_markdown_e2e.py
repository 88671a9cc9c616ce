"""Article text cannot make links: a hostile headline through /latest, /search, /who and a digest."""

from __future__ import annotations

import re

from tests.bot.conftest import bot_settings, ingest, start_bot
from tests.discord_double import DiscordDouble

HEADLINE = "Bank news](https://phish.example) [Real headline"
ARTICLE = (
    f"{HEADLINE}\n"
    "Published 2 March 2026\n\n"
    "The city council of Lakeport voted 7 to 2 on Tuesday to close the old ferry pier, "
    'said Mayor Ada Kowalski, who called the decision "a hard but **necessary** step".\n\n'
    "Residents protested outside the hall [see](https://phish.example/2) on Friday.\n"
)
_ESCAPED = re.compile(r"\\[^\w\s]")
_MASKED = re.compile(r"\[[^\]]*\]\(<?([^)>\s]+)>?\)")


def masked_links(text: str) -> list[str]:
    """The URLs of the masked links Discord would render in `text` (escaped marks removed)."""
    return _MASKED.findall(_ESCAPED.sub("", text))


def shown(data: dict) -> str:
    """Every text Discord renders as Markdown in a message: content, titles, descriptions, fields."""
    parts = [data.get("content") or ""]
    for embed in data.get("embeds") or []:
        parts += [embed.get("title", ""), embed.get("description", "")]
        parts += [f["value"] for f in embed.get("fields", [])]
    return "\n".join(parts)


async def answer(double: DiscordDouble, path: str, **options) -> str:
    record = await double.slash(path, options=options, user=double.moderator)
    first = await record.response()
    return shown(await record.followup() if first["type"] == 5 else first["data"])


async def test_a_headline_with_a_masked_link_stays_text_everywhere(tmp_path, double) -> None:
    settings = bot_settings(tmp_path / "library.db", double)
    await ingest(settings, ARTICLE, "https://news.example/lakeport")
    bot = await start_bot(settings, double)
    try:
        answers = {
            "latest": await answer(double, "latest"),
            "search": await answer(double, "search", text="ferry pier"),
            "who": await answer(double, "who", name="Kowalski"),
            "brief": await answer(double, "brief"),
        }
        await answer(double, "digest schedule", channel=double.text_channel, when="daily 08:00")
        await answer(double, "digest now", schedule=1)
        answers["digest"] = "\n".join(
            shown(m) for m in double.channel_messages(double.text_channel.id)
        )
    finally:
        await bot.stop()
    for command, text in answers.items():
        assert "Real headline" in text, command  # the headline is shown…
        assert "phish.example" not in " ".join(masked_links(text)), (command, text)  # …as text
    # The bot's own link to the source is still made where it links headlines.
    assert masked_links(answers["latest"]) == ["https://news.example/lakeport"]

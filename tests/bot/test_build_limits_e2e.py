"""An article over the build limits is refused with its reason; members are answered meanwhile."""

from __future__ import annotations

import dataclasses

from bot.config import LimitSettings, Settings
from tests.bot.conftest import start_bot
from tests.discord_double import DiscordDouble

EPHEMERAL = 64
ARTICLE = (
    "Ferry pier closes after council vote\n"
    "Published 2 March 2026\n\n"
    "The city council of Lakeport voted 7 to 2 on Tuesday to close the old ferry pier, "
    'said Mayor Ada Kowalski, who called the decision "a hard but necessary step".\n\n'
    "Residents protested outside the hall and a meeting was called for Friday.\n"
)


async def test_an_article_over_the_time_limit_is_refused_while_who_is_answered(
    library: Settings, double: DiscordDouble
) -> None:
    limits = LimitSettings(build_seconds=0.0001, build_workers=1)  # no article is read this fast
    bot = await start_bot(dataclasses.replace(library, limits=limits), double)
    try:
        for _ in range(2):  # the second runs on the worker that replaced the first
            add = await double.slash("briefs add", options={"text": ARTICLE}, user=double.moderator)
            who = await double.slash("who", options={"name": "key"}, user=double.member)
            answered = await who.response()
            assert answered["data"]["embeds"][0]["title"] == "John Key"
            first = await add.response()
            refusal = (await add.followup()) if first["type"] == 5 else first["data"]
            assert refusal["flags"] & EPHEMERAL
            assert "too complex to read within 0.0001 s" in refusal["content"]
        latest = await (await double.slash("latest", user=double.member)).response()
        assert "Ferry pier" not in str(latest["data"])
    finally:
        await bot.stop()
    double.assert_clean()

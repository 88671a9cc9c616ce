"""No token in the logs: an API error that echoes the request headers, end to end, and the filter."""

from __future__ import annotations

import io
import logging

from bot.runtime.redact import REDACTED, redact_logs
from tests.bot.conftest import RunningBot
from tests.discord_double import DiscordDouble


def everything_posted(double: DiscordDouble) -> str:
    """Every JSON body the bot sent to the double, as text."""
    return "\n".join(repr(r.json) for r in double.requests)


async def test_an_api_error_echoing_the_token_leaves_it_out_of_logs_and_messages(
    running: RunningBot, caplog
) -> None:
    caplog.set_level(logging.DEBUG)
    double = running.double
    double.echo_headers(double.text_channel.id)
    rec = await double.slash(
        "digest schedule",
        {"channel": double.text_channel, "when": "daily 08:00", "timezone": "UTC"},
        user=double.moderator,
    )
    await rec.response()
    rec = await double.slash("digest now", {"schedule": 1}, user=double.moderator)
    first = await rec.response()
    answer = await rec.followup() if first["type"] == 5 else first["data"]
    assert "could not be posted" in answer["content"]
    secret = double.token.split(".", 2)[2][:8]  # even a cut-off token must not show
    assert "Bad request" in caplog.text  # the error was logged…
    assert secret not in caplog.text  # …without the token
    assert "Bot " + REDACTED in caplog.text or "Authorization': '" + REDACTED in caplog.text
    assert secret not in everything_posted(double)
    listed = await (await double.slash("digest list", user=double.moderator)).response()
    assert secret not in repr(listed)


def test_the_log_filter_redacts_the_token_headers_and_tracebacks() -> None:
    token = "MTAw.double.s3cr3t-t0ken-value-xyz"
    stream = io.StringIO()
    logger = logging.getLogger("test_redaction")
    logger.propagate = False
    handler = logging.StreamHandler(stream)
    logger.addHandler(handler)
    try:
        redact_logs(token, logger=logger)
        logger.warning("token %s in args", token)
        logger.warning("headers %s", {"Authorization": f"Bot {token}", "X-Other": "1"})
        logger.warning("Authorization: Bearer abcdefghijklmnopqrstuvwxyz0123")
        try:
            raise RuntimeError(f"request failed with headers Authorization: Bot {token}")
        except RuntimeError:
            logger.exception("failed")
    finally:
        logger.removeHandler(handler)
    out = stream.getvalue()
    assert token not in out
    assert "abcdefghijklmnopqrstuvwxyz0123" not in out
    assert out.count(REDACTED) >= 4
    assert "X-Other" in out  # everything else is kept

"""Secrets out of logs: API error text scrubbed before use, and a log filter as a second wall."""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # `briefbot parse` installs the filter and must not import discord
    import discord

REDACTED = "[redacted]"
_AUTH_HEADER = re.compile(
    r"""(?ix)
    (\b(?:proxy-)?authorization\b["']?\s*[:=]\s*["']?)   # the header name, as a header or in a dict
    [^"',\r\n}]+                                          # its value, up to the quote or line end
    """
)
_SCHEME = re.compile(r"(?i)\b(Bot|Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{16,}")
# Discord bot tokens: base64 user id, timestamp and HMAC, separated by dots.
_TOKEN_SHAPE = re.compile(r"\b[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{20,}\b")
_API_TEXT_MAX = 200


def scrub(text: str, secrets: tuple[str, ...] = ()) -> str:
    """Text with authorization headers, bearer/bot credentials, token-shaped strings removed."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, REDACTED)
    text = _AUTH_HEADER.sub(lambda m: m.group(1) + REDACTED, text)
    text = _SCHEME.sub(lambda m: f"{m.group(1)} {REDACTED}", text)
    return _TOKEN_SHAPE.sub(REDACTED, text)


def api_error(error: discord.HTTPException) -> str:
    """Discord's error answer, fit to log or show: status and scrubbed, shortened text."""
    text = scrub(error.text or "")
    if len(text) > _API_TEXT_MAX:
        text = text[: _API_TEXT_MAX - 1] + "…"
    return f"{error.status}: {text}" if text else str(error.status)


class RedactingFilter(logging.Filter):
    """Scrubs every record a handler emits: message, arguments and traceback text."""

    def __init__(self, secrets: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.secrets = secrets
        self._formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record with its secrets removed; never drops a record."""
        record.msg = scrub(record.getMessage(), self.secrets)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = scrub(record.exc_text, self.secrets)
        if record.stack_info:
            record.stack_info = scrub(record.stack_info, self.secrets)
        return True


def redact_logs(*secrets: str, logger: logging.Logger | None = None) -> None:
    """Install (or update) the filter on every handler of `logger` (the root logger)."""
    target = logger or logging.getLogger()
    known = tuple(s for s in secrets if s)
    for handler in target.handlers:
        for existing in handler.filters:
            if isinstance(existing, RedactingFilter):
                existing.secrets = tuple(dict.fromkeys(existing.secrets + known))
                break
        else:
            handler.addFilter(RedactingFilter(known))

"""Quiet by default: the libraries' routine chatter is shown only at DEBUG.

APScheduler logs two INFO lines per job run (every minute for the feed poll, every few seconds for
deliveries), and discord.py warns at start-up that voice needs PyNaCl and davey: the bot has no
voice features, so that warning says nothing an operator can act on."""

from __future__ import annotations

import logging

CHATTY = ("apscheduler",)  # loggers whose INFO lines are routine
VOICE_WARNING = "voice will NOT be supported"


class VoiceWarningFilter(logging.Filter):
    """Drops discord.py's warnings that voice support is not installed."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Keep every record but the voice-support warnings."""
        return VOICE_WARNING not in record.getMessage()


def quiet_libraries(level: int) -> None:
    """Hide the routine chatter above DEBUG; at DEBUG everything is shown."""
    voice = logging.getLogger("discord.client")
    for existing in [f for f in voice.filters if isinstance(f, VoiceWarningFilter)]:
        voice.removeFilter(existing)
    for name in CHATTY:
        logging.getLogger(name).setLevel(
            logging.NOTSET if level <= logging.DEBUG else logging.WARNING
        )
    if level > logging.DEBUG:
        voice.addFilter(VoiceWarningFilter())

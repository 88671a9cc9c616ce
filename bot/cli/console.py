"""`briefbot console`: type the member slash commands in a terminal and see the same answers."""

from __future__ import annotations

import asyncio
import shlex
import sys

from bot.cli.output import EXIT_OK, EXIT_USAGE, print_answer
from briefs import answers
from briefs.answers import Answer
from briefs.errors import BriefingError
from briefs.service import BriefService

INTRO = (
    "briefbot console: type slash commands as in Discord, e.g. /who bondi, /figures, "
    "/quotes person:bondi, /brief, /search fentanyl, /latest 5. /help lists them; /quit leaves."
)
# The option a bare word fills, per command (as Discord's first option).
MAIN_OPTION = {
    "who": "name",
    "figures": "brief",
    "quotes": "person",
    "brief": "which",
    "highlights": "brief",
    "analysis": "brief",
    "search": "text",
    "latest": "count",
}
MAX_LATEST = 50


class UsageError(ValueError):
    """A typed command that cannot be run as written (the console then exits 2)."""


def latest_count(text: str) -> int:
    """A /latest count: a whole number from 1 to 50."""
    if not text.strip().isdigit() or not 1 <= int(text) <= MAX_LATEST:
        raise UsageError(f"/latest takes a count from 1 to {MAX_LATEST}, not {text!r}")
    return int(text)


def parse_line(line: str) -> tuple[str, dict[str, str]]:
    """'/quotes person:bondi' → ('quotes', {'person': 'bondi'}); bare words fill the main option."""
    words = shlex.split(line.strip().removeprefix("/"))
    if not words:
        return "", {}
    command, options, bare = words[0].lower(), {}, []
    for word in words[1:]:
        key, sep, value = word.partition(":")
        if sep and key.isidentifier():
            options[key.lower()] = value
        else:
            bare.append(word)
    if bare and command in MAIN_OPTION:
        options.setdefault(MAIN_OPTION[command], " ".join(bare))
    return command, options


async def answer_line(service: BriefService, line: str, *, guild_id: int | None) -> Answer:
    """The answer the bot would give to one typed command."""
    command, opts = parse_line(line)
    sources = opts.get("sources", "").lower() in ("true", "yes", "1")
    match command:
        case "who":
            return await answers.who(
                service, opts.get("name", ""), guild_id=guild_id, sources=sources
            )
        case "figures":
            return await answers.figures(
                service,
                guild_id=guild_id,
                brief=opts.get("brief"),
                topic=opts.get("topic"),
                sources=sources,
            )
        case "quotes":
            return await answers.quotes(
                service,
                guild_id=guild_id,
                person=opts.get("person"),
                brief=opts.get("brief"),
                sources=sources,
            )
        case "brief" | "highlights" | "analysis":
            handler = getattr(answers, command)
            which = opts.get(MAIN_OPTION[command])
            result: Answer = await handler(service, which, guild_id=guild_id)
            return result
        case "search":
            return await answers.search(service, opts.get("text", ""), guild_id=guild_id)
        case "latest":
            count = latest_count(opts.get("count", "10"))
            return await answers.latest(service, count, guild_id=guild_id)
        case "help":
            return answers.help_answer("console")
    raise UsageError(f"unknown command /{command}: /help lists what the console can do")


async def run_console(service: BriefService, *, guild_id: int | None) -> int:
    """Read commands from standard input until end of input or /quit; exit 2 if a command could
    not be run as written (a usage error), else 0."""
    status = EXIT_OK
    interactive = sys.stdin.isatty()
    if interactive:
        print(INTRO)
    while True:
        if interactive:
            print("> ", end="", flush=True)
        line = await asyncio.to_thread(sys.stdin.readline)
        if not line or line.strip() in ("/quit", "/exit", "quit", "exit"):
            return status
        if not line.strip():
            continue
        try:
            answer = await answer_line(service, line, guild_id=guild_id)
        except BriefingError as e:
            answer = Answer(text=answers.error_message(e, "console"), found=False)
        except ValueError as e:  # a UsageError, or shlex's unbalanced quotes
            status = EXIT_USAGE
            answer = Answer(text=f"Usage error: {e}", found=False)
        print_answer(answer)

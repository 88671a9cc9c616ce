"""The `briefbot` command line: parse, ingest and query the library, run the bot, try it offline."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.cli.output import EXIT_OK, EXIT_USAGE
from bot.config import POSTGRES_SCHEMES, ConfigError, Settings, load_settings
from bot.runtime.quiet import quiet_libraries
from bot.runtime.redact import redact_logs


class _Parser(argparse.ArgumentParser):
    """argparse, but bad usage is one line and exit status 2."""

    def error(self, message: str) -> None:  # type: ignore[override]  # argparse's NoReturn
        self.exit(EXIT_USAGE, f"{self.prog}: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    """All subcommands and their options."""
    parser = _Parser(prog="briefbot", description="News briefs for Discord communities.")
    parser.add_argument("--version", action="version", version="briefbot 0.1.0")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def command(
        name: str, help_text: str, *, db: bool = True, scope: bool = True
    ) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.add_argument("--config", type=Path, help="config file (TOML)")
        if db:
            p.add_argument(
                "--db", help="library: an SQLite file or a postgresql:// URL (overrides the config)"
            )
        if db and scope:
            p.add_argument("--guild", type=int, help="answer in this guild's scope")
        return p

    p = command("parse", "Build the brief of one article and print it", db=False)
    p.add_argument("file", help="article file (text, Markdown or HTML), or - for standard input")
    p.add_argument("--json", action="store_true", help="print the brief as JSON")
    p = command("ingest", "Add articles (files, folders, or -) to the library")
    p.add_argument("paths", nargs="+", help="files, folders (recursively) or -")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    p = command("who", "Who is this person?")
    p.add_argument("name", nargs="+")
    p = command("figures", "Key figures of the latest brief, a given brief, or a topic")
    p.add_argument("--brief", help="brief id or headline words")
    p.add_argument("--topic", help="recent briefs on this topic")
    p = command("quotes", "Quotes of a person or a brief")
    p.add_argument("--person")
    p.add_argument("--brief")
    p = command("search", "Search the briefs")
    p.add_argument("text", nargs="+")
    p = command("latest", "The newest briefs")
    p.add_argument("-n", type=_count, default=10, help="how many (1 to 50)")
    p = command("show", "Show one brief")
    p.add_argument("id", help="brief id or headline words")
    p = command("export", "Export every brief in the scope")
    for name in ("who", "figures", "quotes", "search", "latest", "show", "export"):
        sub.choices[name].add_argument("--json", action="store_true", help="print JSON")
        sub.choices[name].add_argument("--sources", action="store_true", help="show sentences")
    p = command("run", "Run the Discord bot (token from DISCORD_TOKEN)", scope=False)
    p.add_argument("--shards", type=_shard_range, help="run these shards only, e.g. 0-3 or 4,5")
    p.add_argument("--shard-count", type=int, help="how many shards the bot has in all")
    command("migrate", "Create or upgrade the library's schema, then exit", scope=False)
    p = command("copy-library", "Copy a whole SQLite library into an empty PostgreSQL one")
    p.add_argument("--from", dest="source", required=True, help="the SQLite library file")
    p.add_argument("--to", dest="target", required=True, help="a postgresql:// URL")
    p = command("sync", "Sync the slash commands with Discord now", scope=False)
    p.add_argument("--guild", dest="sync_guild", type=int, help="sync to this guild only")
    command("console", "Type slash commands in a terminal, on the same library, without a token")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `briefbot` script."""
    try:
        return _main(argv)
    except BrokenPipeError:  # `briefbot latest | head`: the reader left; say nothing more
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK


def _main(argv: Sequence[str] | None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings(args.config)
    except ConfigError as e:
        print(f"briefbot: {e}", file=sys.stderr)
        return EXIT_USAGE
    configure_logging(settings, args.command)
    redact_logs()  # the token itself is added once read (run_bot)
    if getattr(args, "db", None):
        settings = _with_db(settings, args.db)
    if args.command not in ("parse", "copy-library"):  # the commands that open the library
        from bot.library import library_problem

        problem = library_problem(settings)
        if problem is not None:
            print(f"briefbot: {problem}", file=sys.stderr)
            return EXIT_USAGE
    if args.command == "parse":
        from bot.cli.parse import parse_command

        return parse_command(
            args.file, as_json=args.json, max_bytes=settings.limits.max_article_bytes
        )
    if args.command in ("migrate", "copy-library"):
        import asyncio

        from bot.cli.library_admin import copy_command, migrate_command

        if args.command == "migrate":
            return asyncio.run(migrate_command(settings))
        return asyncio.run(copy_command(args.source, args.target))
    if args.command in ("run", "sync"):
        from bot.app import Shards, run_bot

        shards = getattr(args, "shards", None)
        count = getattr(args, "shard_count", None)
        if (shards is None) != (count is None) or (shards and max(shards) >= (count or 0)):
            print(
                "briefbot: --shards and --shard-count go together, ids below the count",
                file=sys.stderr,
            )
            return EXIT_USAGE
        return run_bot(
            settings,
            sync_only=args.command == "sync",
            sync_guild=getattr(args, "sync_guild", None),
            shards=Shards(shards, count) if shards is not None and count else None,
        )
    import asyncio  # here: `parse` never needs it

    from bot.cli.commands import run_library_command

    try:
        return asyncio.run(run_library_command(args, settings))
    except KeyboardInterrupt:
        return 130
    except asyncio.CancelledError:  # SIGTERM (see the ingest command)
        return 143


def _count(text: str) -> int:
    """A count of briefs for `latest -n`: a whole number from 1 to 50."""
    try:
        n = int(text)
    except ValueError:
        n = 0
    if not 1 <= n <= 50:  # Discord's /latest takes the same range
        raise argparse.ArgumentTypeError(f"a count from 1 to 50, not {text!r}")
    return n


def configure_logging(settings: Settings, command: str) -> None:
    """Log to standard error at the configured level; the library commands print answers, not
    chatter (warnings only); the libraries' routine lines only at DEBUG."""
    level = getattr(logging, settings.logging.level.upper(), logging.INFO)
    if command not in ("run", "sync"):
        level = max(level, logging.WARNING)
    logging.basicConfig(
        level=level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    quiet_libraries(level)


def _shard_range(text: str) -> tuple[int, ...]:
    """'0-3' or '4,5,7' as shard ids."""
    ids: list[int] = []
    try:
        for part in text.split(","):
            first, _, last = part.partition("-")
            ids.extend(range(int(first), int(last or first) + 1))
    except ValueError as e:
        raise argparse.ArgumentTypeError(f"not a shard range: {text!r}") from e
    if not ids or min(ids) < 0:
        raise argparse.ArgumentTypeError(f"not a shard range: {text!r}")
    return tuple(sorted(set(ids)))


def _with_db(settings: Settings, db: str) -> Settings:
    """The settings with the library given on the command line (a file path or a URL)."""
    import dataclasses

    if db.startswith(POSTGRES_SCHEMES):
        storage = dataclasses.replace(settings.storage, url=db)
    else:
        storage = dataclasses.replace(settings.storage, path=str(Path(db).resolve()), url="")
    return dataclasses.replace(settings, storage=storage)


if __name__ == "__main__":
    raise SystemExit(main())

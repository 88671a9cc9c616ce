"""The command line's library commands: the same services and renderers as the bot, as text."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from tqdm import tqdm

from bot.cli.output import (
    EXIT_EMPTY,
    EXIT_OK,
    EXIT_USAGE,
    print_answer,
    print_answer_json,
    print_json,
)
from bot.config import Settings
from bot.library import open_library
from briefs import answers, render
from briefs.errors import (
    ArticleUnreadable,
    BriefingError,
    BriefNotFound,
    LibraryEmpty,
    NotAnArticle,
    PersonNotFound,
    StorageError,
)
from briefs.extract import build_brief
from briefs.serialize import brief_to_dict
from briefs.service import BriefService

log = logging.getLogger(__name__)


def _read_input(name: str) -> bytes:
    if name == "-":
        return sys.stdin.buffer.read()
    return Path(name).read_bytes()


def parse_command(name: str, *, as_json: bool, max_bytes: int) -> int:
    """`briefbot parse FILE`: print one brief, or one line naming the file and why it failed."""
    source = None if name == "-" else Path(name).name
    try:
        data = _read_input(name)
        brief = build_brief(data, source, max_bytes=max_bytes)
    except OSError as e:
        print(f"briefbot: {name}: {e.strerror or e}", file=sys.stderr)
        return EXIT_USAGE
    except ArticleUnreadable as e:
        print(f"briefbot: {name}: {e.reason}", file=sys.stderr)
        return EXIT_USAGE
    if as_json:
        print_json(brief_to_dict(brief, full=False))
    else:
        print(render.brief_text(brief))
    return EXIT_OK


async def run_library_command(args: argparse.Namespace, settings: Settings) -> int:
    """Run one of the library subcommands against the configured database."""
    try:
        store, service = await open_library(settings)
    except BriefingError as e:  # a damaged file, a newer schema, a database that refuses us
        said = str(e) if isinstance(e, StorageError) else answers.error_message(e, "console")
        print(f"briefbot: {said}", file=sys.stderr)
        return EXIT_USAGE
    try:
        if args.command == "ingest":
            return await _ingest(service, args.paths, guild_id=args.guild, as_json=args.json)
        if args.command == "export":
            briefs = await store.export(guild_id=args.guild)
            print_json([{"id": s.ref.id, **brief_to_dict(s.brief)} for s in briefs])
            return EXIT_OK if briefs else EXIT_EMPTY
        if args.command == "console":
            from bot.cli.console import run_console

            return await run_console(service, guild_id=args.guild)
        return await _query(service, args)
    finally:
        await store.close()


async def _query(service: BriefService, args: argparse.Namespace) -> int:
    guild, sources = args.guild, args.sources
    try:
        match args.command:
            case "who":
                answer = await answers.who(
                    service, " ".join(args.name), guild_id=guild, sources=sources
                )
            case "figures":
                answer = await answers.figures(
                    service, guild_id=guild, brief=args.brief, topic=args.topic, sources=sources
                )
            case "quotes":
                answer = await answers.quotes(
                    service, guild_id=guild, person=args.person, brief=args.brief, sources=sources
                )
            case "search":
                answer = await answers.search(service, " ".join(args.text), guild_id=guild)
            case "latest":
                answer = await answers.latest(service, args.n, guild_id=guild)
            case _:
                answer = await answers.brief(service, args.id, guild_id=guild)
    except (PersonNotFound, BriefNotFound, LibraryEmpty) as e:
        print(render.plain(answers.error_message(e, "console")), file=sys.stderr)
        return EXIT_EMPTY
    if args.json:
        return print_answer_json(answer)
    print_answer(answer)
    return EXIT_OK if answer.found else EXIT_EMPTY


def _article_files(paths: list[str]) -> Iterator[tuple[str, bool]]:
    """Each file to read, and whether the user named it (not found in a folder)."""
    for name in paths:
        path = Path(name)
        if name != "-" and path.is_dir():
            # Every visible file: what is not an article is skipped with its reason.
            yield from sorted(
                (str(p), False)
                for p in path.rglob("*")
                if p.is_file() and not any(part.startswith(".") for part in p.parts[-1:])
            )
        else:
            yield name, True


async def _ingest(
    service: BriefService, paths: list[str], *, guild_id: int | None, as_json: bool
) -> int:
    files = list(_article_files(paths))
    if not files:
        print(f"No files found in {', '.join(paths)}.", file=sys.stderr)
        return EXIT_EMPTY
    counts = {"added": 0, "duplicate": 0, "replaced": 0}
    failed: list[tuple[str, str]] = []
    skipped: list[tuple[str, str]] = []
    named_skipped = False
    show_bar = sys.stderr.isatty() and not as_json
    bar = tqdm(files, desc="ingest", unit="article", disable=not show_bar, file=sys.stderr)
    for name, named in bar:
        source = None if name == "-" else os.path.abspath(name)  # noqa: ASYNC240  # no I/O
        try:
            data = await asyncio.to_thread(_read_input, name)
            result = await service.ingest(data, source, guild_id=guild_id)
        except OSError as e:
            failed.append((name, e.strerror or str(e)))
            continue
        except NotAnArticle as e:
            skipped.append((name, e.reason))
            named_skipped = named_skipped or named
            continue
        except BriefingError as e:
            failed.append((name, getattr(e, "reason", str(e))))
            continue
        except Exception as e:  # one file that breaks the reader never stops the rest
            log.exception("ingest: %s could not be read", name)
            failed.append((name, f"could not be read ({type(e).__name__})"))
            continue
        counts[result.status] += 1
    if as_json:
        print_json(
            {
                **counts,
                "failed": [{"file": f, "reason": r} for f, r in failed],
                "skipped": [{"file": f, "reason": r} for f, r in skipped],
            }
        )
    else:
        print(
            f"{counts['added']} added, {counts['duplicate']} duplicate(s), "
            f"{counts['replaced']} replaced, {len(failed)} failed, {len(skipped)} skipped"
        )
        for name, reason in failed:
            print(f"  failed: {name}: {reason}")
        for name, reason in skipped:
            print(f"  skipped: {name}: {reason}")
    if failed or named_skipped or not any(counts.values()):
        return EXIT_EMPTY
    return EXIT_OK

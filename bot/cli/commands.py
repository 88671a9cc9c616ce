"""The command line's library commands: the same services and renderers as the bot, as text."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
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
from bot.cli.parse import read_article
from bot.config import Settings
from bot.library import build_pool, open_library
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
from briefs.serialize import brief_to_dict
from briefs.service import BriefService, PendingArticle

log = logging.getLogger(__name__)


async def run_library_command(args: argparse.Namespace, settings: Settings) -> int:
    """Run one of the library subcommands against the configured database."""
    if args.command == "ingest":
        return await _ingest_command(args, settings)
    try:
        store, service = await open_library(settings)
    except BriefingError as e:  # a damaged file, a newer schema, a database that refuses us
        return _cannot_open(e)
    try:
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


def _cannot_open(error: BriefingError) -> int:
    said = (
        str(error) if isinstance(error, StorageError) else answers.error_message(error, "console")
    )
    print(f"briefbot: {said}", file=sys.stderr)
    return EXIT_USAGE


async def _ingest_command(args: argparse.Namespace, settings: Settings) -> int:
    """`briefbot ingest`: build on every core, store in batches; SIGTERM stops it like Ctrl-C."""
    task = asyncio.current_task()
    if task is not None:
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, task.cancel)
    pool = build_pool(settings)
    try:
        store, service = await open_library(settings, build=pool.build)
    except BriefingError as e:
        return _cannot_open(e)
    try:
        return await _ingest(
            service,
            args.paths,
            guild_id=args.guild,
            as_json=args.json,
            max_bytes=settings.limits.max_article_bytes,
            in_flight=4 * pool.size + 4,  # workers stay busy while a batch is stored
            batch=max(1, settings.limits.ingest_batch),
        )
    finally:
        await pool.close()  # first: a build in progress is stopped, not waited for
        await store.close()


def _pending(name: str, max_bytes: int) -> PendingArticle:
    source = None if name == "-" else os.path.abspath(name)

    async def read() -> bytes:
        try:
            return await asyncio.to_thread(read_article, name, max_bytes)
        except OSError as e:
            raise ArticleUnreadable(source, e.strerror or str(e)) from e

    return PendingArticle(name, source, read)


async def _ingest(
    service: BriefService,
    paths: list[str],
    *,
    guild_id: int | None,
    as_json: bool,
    max_bytes: int,
    in_flight: int,
    batch: int,
) -> int:
    files = list(_article_files(paths))
    if not files:
        print(f"No files found in {', '.join(paths)}.", file=sys.stderr)
        return EXIT_EMPTY
    named = {name for name, by_name in files if by_name}
    counts = {"added": 0, "duplicate": 0, "replaced": 0}
    failed: list[tuple[str, str]] = []
    skipped: list[tuple[str, str]] = []
    show_bar = sys.stderr.isatty() and not as_json
    bar = tqdm(
        total=len(files), desc="ingest", unit="article", disable=not show_bar, file=sys.stderr
    )
    articles = (_pending(name, max_bytes) for name, _ in files)
    try:
        async for article, outcome in service.ingest_many(
            articles, guild_id=guild_id, in_flight=in_flight, batch=batch
        ):
            bar.update()
            if isinstance(outcome, NotAnArticle):
                skipped.append((article.label, outcome.reason))
            elif isinstance(outcome, BriefingError):
                failed.append((article.label, getattr(outcome, "reason", str(outcome))))
            else:
                counts[outcome.status] += 1
    except asyncio.CancelledError:
        bar.close()
        print(f"stopped; stored so far: {_summary(counts, failed, skipped)}", file=sys.stderr)
        raise
    bar.close()
    named_skipped = any(name in named for name, _ in skipped)
    if as_json:
        print_json(
            {
                **counts,
                "failed": [{"file": f, "reason": r} for f, r in failed],
                "skipped": [{"file": f, "reason": r} for f, r in skipped],
            }
        )
    else:
        print(_summary(counts, failed, skipped))
        for name, reason in failed:
            print(f"  failed: {name}: {reason}")
        for name, reason in skipped:
            print(f"  skipped: {name}: {reason}")
    if failed or named_skipped or not any(counts.values()):
        return EXIT_EMPTY
    return EXIT_OK


def _summary(
    counts: dict[str, int], failed: list[tuple[str, str]], skipped: list[tuple[str, str]]
) -> str:
    return (
        f"{counts['added']} added, {counts['duplicate']} duplicate(s), "
        f"{counts['replaced']} replaced, {len(failed)} failed, {len(skipped)} skipped"
    )

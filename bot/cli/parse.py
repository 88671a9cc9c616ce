"""`briefbot parse`: one article in, its brief out; imports nothing of Discord or the library.

Start-up is most of a one-article parse, so this module and what it imports stay light: the
Discord client, aiohttp, the scheduler and the database are never loaded here."""

from __future__ import annotations

import sys
from pathlib import Path

from bot.cli.output import EXIT_OK, EXIT_USAGE, print_json
from briefs.errors import ArticleUnreadable


def read_article(name: str, max_bytes: int) -> bytes:
    """The bytes of a file (or of standard input for "-"), read no further than the size limit.

    Raises OSError when the file cannot be read and ArticleUnreadable when it is over the limit."""
    if name == "-":
        data = sys.stdin.buffer.read(max_bytes + 1)
    else:
        with Path(name).open("rb") as file:
            data = file.read(max_bytes + 1)
    if len(data) > max_bytes:
        source = None if name == "-" else Path(name).name
        raise ArticleUnreadable(source, f"larger than the {max_bytes:,}-byte limit")
    return data


def parse_command(name: str, *, as_json: bool, max_bytes: int) -> int:
    """`briefbot parse FILE`: print one brief, or one line naming the file and why it failed."""
    from briefs import render
    from briefs.extract import build_brief

    source = None if name == "-" else Path(name).name
    try:
        data = read_article(name, max_bytes)
        brief = build_brief(data, source, max_bytes=max_bytes)
    except OSError as e:
        print(f"briefbot: {name}: {e.strerror or e}", file=sys.stderr)
        return EXIT_USAGE
    except ArticleUnreadable as e:
        print(f"briefbot: {name}: {e.reason}", file=sys.stderr)
        return EXIT_USAGE
    if as_json:
        from briefs.serialize import brief_to_dict

        print_json(brief_to_dict(brief, full=False))
    else:
        print(render.brief_text(brief))
    return EXIT_OK

"""The process that builds briefs for the build pool: one article at a time, within its limits.

Imported in every worker, so it stays light: the standard library and the brief builder."""

from __future__ import annotations

import resource
import signal
import traceback
from multiprocessing.connection import Connection

# Replies to the pool: (kind, value).
OK, UNREADABLE, OUT_OF_MEMORY, FAILED, READY = "ok", "unreadable", "memory", "failed", "ready"


def serve(conn: Connection, memory_bytes: int) -> None:
    """Build briefs for the pool until it closes the pipe; exit after running out of memory.

    Ctrl-C reaches the whole process group: the pool, not the worker, decides when to stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from briefs.errors import ArticleUnreadable
    from briefs.extract import build_brief
    from briefs.extract.places import countries, gazetteer

    gazetteer()  # warm the place names before the clock of the first article starts
    countries()
    if memory_bytes > 0:
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    conn.send((READY, None))
    while True:
        try:
            data, source, max_bytes = conn.recv()
        except EOFError:
            return
        except MemoryError:
            _reply(conn, (OUT_OF_MEMORY, None))
            return
        try:
            reply: tuple[str, object] = (OK, build_brief(data, source, max_bytes=max_bytes))
        except ArticleUnreadable as e:
            reply = (UNREADABLE, e.reason)
        except MemoryError:
            del data
            _reply(conn, (OUT_OF_MEMORY, None))
            return
        except Exception:  # any bug in the builder: reported, the worker lives on
            reply = (FAILED, traceback.format_exc(limit=8))
        del data
        if not _reply(conn, reply):
            return


def _reply(conn: Connection, reply: tuple[str, object]) -> bool:
    """Send a reply; False when the pool is gone or the reply cannot be built."""
    try:
        conn.send(reply)
    except MemoryError:
        try:
            conn.send((OUT_OF_MEMORY, None))
        except (MemoryError, OSError):
            return False
        return False
    except OSError:
        return False
    return True

"""Briefs built in worker processes, each article within a time limit and a memory limit.

A build that runs over its time is stopped by killing its worker; a worker that runs out of
memory (RLIMIT_AS, set when it starts) exits. Either way the article is refused with the
reason (ArticleOverLimit), logged with its source, and a fresh worker takes the slot: the
bot's event loop never runs a build and keeps answering members meanwhile. `briefbot ingest`
uses the same pool with one worker per core.

Workers are forked from a forkserver that has the brief builder imported already, so a
replacement is ready in milliseconds and inherits nothing of the bot (sockets, threads)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import os
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess

from bot.runtime import build_worker
from briefs.errors import ArticleOverLimit, ArticleUnreadable
from briefs.model import Brief

log = logging.getLogger(__name__)

START_TIMEOUT = 60.0  # a worker that is not ready by then (a machine in trouble) is an error
_CONTEXT = multiprocessing.get_context("forkserver")
_CONTEXT.set_forkserver_preload(["bot.runtime.build_worker", "briefs.extract"])


@dataclass(slots=True, eq=False)  # identity: workers live in a set
class _Worker:
    process: BaseProcess
    conn: Connection

    def kill(self) -> None:
        """Stop the process now (SIGKILL) and release its pipe."""
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()
        with contextlib.suppress(ValueError):  # already closed
            self.process.close()


class BuildPool:
    """Build briefs in `workers` processes (0: one per core), started when first needed."""

    def __init__(
        self,
        *,
        workers: int = 0,
        time_limit: float = 10.0,  # seconds per article; 0: none
        memory_mb: int = 1024,  # per worker; 0: none
        max_bytes: int = 2_000_000,
    ) -> None:
        self.size = workers or os.cpu_count() or 1
        self.time_limit = time_limit
        self.memory_mb = memory_mb
        self.max_bytes = max_bytes
        self._slots: asyncio.Queue[_Worker | None] | None = None
        self._live: set[_Worker] = set()
        self._closed = False

    async def build(self, data: str | bytes, source: str | None) -> Brief:
        """The brief of one article; ArticleUnreadable when it cannot be read or is over a limit."""
        if self._closed:
            raise ArticleUnreadable(source, "not read: briefbot is stopping")
        slots = self._queue()
        worker = await slots.get()
        try:
            if worker is None:
                worker = await asyncio.to_thread(self._start, source)
            reply, worker = await self._run(worker, data, source)
        except BaseException:
            slots.put_nowait(None)  # the worker (if any) was killed: start another when needed
            raise
        slots.put_nowait(worker)
        return reply

    async def close(self) -> None:
        """Kill every worker now; builds in progress are refused. Idempotent."""
        self._closed = True
        live, self._live = list(self._live), set()
        for worker in live:
            await asyncio.to_thread(worker.kill)

    def _queue(self) -> asyncio.Queue[_Worker | None]:
        if self._slots is None:
            self._slots = asyncio.Queue()
            for _ in range(self.size):
                self._slots.put_nowait(None)
        return self._slots

    def _start(self, source: str | None) -> _Worker:
        """A new worker, ready to build (runs in a thread: starting one blocks briefly)."""
        ours, theirs = _CONTEXT.Pipe()
        limit = self.memory_mb * 2**20
        process = _CONTEXT.Process(
            target=build_worker.serve, args=(theirs, limit), name="briefbot-build", daemon=True
        )
        process.start()
        theirs.close()
        worker = _Worker(process, ours)
        self._live.add(worker)
        if not ours.poll(START_TIMEOUT):
            self._discard(worker)
            raise ArticleUnreadable(source, "the brief builder did not start")
        try:
            kind, _ = ours.recv()
        except (EOFError, OSError) as e:
            self._discard(worker)
            raise ArticleUnreadable(source, "the brief builder did not start") from e
        if kind != build_worker.READY:
            self._discard(worker)
            raise ArticleUnreadable(source, f"the brief builder did not start ({kind})")
        return worker

    def _discard(self, worker: _Worker) -> None:
        self._live.discard(worker)
        worker.kill()

    async def _run(
        self, worker: _Worker, data: str | bytes, source: str | None
    ) -> tuple[Brief, _Worker | None]:
        """Send one article and wait for its brief; returns the worker if it can be used again."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.time_limit  # from the moment the article is handed over
        try:
            await asyncio.to_thread(worker.conn.send, (data, source, self.max_bytes))
            left = max(0.0, deadline - loop.time()) if self.time_limit else None
            async with asyncio.timeout(left):  # not wait_for: it can swallow a cancellation
                await _readable(worker.conn)
            kind, value = await asyncio.to_thread(worker.conn.recv)
        except TimeoutError:
            await self._replace(worker)
            raise self._over_time(source) from None
        except (EOFError, OSError) as e:  # the worker died: out of memory, or killed
            await self._replace(worker)
            if self._closed:
                raise ArticleUnreadable(source, "not read: briefbot is stopping") from e
            raise self._over_memory(source) from e
        except BaseException:  # cancelled: the worker may still be busy, so it goes
            await asyncio.shield(self._replace(worker))
            raise
        if self.time_limit and loop.time() > deadline:  # the reply came, but too late
            raise self._over_time(source)
        if kind == build_worker.OK and isinstance(value, Brief):
            return value, worker
        if kind == build_worker.UNREADABLE:
            raise ArticleUnreadable(source, str(value))
        await self._replace(worker)
        if kind == build_worker.OUT_OF_MEMORY:
            raise self._over_memory(source)
        log.error("the brief builder failed on %s:\n%s", source or "an article", value)
        raise ArticleUnreadable(source, "the brief builder failed on this article")

    def _over_time(self, source: str | None) -> ArticleOverLimit:
        log.warning(
            "refused %s: over the %g s build limit", source or "an article", self.time_limit
        )
        return ArticleOverLimit(source, f"too complex to read within {self.time_limit:g} s")

    def _over_memory(self, source: str | None) -> ArticleOverLimit:
        log.warning(
            "refused %s: over the %d MB memory limit", source or "an article", self.memory_mb
        )
        return ArticleOverLimit(source, f"too large to read within {self.memory_mb:,} MB of memory")

    async def _replace(self, worker: _Worker) -> None:
        """Kill a worker that is busy, dead or broken (its slot starts a new one when needed)."""
        self._live.discard(worker)
        await asyncio.to_thread(worker.kill)


async def _readable(conn: Connection) -> None:
    """Wait until the worker has replied (or died: end of file is readable too)."""
    loop = asyncio.get_running_loop()
    ready: asyncio.Future[None] = loop.create_future()
    fd = conn.fileno()

    def wake() -> None:
        if not ready.done():
            ready.set_result(None)

    loop.add_reader(fd, wake)
    try:
        await ready
    finally:
        loop.remove_reader(fd)

"""How hard a digest's delivery tries: the grace window, retries with backoff, the self-pause."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TypeVar

from briefs.digests.ports import PAUSE_AFTER_FAILURES, TransientDeliveryError
from briefs.digests.schedule import DEFAULT_GRACE

log = logging.getLogger(__name__)
T = TypeVar("T")
Sleep = Callable[[float], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class DeliveryPolicy:
    """How hard delivery tries: grace window, retries, backoff, self-pause."""

    grace: dt.timedelta = DEFAULT_GRACE
    pause_after: int = PAUSE_AFTER_FAILURES
    retries: int = 3  # attempts per message on transient errors
    backoff: float = 2.0  # seconds before the 2nd attempt; doubles each time
    sleep: Sleep = field(default=asyncio.sleep)
    # The time now, for renewing a run's lease before each message (None: the run's start).
    clock: Callable[[], dt.datetime] | None = None


async def retrying(policy: DeliveryPolicy, channel_id: int, call: Callable[[], Awaitable[T]]) -> T:
    """`call()`, tried again with backoff on transient errors."""
    delay = policy.backoff
    for attempt in range(1, policy.retries):
        try:
            return await call()
        except TransientDeliveryError as e:
            log.warning("Channel %s: %s (attempt %s, retrying)", channel_id, e.reason, attempt)
            await policy.sleep(delay)
            delay *= 2
    return await call()

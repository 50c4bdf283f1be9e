"""Delivery's database work on threads of its own, and waking its loop from any thread.

Webhooks hand their transactions to the event loop's default thread pool. Delivery (claims,
verdicts, lease renewals, alerts) used the same pool, so under load a reply's transaction could
wait behind a batch of send records: delivery delayed inbound handling. With a pool of its own,
delivery queues only behind itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")

# Enough for the outbox's records to keep up with a fast channel (each is one short transaction)
# while leaving the default pool, and so the webhooks, to themselves.
_POOL = ThreadPoolExecutor(max_workers=4, thread_name_prefix="sendvoice-delivery")


async def run(call: Callable[..., T], *args: object) -> T:
    """`asyncio.to_thread`, on delivery's own pool."""
    loop = asyncio.get_running_loop()
    context = contextvars.copy_context()
    return await loop.run_in_executor(_POOL, functools.partial(context.run, call, *args))


def set_event(event: asyncio.Event, loop: asyncio.AbstractEventLoop | None) -> None:
    """Set an event of `loop` from any thread (a webhook's, a worker thread's, the loop's own)."""
    try:
        running = asyncio.get_running_loop()
    except RuntimeError:
        running = None
    if loop is None or running is loop:
        event.set()
        return
    with contextlib.suppress(RuntimeError):  # that loop has closed: nothing waits any more
        loop.call_soon_threadsafe(event.set)

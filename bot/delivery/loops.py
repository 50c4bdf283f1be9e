"""The background loops of a running sendvoice: the outbox, the safeguarding alerts and, where
asked, the follow-up jobs. `sendvoice serve` (in its one process or its serving process) and
`sendvoice scheduler` run them the same way."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from bot.delivery import wakeup
from bot.services import Services


def _waker(services: Services) -> wakeup.Wake:
    def wake(kind: str) -> None:
        if kind == "alerts":
            services.alerts.wake()
        else:
            services.outbox.wake()

    return wake


@contextlib.asynccontextmanager
async def delivery(
    services: Services,
    *,
    workers: bool = True,
    scheduler: bool = False,
    poll_seconds: float = 1.0,
    stop_timeout: float | None = 10.0,
    listen: bool = False,
) -> AsyncIterator[None]:
    """The loops run while the block does; on leaving it they finish what they are sending,
    waiting at most `stop_timeout` seconds each (None: as long as it takes). With `listen`, other
    processes (web processes of `serve --workers N`) can wake them (bot.delivery.wakeup)."""
    stop = asyncio.Event()
    tasks: list[asyncio.Task[None]] = []
    if workers:
        tasks.append(asyncio.create_task(services.outbox.run(stop, poll_seconds=poll_seconds)))
        tasks.append(asyncio.create_task(services.alerts.run(stop)))
        if listen:
            tasks.append(
                asyncio.create_task(wakeup.listen(services.engine, _waker(services), stop))
            )
    jobs = None
    if scheduler:
        from bot.followups.scheduler import build_scheduler

        jobs = build_scheduler(services)
        jobs.start()
    try:
        yield
    finally:
        stop.set()
        if jobs is not None:
            jobs.shutdown(wait=False)
        services.outbox.wake()
        services.alerts.wake()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, TimeoutError):
                await asyncio.wait_for(task, timeout=stop_timeout)

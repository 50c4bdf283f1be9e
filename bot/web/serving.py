"""How `sendvoice serve` runs: everything in one process, or the web in several and delivery in one.

One process is one core. Above that, webhooks and the dashboard run in `workers` uvicorn processes
(every inbound message is one transaction with the person's row locked, so they can run side by
side), while the outbox, the safeguarding alerts and the scheduler stay in this process. Keeping
delivery in one place keeps the SMS pace one count against Twilio's limit and each Telegram
chat's pace one count (each person's order holds anyway: see storage.messages.claim_due). The
web processes wake this process's outbox and alerts when they queue something (NOTIFY on
PostgreSQL, a local socket on SQLite: bot.delivery.wakeup); it also looks every
DELIVERY_POLL_SECONDS, in case a wake was lost.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading

import uvicorn
from starlette.applications import Starlette

from bot.delivery import wakeup
from bot.delivery.loops import delivery
from bot.services import Services

log = logging.getLogger(__name__)

WEB_APP = "bot.web.worker_app:create"
DELIVERY_POLL_SECONDS = 1.0
_STOP_SECONDS = 20.0
# How long uvicorn's supervisor waits for a web process to answer its health check before it
# kills and replaces it. Its default (5 s) is shorter than a web process takes to start on a busy
# small machine, so workers were killed while starting, again and again, and the server never came
# up; a process that is really hung is still replaced, a little later.
WORKER_HEALTHCHECK_SECONDS = 60


def serve_one(
    services: Services, host: str, port: int, *, run_scheduler: bool, telegram_polling: bool
) -> None:
    from bot.web.app import create_app

    app = create_app(services, telegram_polling=telegram_polling, run_scheduler=run_scheduler)
    _run(app, services, host, port)


def serve_many(
    services: Services,
    host: str,
    port: int,
    *,
    workers: int,
    run_scheduler: bool,
    web_app: str = WEB_APP,
) -> None:
    """`web_app` names a factory that builds a web-only app in each worker (`module:function`)."""
    with contextlib.ExitStack() as stack:
        if services.engine.dialect.name != "postgresql":
            stack.enter_context(wakeup.wake_socket())  # before the web processes start
        loops = Delivery(services, run_scheduler=run_scheduler)
        loops.start()
        try:
            _run(web_app, services, host, port, workers=workers)
        finally:
            loops.stop()


def _run(
    app: Starlette | str, services: Services, host: str, port: int, *, workers: int | None = None
) -> None:
    uvicorn.run(
        app,
        host=host,
        port=port,
        log_config=None,
        log_level=services.settings.log_level.lower(),
        proxy_headers=False,  # the app believes TRUSTED_PROXIES only (bot.web.app)
        factory=isinstance(app, str),
        workers=workers,
        timeout_worker_healthcheck=WORKER_HEALTHCHECK_SECONDS,
    )


class Delivery(threading.Thread):
    """The outbox, the alerts and the scheduler on their own event loop, beside uvicorn's
    supervisor (which needs the main thread for its signals)."""

    def __init__(self, services: Services, *, run_scheduler: bool) -> None:
        super().__init__(name="sendvoice-delivery", daemon=True)
        self.services = services
        self.run_scheduler = run_scheduler
        self._ready = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stopping: asyncio.Event | None = None

    def run(self) -> None:
        asyncio.run(self._main())

    def stop(self) -> None:
        """Ask the loops to finish what they are sending, and wait for them."""
        self._ready.wait(timeout=_STOP_SECONDS)
        if self._loop is not None and self._stopping is not None:
            with contextlib.suppress(RuntimeError):  # the loop has already ended
                self._loop.call_soon_threadsafe(self._stopping.set)
        self.join(timeout=_STOP_SECONDS)
        if self.is_alive():
            log.warning("delivery did not stop within %.0f s", _STOP_SECONDS)

    async def _main(self) -> None:
        self._stopping = asyncio.Event()
        self._loop = asyncio.get_running_loop()
        self._ready.set()
        async with delivery(
            self.services,
            scheduler=self.run_scheduler,
            poll_seconds=DELIVERY_POLL_SECONDS,
            listen=True,
        ):
            await self._stopping.wait()
        await self.services.aclose()

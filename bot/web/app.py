"""The ASGI app: webhooks, health check, and the outbox worker running beside them."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from sqlalchemy import text
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.channels.sms.webhooks import inbound_sms, status_callback
from bot.channels.telegram.webhook import telegram_update
from bot.delivery.loops import delivery
from bot.services import Services
from bot.web import dashboard
from bot.web.headers import SecurityHeaders, security_headers, server_error_handler
from bot.web.limits import SMALL, BodyLimit, MiB

log = logging.getLogger(__name__)

# Telegram updates carry up to 4096 characters of text, and again for a quoted message, with
# their formatting; a refused update is retried for ever, so its limit has room to spare.
TELEGRAM_BODY = 256 * 1024


async def healthz(request: Request) -> Response:
    services: Services = request.app.state.services

    def ping() -> None:
        with services.engine.connect() as connection:
            connection.execute(text("SELECT 1"))

    try:
        await asyncio.to_thread(ping)
    except Exception as exc:
        log.warning("health check failed: %s", type(exc).__name__)
        return JSONResponse({"status": "error", "database": "unreachable"}, status_code=503)
    return JSONResponse({"status": "ok", "database": "ok"})


def create_app(
    services: Services,
    *,
    run_workers: bool = True,
    telegram_polling: bool = False,
    run_scheduler: bool = False,
) -> Starlette:
    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async with delivery(services, workers=run_workers, scheduler=run_scheduler):
            stop = asyncio.Event()
            polling: asyncio.Task[None] | None = None
            if telegram_polling:
                from bot.channels.telegram.polling import poll

                polling = asyncio.create_task(poll(services, stop))
            try:
                yield
            finally:
                stop.set()
                if polling is not None:
                    # A long poll holds its request open; it has nothing to flush, so stop it now.
                    polling.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await polling
        await services.aclose()

    settings = services.settings
    headers = security_headers(settings.public_base_url)
    body_limits = {
        "/webhooks/telegram": TELEGRAM_BODY,
        **{path: settings.max_upload_mb * MiB for path in dashboard.upload_paths()},
    }
    app = Starlette(
        routes=[
            Route("/healthz", healthz, methods=["GET"]),
            Route("/webhooks/twilio/sms", inbound_sms, methods=["POST"]),
            Route("/webhooks/twilio/status", status_callback, methods=["POST"]),
            Route("/webhooks/telegram", telegram_update, methods=["POST"]),
            *dashboard.routes(),
        ],
        middleware=[
            Middleware(SecurityHeaders, headers=headers),
            Middleware(BodyLimit, default=SMALL, routes=body_limits),
            *dashboard.middleware(settings),
        ],
        exception_handlers={Exception: server_error_handler(headers)},
        lifespan=lifespan,
    )
    app.state.services = services
    return app

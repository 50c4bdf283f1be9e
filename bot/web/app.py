"""The ASGI app: webhooks, health check, and the outbox worker running beside them."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import Counter
from collections.abc import AsyncIterator
from datetime import timedelta

from sqlalchemy import text
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from bot.channels.sms.webhooks import status_callback
from bot.channels.telegram.webhook import telegram_update
from bot.channels.whatsapp.webhooks import inbound_twilio, inbound_whatsapp, status_whatsapp
from bot.config import Settings
from bot.delivery.loops import delivery
from bot.health import failures
from bot.health.monitor import HealthMonitor
from bot.services import Services
from bot.web import dashboard
from bot.web.headers import SecurityHeaders, security_headers, server_error_handler
from bot.web.limits import SMALL, BodyLimit, MiB
from storage import to_read

log = logging.getLogger(__name__)

# Telegram updates carry up to 4096 characters of text, and again for a quoted message, with
# their formatting; a refused update is retried for ever, so its limit has room to spare.
TELEGRAM_BODY = 256 * 1024


async def healthz(request: Request) -> Response:
    """200 "ok"; 200 "degraded" with reasons when a check fails (the service still takes messages,
    so load balancers keep routing to it: monitoring alerts on the status); 503 "down" when the
    database cannot be reached. Public, so the reasons name settings and counts, nothing more."""
    services: Services = request.app.state.services
    health: HealthMonitor = request.app.state.health

    def ping() -> int:
        with services.session_factory() as session:
            session.execute(text("SELECT 1"))
            within = timedelta(hours=services.settings.read_within_hours)
            return to_read.overdue_count(session, services.clock(), within)

    try:
        overdue = await asyncio.to_thread(ping)
    except Exception as exc:
        log.warning("health check failed: %s", type(exc).__name__)
        return JSONResponse(
            {"status": "down", "database": "unreachable", "reasons": ["database: unreachable"]},
            status_code=503,
        )
    try:
        failed = failures(await health.current())
        reasons = [f"{check.name}: {check.summary}" for check in failed]
    except Exception as exc:  # a check that breaks must not take the health check down with it
        log.warning("health checks could not run: %s", type(exc).__name__)
        reasons = [f"health checks could not run ({type(exc).__name__})"]
    body: dict[str, object] = {
        "status": "degraded" if reasons else "ok",
        "database": "ok",
        "reasons": reasons,
        # Free text nobody has read within READ_WITHIN_HOURS: a backlog to watch, not an outage.
        "unread_overdue": overdue,
    }
    refused: Counter[str] = request.app.state.refused_channels
    if refused:
        body["refused"] = dict(refused)  # webhooks from channels we do not answer on, by channel
    return JSONResponse(body)


def _proxies(settings: Settings) -> list[Middleware]:
    """X-Forwarded-For and -Proto, believed only from TRUSTED_PROXIES. uvicorn itself runs with
    proxy headers off, so this setting is the one place that decides who the client is."""
    trusted = settings.trusted_proxy_list()
    return [Middleware(ProxyHeadersMiddleware, trusted_hosts=trusted)] if trusted else []


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
            Route("/webhooks/twilio/sms", inbound_twilio, methods=["POST"]),
            Route("/webhooks/twilio/status", status_callback, methods=["POST"]),
            Route("/webhooks/twilio/whatsapp", inbound_whatsapp, methods=["POST"]),
            Route("/webhooks/twilio/whatsapp/status", status_whatsapp, methods=["POST"]),
            Route("/webhooks/telegram", telegram_update, methods=["POST"]),
            *dashboard.routes(),
        ],
        middleware=[
            Middleware(SecurityHeaders, headers=headers),
            Middleware(BodyLimit, default=SMALL, routes=body_limits),
            *_proxies(settings),
            *dashboard.middleware(settings),
        ],
        exception_handlers={Exception: server_error_handler(headers)},
        lifespan=lifespan,
    )
    app.state.services = services
    app.state.health = HealthMonitor(
        services.settings, services.engine, sendable=services.senders, clock=services.clock
    )
    app.state.refused_channels = Counter()
    return app

"""An event's poster: one A4 page with the QR code, to print or to download as a PDF."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import Response

from bot.channels.telegram.links import bot_username
from bot.followups.poster import poster, qr_svg, when_words
from bot.web.dashboard.views_events import NOT_FOUND, visible, zone
from bot.web.dashboard.views_report import pdf_available, to_pdf
from bot.web.dashboard.web import Who, attachment, db, page, refuse, render, secure, services
from storage import events as events_repo

log = logging.getLogger(__name__)


async def _username(request: Request) -> str | None:
    """The bot's name for deep links: the setting, or asked of Telegram once per process."""
    settings = services(request).settings
    if settings.telegram_bot_username:
        return settings.telegram_bot_username.lstrip("@")
    if not settings.telegram_configured:
        return None
    known: str | None = getattr(request.app.state, "telegram_username", None)
    if known is None:
        try:
            known = await asyncio.wait_for(bot_username(settings), timeout=10)
        except Exception as exc:  # the poster still has its other ways in
            log.warning("could not ask Telegram for the bot's name: %s", type(exc).__name__)
            return None
        request.app.state.telegram_username = known
    return known


async def _context(request: Request, who: Who) -> dict[str, Any] | None:
    event_id = int(request.path_params["event_id"])
    tz = zone(request)
    library = services(request).library

    def load(session: Session) -> dict[str, Any] | None:
        event = visible(who, events_repo.get(session, event_id))
        if event is None:
            return None
        flow = library.get(event.flow_id) if event.flow_id in library else None
        return {"event": event, "flow": flow, "when": when_words(event, tz)}

    context = await db(request, load)
    if context is None:
        return None
    event, flow = context["event"], context["flow"]
    ways = poster(
        services(request).settings, flow, event.code, await _username(request), event.title
    )
    qr = qr_svg(ways.telegram_link, f"QR code for {event.title}") if ways.telegram_link else None
    wa_qr = (
        qr_svg(ways.whatsapp_link, f"WhatsApp QR code for {event.title}")
        if ways.whatsapp_link
        else None
    )
    return {
        **context,
        "ways": ways,
        "qr": qr,
        "wa_qr": wa_qr,
        "council": services(request).settings.council_name,
        "nav": "events",
    }


@page()
async def poster_page(request: Request, who: Who) -> Response:
    context = await _context(request, who)
    if context is None:
        return refuse(request, who, 404, NOT_FOUND)
    return render(request, "poster.html", {**context, "pdf_ok": pdf_available()}, who=who)


@page()
async def poster_pdf(request: Request, who: Who) -> Response:
    if not pdf_available():
        return refuse(
            request,
            who,
            501,
            "PDF is not available on this server. Open the poster and use your browser's "
            "Print, then Save as PDF.",
        )
    context = await _context(request, who)
    if context is None:
        return refuse(request, who, 404, NOT_FOUND)
    html = bytes(render(request, "poster.html", {**context, "pdf": True}, who=who).body)
    pdf = await asyncio.to_thread(to_pdf, html.decode())
    name = f"poster-{context['event'].code}.pdf"
    return secure(
        Response(
            pdf, media_type="application/pdf", headers={"Content-Disposition": attachment(name)}
        )
    )

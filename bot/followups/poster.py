"""What goes on an event's poster: the QR code and the words around it, for the CLI and the dashboard."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import segno

from bot.channels.telegram.links import deep_link
from bot.channels.whatsapp.links import start_text, wa_link
from bot.config import Settings
from flows.schema import Flow
from storage.models import Event


def _qr(link: str) -> segno.QRCode:
    # Error correction "Q" survives a poster that is creased, shiny or partly covered.
    return segno.make(link, error="q", micro=False)


def write_qr(link: str, out: Path) -> None:
    _qr(link).save(str(out), scale=12, border=4)


def qr_svg(link: str, title: str) -> str:
    """The QR code as SVG to put straight into a page: sized by the page (a viewBox, no width),
    drawn with attributes only, so a printer and WeasyPrint draw it the same."""
    svg: str = _qr(link).svg_inline(
        scale=1, border=4, omitsize=True, title=title, svgclass="qr", lineclass=None
    )
    return svg


def when_words(event: Event, tz: ZoneInfo) -> str:
    """'Saturday 14 March 2026, 10:00 to 12:00': as a family reads a date on a wall."""
    start, end = event.starts_at.astimezone(tz), event.ends_at.astimezone(tz)
    day = f"{start:%A} {start.day} {start:%B %Y}"
    if end.date() == start.date():
        return f"{day}, {start:%H:%M} to {end:%H:%M}"
    return f"{day} {start:%H:%M} to {end:%A} {end.day} {end:%B %Y} {end:%H:%M}"


@dataclass(frozen=True)
class Poster:
    telegram_link: str | None  # None: Telegram is not set up
    sms_keyword: str | None  # None: the flow has no keyword, or there is no number to text
    sms_number: str | None
    stop: str
    # Opens WhatsApp with the event's start text ready to send; None: no WhatsApp number.
    whatsapp_link: str | None = None


def whatsapp_link(settings: Settings, event_name: str, code: str) -> str | None:
    if not settings.twilio_whatsapp_from:
        return None
    return wa_link(settings.twilio_whatsapp_from, start_text(event_name, code))


def poster(
    settings: Settings,
    flow: Flow | None,
    code: str,
    username: str | None,
    event_name: str = "the event",
) -> Poster:
    keyword = flow.start_keyword if flow is not None else None
    number = settings.twilio_from_number or None
    whatsapp = whatsapp_link(settings, event_name, code)
    ways = "by text, on WhatsApp or on Telegram" if whatsapp else "by text or on Telegram"
    return Poster(
        telegram_link=deep_link(username, code) if username else None,
        sms_keyword=keyword if keyword and number else None,
        sms_number=number if keyword else None,
        stop=f"Send STOP at any time, {ways}, and we will not message you again.",
        whatsapp_link=whatsapp,
    )

"""The wa.me link for an event: it opens WhatsApp with a message ready to send that names the
event's code, so the person joins it as a Telegram deep link would (for posters and QR codes)."""

from __future__ import annotations

import re
from urllib.parse import quote

from bot.channels.whatsapp import number

_START = {
    "en": "Hello, I was at {event_name} and would like to give feedback (code {code})",
    "cy": "Helo, roeddwn i yn {event_name} a hoffwn roi adborth (cod {code})",
}


def start_text(event_name: str, code: str, language: str = "en") -> str:
    return _START.get(language, _START["en"]).format(event_name=event_name, code=code)


def wa_link(sender: str, text: str) -> str:
    digits = re.sub(r"\D", "", number(sender))
    return f"https://wa.me/{digits}?text={quote(text)}"

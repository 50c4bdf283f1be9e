"""The terminal channel: the demo's person types, and sees each message as SMS or chat would show it."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from bot.channels.base import OutboundMessage, SendResult, Style
from flows.gsm import count_segments

CHANNEL = "console"


def format_sms(body: str) -> str:
    info = count_segments(body)
    plural = "" if info.segments == 1 else "s"
    header = f"--- SMS ({info.segments} segment{plural}, {info.encoding}, {info.characters} characters) ---"
    return f"{header}\n{body}\n"


def format_chat(body: str, buttons: list[list[dict[str, Any]]]) -> str:
    lines = ["--- chat ---", body]
    for row in buttons:
        lines.append("  ".join(f"[ {b['text']} ]" for b in row))
    return "\n".join(lines) + "\n"


class ConsoleSender:
    """Prints instead of sending. Buttons are shown; the person types a button's words or number."""

    channel = CHANNEL

    def __init__(self, style: Style, write: Callable[[str], None]) -> None:
        self.style = style
        self.write = write
        self.buttons: list[dict[str, Any]] = []  # the last message's, one list

    async def send(self, message: OutboundMessage) -> SendResult:
        if self.style == "sms":
            self.write(format_sms(message.body))
        else:
            rows = message.meta.get("buttons", [])
            self.buttons = [b for row in rows for b in row]
            self.write(format_chat(message.body, rows))
        return SendResult.sent(f"console-out-{uuid.uuid4().hex}")

    def pressed(self, typed: str) -> dict[str, Any] | None:
        """What Telegram would send for a typed age button's words or number (answers read as
        typed words anyway): the age band and the deep-link code it carries."""
        word = typed.strip().casefold()
        for number, button in enumerate(self.buttons, start=1):
            kind, _, rest = str(button["data"]).partition(":")
            if kind == "age" and word in (str(button["text"]).casefold(), str(number)):
                band, _, code = rest.partition(":")
                return {"age_band": band, **({"payload": code} if code else {})}
        return None

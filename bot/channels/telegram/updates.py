"""Telegram updates -> InboundMessage, or a reason to ignore them. Owns the wire format."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from telegram import Update

from bot.channels.telegram import CHANNEL
from bot.conversation.inbound import InboundMessage, clean_text
from flows.render import parse_callback_data

COMMANDS = {"start", "help", "stop", "language"}
MAX_TEXT = 4096  # Telegram's own limit for a message
# Old questions and forged data still reach the engine, which says "that was an earlier question".
STALE = (-1, "")
MEDIA = (
    "sticker",
    "photo",
    "voice",
    "video",
    "video_note",
    "audio",
    "document",
    "animation",
    "location",
    "contact",
    "poll",
    "dice",
)


@dataclass(frozen=True)
class Parsed:
    message: InboundMessage | None
    ignored: str | None = None  # why nothing is done with the update
    callback_query_id: str | None = None
    pressed: tuple[int, int] | None = None  # (chat id, message id) whose keyboard was pressed


def _ignore(reason: str) -> Parsed:
    return Parsed(None, ignored=reason)


def parse(data: dict[str, Any], now: datetime) -> Parsed:
    try:
        update = Update.de_json(data, None)
    except Exception:  # malformed JSON from a forger or a future API; never a 5xx
        return _ignore("unreadable")
    provider_id = str(update.update_id)
    if update.callback_query is not None:
        return _callback(update, provider_id, now)
    message = update.message
    if message is None:
        return _ignore("not a new message")  # edits, channel posts, membership changes
    if message.chat.type != "private":
        return _ignore("not a private chat")  # never talk about surveys in a group
    address = str(message.chat.id)
    meta: dict[str, Any] = {}
    text = clean_text(message.text or "", MAX_TEXT)
    if text.startswith("/"):
        head, _, payload = text.partition(" ")
        command = head[1:].split("@", 1)[0].lower()
        if command in COMMANDS:
            meta = {"command": command}
            if payload.strip():
                meta["payload"] = payload.strip()[:64]
            return Parsed(InboundMessage(CHANNEL, address, text, provider_id, now, meta=meta))
    media = next((kind for kind in MEDIA if getattr(message, kind, None)), None)
    if media is not None:
        meta["kind"] = media
        return Parsed(
            InboundMessage(
                CHANNEL,
                address,
                clean_text(message.caption or "", MAX_TEXT),
                provider_id,
                now,
                media_count=1,
                meta=meta,
            )
        )
    if not text:
        return _ignore("no text")
    return Parsed(InboundMessage(CHANNEL, address, text, provider_id, now))


def _callback(update: Update, provider_id: str, now: datetime) -> Parsed:
    query = update.callback_query
    assert query is not None
    chat = query.message.chat if query.message is not None else None
    if chat is not None and chat.type != "private":
        return Parsed(None, ignored="not a private chat", callback_query_id=query.id)
    address = str(chat.id if chat is not None else query.from_user.id)
    pressed = (chat.id, query.message.message_id) if chat is not None and query.message else None
    data = clean_text(query.data or "", MAX_TEXT)
    meta: dict[str, Any] = {}
    button: tuple[int, str] = STALE
    text = ""
    if data.startswith("age:"):
        _, band, code = [*data.split(":", 2), "", ""][:3]
        meta = {"age_band": band[:16], **({"payload": code[:64]} if code else {})}
        text = band
    elif data.startswith("lang:"):
        meta = {"language": data[5:][:8]}
    else:
        parsed = parse_callback_data(data)
        if parsed is not None:
            button = parsed
        text = button[1]
    special = bool(meta)
    message = InboundMessage(
        CHANNEL, address, text, provider_id, now, button=None if special else button, meta=meta
    )
    return Parsed(message, callback_query_id=query.id, pressed=pressed)

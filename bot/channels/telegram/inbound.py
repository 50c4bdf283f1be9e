"""One Telegram update, from webhook or polling: dispatch it, then stop the button's spinner."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any

from telegram.error import TelegramError

from bot.channels.telegram.updates import parse
from bot.conversation.disclosure import EVENT as SAFEGUARDING_EVENT

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)

ALLOWED_UPDATES = ["message", "callback_query"]


async def handle_update(services: Services, data: dict[str, Any]) -> None:
    parsed = parse(data, services.clock())
    duplicate = False
    if parsed.message is not None:
        result = await asyncio.to_thread(
            services.dispatcher.handle, services.session_factory, parsed.message
        )
        duplicate = result.duplicate
        if result.queued:
            services.outbox.wake()
        if SAFEGUARDING_EVENT in result.events:
            services.alerts.wake()
        log.info(
            "telegram update handled: duplicate=%s queued=%d events=%s",
            duplicate,
            len(result.queued),
            ",".join(result.events),
        )
    else:
        log.info("telegram update ignored: %s", parsed.ignored)
    sender = services.telegram
    if duplicate or sender is None:
        return
    try:
        await sender.ensure_ready()
        if parsed.callback_query_id:
            await sender.bot.answer_callback_query(parsed.callback_query_id)
        if parsed.pressed:
            # A pressed keyboard goes away, so an answered question cannot be answered again.
            chat_id, message_id = parsed.pressed
            await sender.bot.edit_message_reply_markup(
                chat_id=chat_id, message_id=message_id, reply_markup=None
            )
    except TelegramError as exc:  # cosmetic: the answer is already stored
        log.info("telegram callback tidy-up failed: %s", type(exc).__name__)

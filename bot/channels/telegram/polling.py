"""Long polling for local development: the same handling as the webhook, no public URL needed."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import TYPE_CHECKING

from telegram.error import RetryAfter, TelegramError

from bot.channels.telegram.inbound import ALLOWED_UPDATES, handle_update
from bot.channels.telegram.sender import retry_delay

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)


async def poll(services: Services, stop: asyncio.Event, *, timeout: int = 25) -> None:
    sender = services.telegram
    if sender is None:
        raise RuntimeError("polling needs TELEGRAM_BOT_TOKEN")
    offset: int | None = None
    ready = False
    pause = 1.0
    while not stop.is_set():
        try:
            if not ready:
                await sender.ensure_ready()
                # Telegram refuses getUpdates while a webhook is set.
                await sender.bot.delete_webhook(drop_pending_updates=False)
                ready = True
            updates = await sender.bot.get_updates(
                offset=offset, timeout=timeout, allowed_updates=ALLOWED_UPDATES
            )
            pause = 1.0
        except RetryAfter as exc:
            await _sleep(stop, retry_delay(exc).total_seconds())
            continue
        except TelegramError as exc:
            log.warning("telegram polling failed (%s); retrying", type(exc).__name__)
            await _sleep(stop, pause)
            pause = min(pause * 2, 60.0)
            continue
        for update in updates:
            await handle_update(services, update.to_dict())
            offset = update.update_id + 1


async def _sleep(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=seconds)

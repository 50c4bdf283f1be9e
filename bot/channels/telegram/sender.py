"""Sends queued chat messages with ptb; maps Telegram's errors to retry or give up."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import (
    BadRequest,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
)

from bot.channels.base import OutboundMessage, SendResult
from bot.channels.telegram import CHANNEL


def retry_delay(exc: RetryAfter) -> timedelta:
    after = exc.retry_after
    return after if isinstance(after, timedelta) else timedelta(seconds=float(after))


def keyboard(rows: list[list[dict[str, Any]]]) -> InlineKeyboardMarkup | None:
    if not rows:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b["text"], callback_data=b["data"]) for b in row] for row in rows]
    )


class TelegramSender:
    channel = CHANNEL

    def __init__(self, bot: Bot) -> None:
        self.bot = bot
        self._ready = False
        self._lock = asyncio.Lock()

    async def ensure_ready(self) -> None:
        async with self._lock:
            if not self._ready:
                await self.bot.initialize()
                self._ready = True

    async def send(self, message: OutboundMessage) -> SendResult:
        try:
            await self.ensure_ready()
            sent = await self.bot.send_message(
                chat_id=int(message.address),
                text=message.body,  # no parse_mode: nothing a person or a flow wrote is markup
                reply_markup=keyboard(message.meta.get("buttons", [])),
            )
        except RetryAfter as exc:
            return SendResult.retry("429", "flood control", retry_delay(exc))
        except Forbidden as exc:
            # "Blocked by the user" is a STOP in all but name. "Can't initiate conversation" only
            # means they never opened the chat (a CSV-imported id): unreachable, not opted out.
            blocked = "blocked" in str(exc).lower() or "deactivated" in str(exc).lower()
            return SendResult.failed("403", str(exc)[:200], opted_out=blocked)
        except BadRequest as exc:
            return SendResult.failed("400", str(exc)[:200])
        except InvalidToken as exc:
            return SendResult.retry("401", type(exc).__name__)  # an operator's fix, then it goes
        except (NetworkError, TelegramError) as exc:
            return SendResult.retry("network", type(exc).__name__)
        # Telegram's message ids only count within a chat; ours makes them unique without
        # writing the chat id (an identifier) into the message log in plain text.
        return SendResult.sent(f"{message.id}:{sent.message_id}")

    async def close(self) -> None:
        if self._ready:
            await self.bot.shutdown()
            self._ready = False

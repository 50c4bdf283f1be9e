"""The ptb Bot, pointed at Telegram or at any Bot API server (a local one, or a test fake)."""

from __future__ import annotations

from telegram import Bot
from telegram.request import HTTPXRequest

from bot.config import Settings


def make_bot(settings: Settings) -> Bot:
    base = settings.telegram_api_base_url.rstrip("/")
    return Bot(
        settings.telegram_bot_token.get_secret_value(),
        base_url=f"{base}/bot",
        base_file_url=f"{base}/file/bot",
        request=HTTPXRequest(connection_pool_size=16, connect_timeout=10, read_timeout=15),
        # Long polling holds a request open: it needs its own connection and a longer read timeout.
        get_updates_request=HTTPXRequest(connection_pool_size=1, read_timeout=40),
    )

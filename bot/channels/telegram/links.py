"""Links that open the bot: a deep link carries an event's code, for posters and QR codes."""

from __future__ import annotations

from bot.channels.telegram.client import make_bot
from bot.config import Settings


async def bot_username(settings: Settings) -> str:
    """TELEGRAM_BOT_USERNAME, or (when it is not set) the bot's name as Telegram tells it."""
    if settings.telegram_bot_username:
        return settings.telegram_bot_username.lstrip("@")
    async with make_bot(settings) as bot:
        return str((await bot.get_me()).username)


def deep_link(username: str, code: str) -> str:
    return f"https://t.me/{username}?start={code}"

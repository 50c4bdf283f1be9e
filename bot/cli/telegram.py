"""`sendvoice telegram ...`: register the webhook, check the bot, and deep links for posters."""

from __future__ import annotations

import asyncio
import sys
from typing import Any

import click

from bot.config import Settings, get_settings

WEBHOOK_PATH = "/webhooks/telegram"


def _require_token(settings: Settings) -> None:
    if not settings.telegram_configured:
        click.echo("error: set TELEGRAM_BOT_TOKEN first (from BotFather)", err=True)
        sys.exit(2)


async def _with_bot(settings: Settings, action: Any) -> Any:
    from bot.channels.telegram.client import make_bot

    async with make_bot(settings) as bot:
        return await action(bot)


@click.group("telegram")
def telegram_group() -> None:
    """The Telegram bot: webhook registration and checks."""


@telegram_group.command("set-webhook")
@click.option(
    "--drop-pending", is_flag=True, help="Discard updates Telegram queued while we were away."
)
def set_webhook(drop_pending: bool) -> None:
    """Tell Telegram to send updates to PUBLIC_BASE_URL/webhooks/telegram with our secret token."""
    from bot.channels.telegram.inbound import ALLOWED_UPDATES

    settings = get_settings()
    _require_token(settings)
    secret = settings.telegram_webhook_secret.get_secret_value()
    if not secret:
        click.echo("error: set TELEGRAM_WEBHOOK_SECRET first (1-256 of A-Z a-z 0-9 _ -)", err=True)
        sys.exit(2)
    url = settings.public_url(WEBHOOK_PATH)

    async def register(bot: Any) -> bool:
        return bool(
            await bot.set_webhook(
                url=url,
                secret_token=secret,
                allowed_updates=ALLOWED_UPDATES,
                drop_pending_updates=drop_pending,
            )
        )

    asyncio.run(_with_bot(settings, register))
    click.echo(f"webhook set: {url} (updates: {', '.join(ALLOWED_UPDATES)})")


@telegram_group.command("info")
def info() -> None:
    """Show the bot's name and where Telegram sends its updates."""
    settings = get_settings()
    _require_token(settings)

    async def fetch(bot: Any) -> tuple[Any, Any]:
        return await bot.get_me(), await bot.get_webhook_info()

    me, hook = asyncio.run(_with_bot(settings, fetch))
    click.echo(f"bot: @{me.username} ({me.first_name})")
    click.echo(
        f"webhook: {hook.url or '(none: polling)'}; pending updates: {hook.pending_update_count}"
    )
    if hook.last_error_message:
        click.echo(f"last delivery error: {hook.last_error_message}")

"""`sendvoice events qr`: a QR code for a poster, linking young people to an event on Telegram."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import click

from bot.channels.telegram.links import bot_username, deep_link
from bot.cli.db import open_database
from bot.config import get_settings
from bot.followups.poster import write_qr
from storage import events as events_repo


@click.command("qr")
@click.argument("event_id", type=int)
@click.option(
    "--out",
    "out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="Where to write the picture (.png or .svg).",
)
def qr(event_id: int, out: Path) -> None:
    """Write a QR code that opens the bot at EVENT's questions (a Telegram deep link)."""
    settings = get_settings()
    with open_database(settings) as session_factory, session_factory() as session:
        event = events_repo.get(session, event_id)
        if event is None:
            click.echo(f"error: no event {event_id}", err=True)
            sys.exit(2)
        code, title = event.code, event.title
    if not settings.telegram_configured and not settings.telegram_bot_username:
        click.echo("error: set TELEGRAM_BOT_USERNAME (or TELEGRAM_BOT_TOKEN)", err=True)
        sys.exit(2)
    if out.suffix.lower() not in (".png", ".svg"):
        click.echo("error: --out must end in .png or .svg", err=True)
        sys.exit(2)
    link = deep_link(asyncio.run(bot_username(settings)), code)
    write_qr(link, out)
    click.echo(f"QR code for '{title}' written to {out}")
    click.echo(link)

"""The `sendvoice` command."""

from __future__ import annotations

import asyncio
import logging
import sys

import click

from bot.cli.lazy import LazyGroup
from bot.config import get_settings
from bot.logs import configure_logging

# Each subcommand is imported when it runs, not at every start (bot/cli/lazy.py).
SUBCOMMANDS = {
    "doctor": "bot.cli.doctor:doctor",
    "events": "bot.cli.events:events_group",
    "export": "bot.cli.export:export_command",
    "flows": "bot.cli.flows:flows_group",
    "officers": "bot.cli.officers:officers_group",
    "privacy": "bot.cli.privacy:privacy_group",
    "publish": "bot.cli.publish:publish_command",
    "safeguarding": "bot.cli.safeguarding:safeguarding_group",
    "scheduler": "bot.cli.scheduler:scheduler_group",
    "telegram": "bot.cli.telegram:telegram_group",
    "themes": "bot.cli.themes:themes_group",
    "whatsapp": "bot.cli.whatsapp:whatsapp_group",
}


@click.group(cls=LazyGroup, lazy_commands=SUBCOMMANDS)
@click.version_option(package_name="sendvoice")
def main() -> None:
    """sendvoice: hear from SEND families by SMS and chat."""
    configure_logging(get_settings().log_level)


@main.command()
@click.option(
    "--flow", "flow_id", default="post_event", show_default=True, help="Which flow to run."
)
@click.option("--lang", type=click.Choice(["en", "cy"]), default="en", show_default=True)
@click.option(
    "--channel",
    "style",
    type=click.Choice(["sms", "chat"]),
    default="sms",
    show_default=True,
    help="Show messages as SMS (numbered options, segment count) or chat (buttons).",
)
@click.option(
    "--name",
    default=None,
    help="The person's name, as an attendee list gives it; texts greet them.",
)
@click.option(
    "--event", "event_name", default="the Preparing for Adulthood workshop", show_default=True
)
def demo(flow_id: str, lang: str, style: str, name: str | None, event_name: str) -> None:
    """Try a flow in the terminal; answers are stored in the database (SQLite by default)."""
    settings = get_settings()
    if settings.log_level.upper() != "DEBUG":
        # The terminal is the conversation: operational logs would interleave with the messages.
        logging.getLogger().setLevel(logging.WARNING)
    from bot.cli.demo import run_demo
    from bot.cli.library import library_or_exit

    library = library_or_exit()
    if flow_id not in library:
        raise click.BadParameter(
            f"no flow '{flow_id}'; known: {', '.join(f.id for f in library)}", param_hint="--flow"
        )
    interactive = sys.stdin.isatty()
    if interactive:
        click.echo("Type your replies. Try HELP, BACK, REPEAT or SKIP. Ctrl-D to leave.\n")

    def write(text: str) -> None:
        click.echo(text, nl=False)

    code = asyncio.run(
        run_demo(
            library,
            settings,
            flow_id=flow_id,
            language=lang,
            style=style,  # type: ignore[arg-type]
            stdin=sys.stdin,
            write=write,
            name=name,
            event_name=event_name,
            echo=not interactive,
            interactive=interactive,
        )
    )
    sys.exit(code)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option(
    "--scheduler/--no-scheduler",
    "run_scheduler",
    default=True,
    show_default=True,
    help="Run the follow-up jobs in this process (turn off where `sendvoice scheduler` runs).",
)
@click.option(
    "--telegram-polling",
    is_flag=True,
    help="Fetch Telegram updates by long polling (local development; no public URL).",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Web processes. Above 1, webhooks and the dashboard run in that many processes and "
    "delivery (outbox, alerts, scheduler) stays in this one, so provider rate limits are "
    "counted in one place.",
)
def serve(host: str, port: int, run_scheduler: bool, telegram_polling: bool, workers: int) -> None:
    """Run the web app (webhooks, dashboard, health check) with the outbox worker."""
    from bot.cli.db import open_services, warn_at_start
    from bot.web.serving import serve_many, serve_one

    if telegram_polling and workers > 1:
        click.echo("error: --telegram-polling runs in one process; leave out --workers", err=True)
        sys.exit(2)
    settings = get_settings()
    services = open_services(settings)
    warn_at_start(services)
    if telegram_polling and services.telegram is None:
        click.echo("error: --telegram-polling needs TELEGRAM_BOT_TOKEN", err=True)
        services.close()
        sys.exit(2)
    try:
        if workers > 1:
            serve_many(services, host, port, workers=workers, run_scheduler=run_scheduler)
        else:
            serve_one(
                services, host, port, run_scheduler=run_scheduler, telegram_polling=telegram_polling
            )
    finally:
        services.close()


@main.group()
def db() -> None:
    """Database schema."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Apply every pending migration to DATABASE_URL."""
    from storage.migrate import upgrade

    settings = get_settings()
    upgrade(settings.database_url, keys=settings.encryption_keys())
    click.echo("database schema is up to date")


@db.command("check")
def db_check() -> None:
    """Exit non-zero unless the schema matches this version of sendvoice."""
    from storage.db import make_engine
    from storage.errors import SchemaOutOfDate
    from storage.migrate import check_schema

    engine = make_engine(get_settings().database_url)
    try:
        check_schema(engine)
    except SchemaOutOfDate as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    finally:
        engine.dispose()
    click.echo("database schema is up to date")

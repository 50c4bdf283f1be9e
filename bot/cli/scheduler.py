"""`sendvoice scheduler`: the follow-up jobs on their own, or one pass for cron and simulations."""

from __future__ import annotations

import asyncio
import signal
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import click

from bot.config import Settings, get_settings
from bot.services import Services


def _services(settings: Settings, now: datetime | None = None) -> Services:
    from bot.cli.db import open_services
    from bot.clock import FrozenClock, system_clock

    return open_services(settings, FrozenClock(now) if now else system_clock)


def parse_now(value: str | None, zone: str) -> datetime | None:
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter(
            "expected an ISO time such as 2026-03-14T10:00", param_hint="--now"
        ) from exc
    return (
        parsed.replace(tzinfo=ZoneInfo(zone)) if parsed.tzinfo is None else parsed.astimezone(UTC)
    )


@click.group("scheduler", invoke_without_command=True)
@click.pass_context
def scheduler_group(ctx: click.Context) -> None:
    """Run the follow-up jobs (due requests, reminders, expiry, housekeeping) until stopped."""
    if ctx.invoked_subcommand is not None:
        return
    from bot.cli.db import warn_at_start
    from bot.delivery.loops import delivery

    services = _services(get_settings())
    warn_at_start(services)

    async def run() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        async with delivery(services, scheduler=True, stop_timeout=None):
            click.echo("scheduler running; Ctrl-C to stop", err=True)
            await stop.wait()
        await services.aclose()

    try:
        asyncio.run(run())
    finally:
        services.close()


@scheduler_group.command("tick")
@click.option(
    "--now",
    "now_text",
    default=None,
    help="Pretend it is this time (ISO; local time if no offset) to simulate a date.",
)
def tick(now_text: str | None) -> None:
    """One pass of due work, then deliver what it queued, and exit (for cron, or to simulate)."""
    from bot.followups.runner import FollowUpRunner

    settings = get_settings()
    now = parse_now(now_text, settings.default_timezone)
    services = _services(settings, now)
    try:
        runner = FollowUpRunner(services)
        expired = runner.expire_due()
        report = runner.run_due()
        cancelled = runner.housekeeping()
        delivery = asyncio.run(services.outbox.deliver_due())
        alerted = services.alerts.deliver_due()
        asyncio.run(services.aclose())
    finally:
        services.close()
    click.echo(
        f"follow-ups: {report.sent} sent, {report.postponed} postponed, {report.held} held, "
        f"{report.skipped} skipped, {report.cancelled + cancelled} cancelled, "
        f"{report.expired} expired"
    )
    for reason, count in sorted(report.reasons.items()):
        click.echo(f"  {count} x {reason}")
    click.echo(f"conversations expired: {expired}")
    click.echo(f"safeguarding alerts emailed: {alerted}")
    click.echo(
        f"messages: {delivery.sent} sent, {delivery.retried} to retry, "
        f"{delivery.failed} failed, {delivery.cancelled} cancelled"
    )

"""`sendvoice scheduler`: the follow-up jobs on their own, one pass for cron, or a preview of what
they would do at another time (which changes nothing and sends nothing)."""

from __future__ import annotations

import asyncio
import signal
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import click

from bot.config import Settings, get_settings
from bot.services import Services


def _services(settings: Settings) -> Services:
    from bot.cli.db import open_services

    return open_services(settings)


def parse_time(value: str, zone: str, option: str = "--at") -> datetime:
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter(
            "expected an ISO time such as 2026-03-14T10:00", param_hint=option
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
@click.option("--now", "now_text", default=None, hidden=True)
def tick(now_text: str | None) -> None:
    """One pass of due work now, then deliver what it queued, and exit (for cron)."""
    from bot.followups.runner import FollowUpRunner

    if now_text is not None:
        # It used to pretend: it sent for real and wrote the pretend time into live records.
        raise click.UsageError(
            "tick always runs at the real time. To see what would happen at another time, "
            "without changing or sending anything: sendvoice scheduler preview --at TIME"
        )
    settings = get_settings()
    services = _services(settings)
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


@scheduler_group.command("preview")
@click.option(
    "--at",
    "at_text",
    required=True,
    help="The time to look at (ISO, such as 2026-03-16T09:05; local time if no offset).",
)
@click.option(
    "--show",
    default=20,
    show_default=True,
    type=click.IntRange(min=0),
    help="Pseudonyms listed per line at most.",
)
def preview_command(at_text: str, show: int) -> None:
    """What the follow-up jobs would do at a time: per event, what would be sent, wait or be
    skipped, and for whom (pseudonyms). Changes nothing and sends nothing."""
    from bot.cli.db import require_cipher, require_current_schema
    from bot.clock import FrozenClock
    from bot.followups.preview import preview
    from bot.services import build_services

    settings = get_settings()
    at = parse_time(at_text, settings.default_timezone)
    require_cipher(settings)
    require_current_schema(settings)
    services = build_services(settings, clock=FrozenClock(at), senders={})
    try:
        seen = preview(services, at)
    finally:
        services.close()
    local = at.astimezone(ZoneInfo(settings.default_timezone))
    click.echo(
        f"At {local:%Y-%m-%d %H:%M} ({settings.default_timezone}), the scheduler would do this. "
        "This is a preview: nothing was changed and nothing was sent."
    )
    report = seen.report
    click.echo(
        f"follow-ups: {report.sent} to send, {report.postponed} to wait, "
        f"{report.skipped} to skip, {report.cancelled} to cancel, {report.expired} expired"
    )
    event = None
    for group in seen.groups:
        if group.event_id != event:
            event = group.event_id
            click.echo(f"event {group.event_id}, {group.event_title}:")
        what = _PREVIEW_WORDS.get(group.outcome, group.outcome)
        reason = f" ({group.reason})" if group.reason and group.reason != "sent" else ""
        names = ", ".join(group.pseudonyms[:show])
        more = len(group.pseudonyms) - show
        if more > 0:
            names += f" and {more} more"
        click.echo(f"  {group.kind}: {len(group.pseudonyms)} {what}{reason}: {names}")
    click.echo(f"conversations that would expire: {seen.conversations_expired}")
    click.echo(f"messages that would be queued: {seen.messages_queued}")


_PREVIEW_WORDS = {
    "sent": "would be sent",
    "postponed": "would wait",
    "skipped": "would be skipped",
    "cancelled": "would be cancelled",
    "expired": "would expire",
}

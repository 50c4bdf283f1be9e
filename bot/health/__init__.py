"""Health: is this deployment set up to work? Used by `sendvoice doctor`, `/healthz`, `serve`'s
start-up warnings and the admins' banner, so all four say the same thing.

Nothing here calls Twilio, Telegram or the mail server: settings are checked for shape, and the
database is checked for real.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterable
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine

from bot.config import Settings
from bot.health.check import Check, failures, problems
from bot.health.database import DATABASE, database_checks
from bot.health.settings import cipher_for, flows, settings_checks

__all__ = [
    "DATABASE",
    "Check",
    "checks",
    "configured_channels",
    "failures",
    "log_problems",
    "problems",
]


def configured_channels(settings: Settings) -> set[str]:
    """The channels a service built from these settings can send on (as bot.services builds them)."""
    found = set()
    if settings.twilio_configured:
        found.add("sms")
    if settings.telegram_configured:
        found.add("telegram")
    if settings.whatsapp_configured:
        found.add("whatsapp")
    return found


def checks(
    settings: Settings,
    engine: Engine | None = None,
    *,
    sendable: Collection[str] | None = None,
    now: datetime | None = None,
    with_flows: bool = False,
) -> list[Check]:
    """Every check; the database ones only with an engine. `sendable` defaults to the channels
    the settings turn on; `now` is the service's clock (for how late an alert is); `with_flows`
    loads the flows too (a running service has already loaded them)."""
    found = settings_checks(settings)
    if with_flows:
        found.append(flows(settings))
    if engine is not None:
        found += database_checks(
            engine,
            cipher_for(settings),
            sendable=configured_channels(settings) if sendable is None else sendable,
            now=now or datetime.now(UTC),
            read_within=timedelta(hours=settings.read_within_hours),
        )
    return found


def log_problems(found: Iterable[Check], logger: logging.Logger) -> int:
    """One warning per problem (summaries hold no secrets or numbers); how many there were."""
    listed = problems(found)
    for check in listed:
        logger.warning(
            "%s %s: %s; fix: %s", check.level.upper(), check.name, check.summary, check.fix
        )
    return len(listed)

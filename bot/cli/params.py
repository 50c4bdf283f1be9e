"""Command-line values an officer types: durations, local times, event kinds."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import click

from bot.config import get_settings
from bot.followups.event_plans import local_time
from flows.loader.flowfile import parse_duration
from storage.events import KINDS

_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise click.UsageError(
            f"DEFAULT_TIMEZONE is {name!r}, which is not a time zone (try Europe/London)"
        ) from None


class Duration(click.ParamType[timedelta]):
    name = "duration"

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> timedelta:
        if isinstance(value, timedelta):
            return value
        try:
            return parse_duration(str(value))
        except (ValueError, OverflowError):
            self.fail(
                f"{value!r} is not a duration; use a number and m, h, d or w, like 30m, 24h, 7d, 2w",
                param,
                ctx,
            )


class LocalDateTime(click.ParamType[datetime]):
    """ISO 8601 with an offset or Z; without one, the time on the council's clocks."""

    name = "time"

    def __init__(self, timezone: str | None = None) -> None:
        self.timezone = timezone  # None: DEFAULT_TIMEZONE, read when the command runs

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> datetime:
        if isinstance(value, datetime):
            return value
        text = str(value).strip()
        if _DATE_ONLY.match(text):
            self.fail(f"{text!r} has no time of day; give one, like {text}T10:00", param, ctx)
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            self.fail(f"{text!r} is not a date and time, like 2026-03-14T10:00", param, ctx)
        if parsed.tzinfo is not None:
            return parsed.astimezone(UTC)
        try:
            tz = zone(self.timezone or get_settings().default_timezone)
            return local_time(parsed, tz).astimezone(UTC)
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


def _kind_word(value: str) -> str:
    return "_".join(value.strip().lower().replace("-", " ").replace("_", " ").split())


class EventKind(click.ParamType[str]):
    """One of storage.events.KINDS, however it is spelt: "coffee morning", "EHC-plan-review"."""

    name = "kind"

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> str:
        kind = _kind_word(str(value))
        if kind not in KINDS:
            self.fail(
                f"{value!r} is not a kind of event; use one of {', '.join(KINDS)}", param, ctx
            )
        return kind

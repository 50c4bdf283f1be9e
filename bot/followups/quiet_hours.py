"""Quiet hours in each person's own time zone: nobody is texted at 11 pm."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_ZONE = "Europe/London"


def zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or DEFAULT_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_ZONE)


def parse_clock(value: str) -> time:
    hours, _, minutes = value.strip().partition(":")
    return time(int(hours), int(minutes or 0))


def quiet_until(now: datetime, zone_name: str | None, start: time, end: time) -> datetime | None:
    """None when `now` is outside the quiet window; otherwise the UTC moment the window ends."""
    tz = zone(zone_name)
    local = now.astimezone(tz)
    t = local.time()
    overnight = start > end
    quiet = (t >= start or t < end) if overnight else (start <= t < end)
    if not quiet or start == end:
        return None
    day = local.date()
    if overnight and t >= start:
        day += timedelta(days=1)
    # Built in local time, so the window ends at 09:00 on the clock on the wall, DST or not.
    return datetime.combine(day, end, tzinfo=tz).astimezone(UTC)

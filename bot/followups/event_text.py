"""Events in words for officers: local times, durations, the follow-up plan."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from storage.followups import planned_times
from storage.models import Event

_UNITS = (("week", 7 * 24 * 3600), ("day", 24 * 3600), ("hour", 3600), ("minute", 60))


def duration_words(seconds: int) -> str:
    """172800 -> '2 days'; the largest unit that divides evenly, so nothing is rounded away."""
    for unit, size in _UNITS:
        if seconds >= size and seconds % size == 0:
            n = seconds // size
            return f"{n} {unit}{'s' if n != 1 else ''}"
    return f"{seconds} seconds"


def local(moment: datetime, tz: ZoneInfo) -> str:
    return moment.astimezone(tz).strftime("%Y-%m-%d %H:%M")


def span(event: Event, tz: ZoneInfo) -> str:
    start, end = event.starts_at.astimezone(tz), event.ends_at.astimezone(tz)
    until = end.strftime("%H:%M") if end.date() == start.date() else local(end, tz)
    return f"{local(start, tz)} to {until} ({tz.key})"


def plan_words(event: Event, tz: ZoneInfo) -> list[str]:
    times = planned_times(event)
    delay = event.followup_delay_s
    after = f"{duration_words(delay)} after the event ends" if delay else "as soon as it ends"
    lines = [f"first request {after}, {local(times['initial'], tz)}"]
    reminders = [
        (seconds, times[kind])
        for seconds, kind in (
            (event.reminder_1_s, "reminder_1"),
            (event.reminder_2_s, "reminder_2"),
        )
        if seconds
    ]
    if reminders:
        lines.append(
            "reminders to anyone who has not answered: "
            + "; ".join(f"{duration_words(s)} later, {local(due, tz)}" for s, due in reminders)
        )
    else:
        lines.append("no reminders")
    lines.append(f"each request stays open for {duration_words(event.request_expires_s)}")
    return lines

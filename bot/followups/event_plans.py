"""Events and their follow-up plans as officers change them, from the command line or the dashboard.

Both front ends parse what the officer typed their own way and call these; the rules (and the words
that explain a refusal) are the same wherever the event was made.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bot.followups.event_text import duration_words
from flows.library import FlowLibrary
from storage import events, followups
from storage.models import Event

DEFAULT_REMINDERS = (timedelta(hours=48), timedelta(days=7))
CANCELLED_REASON = "the event was cancelled"


class PlanProblem(ValueError):
    """What the officer asked for cannot be done; `field` names what to change."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class EventDetails:
    title: str
    kind: str
    starts_at: datetime
    ends_at: datetime
    flow_id: str
    area: str | None = None
    location: str | None = None
    followup_delay: timedelta = timedelta(hours=24)
    reminders: tuple[timedelta, ...] = DEFAULT_REMINDERS
    request_expires: timedelta = timedelta(days=14)
    title_cy: str | None = None  # what Welsh readers see; the title when None


def local_time(naive: datetime, tz: ZoneInfo) -> datetime:
    """A wall-clock time in `tz`; ValueError for a time the clocks skip in spring."""
    aware = naive.replace(tzinfo=tz)
    if aware.astimezone(UTC).astimezone(tz).replace(tzinfo=None) != naive:
        raise ValueError(
            f"{naive:%Y-%m-%d %H:%M} does not exist in {tz.key}: the clocks go forward"
        )
    return aware


def chosen_reminders(
    reminders: Sequence[timedelta], none: bool, expires: timedelta
) -> tuple[timedelta, ...]:
    """The reminders asked for; the usual two when none were named (unless `none`)."""
    if none:
        return ()
    if not reminders:
        return DEFAULT_REMINDERS
    if len(reminders) > events.MAX_REMINDERS:
        raise PlanProblem(
            "reminder", f"at most {events.MAX_REMINDERS} reminders, not {len(reminders)}"
        )
    for reminder in reminders:
        if reminder >= expires:
            raise PlanProblem(
                "reminder",
                f"a reminder {duration_words(int(reminder.total_seconds()))} after the first "
                f"request would come after it expires ({duration_words(int(expires.total_seconds()))}"
                "; see --expires)",
            )
    return tuple(reminders)


def check_flow(flow_id: str, library: FlowLibrary) -> None:
    if flow_id not in library:
        known = ", ".join(f.id for f in library)
        raise PlanProblem("flow", f"no flow {flow_id!r}; known: {known}")


def _fields(details: EventDetails) -> dict[str, object]:
    return {
        "title": details.title,
        "title_cy": (details.title_cy or "").strip() or None,
        "kind": details.kind,
        "starts_at": details.starts_at,
        "ends_at": details.ends_at,
        "flow_id": details.flow_id,
        "location": details.location or None,
        "area": details.area or None,
        "followup_delay": details.followup_delay,
        "reminders": details.reminders,
        "request_expires": details.request_expires,
    }


def create(session: Session, details: EventDetails, now: datetime) -> Event:
    try:
        return events.create(session, **_fields(details), now=now)  # type: ignore[arg-type]
    except ValueError as exc:
        raise PlanProblem("", str(exc)) from None


def edit(session: Session, event: Event, details: EventDetails, now: datetime) -> list[str]:
    """Change the event; what is still to be sent moves to the new plan's times. The names of
    the event's fields that changed."""
    if event.cancelled_at is not None:
        raise PlanProblem("", "this event was cancelled: it cannot be changed")
    try:
        changed = events.update(session, event, **_fields(details), now=now)  # type: ignore[arg-type]
    except ValueError as exc:
        raise PlanProblem("", str(exc)) from None
    if changed:
        followups.retime(session, event, now)
        # A reminder added to the plan is planned for everyone who agreed to be contacted.
        followups.plan_many(session, event, consenting(session, event), now)
    return changed


def consenting(session: Session, event: Event) -> list[int]:
    return [a.contact_id for a in events.attendees(session, event.id) if a.consent]


def cancel(session: Session, event: Event, now: datetime) -> int:
    """The event is off: nothing more is sent for it; how many requests were cancelled.
    Conversations already under way carry on, so nobody is cut off mid-answer."""
    if event.cancelled_at is not None:
        return 0
    event.cancelled_at = now
    event.updated_at = now
    return followups.cancel_for_event(session, event.id, CANCELLED_REASON, now)


def pause(session: Session, event: Event, now: datetime) -> bool:
    """Hold every request of the event's plan; False if it was already paused."""
    if event.cancelled_at is not None:
        raise PlanProblem("", "this event was cancelled: there is nothing to pause")
    if event.paused_at is not None:
        return False
    event.paused_at = now
    event.updated_at = now
    session.flush()
    return True


def resume(session: Session, event: Event, now: datetime) -> bool:
    """Let the plan run again: whatever fell due while paused goes on the next pass."""
    if event.paused_at is None:
        return False
    event.paused_at = None
    event.updated_at = now
    session.flush()
    return True

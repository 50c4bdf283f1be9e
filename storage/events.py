"""Events and who attended them; the follow-up rows themselves live in `storage.followups`."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy import update as sql_update
from sqlalchemy.orm import Session

from storage import dialect
from storage.models import Attendee, Contact, Event, FollowUp

KINDS = (
    "workshop",
    "coffee_morning",
    "parent_panel",
    "focus_group",
    "ehc_plan_review",
    "consultation",
    "information_session",
    "other",
)
FOLLOWUP_STATUSES = ("pending", "held", "sent", "skipped", "cancelled", "expired")
MAX_REMINDERS = 2
LONGEST = timedelta(days=366)
# Column widths in models.Event: PostgreSQL refuses longer values, SQLite would keep them.
_LIMITS = {"title": 200, "title_cy": 200, "location": 200, "area": 64, "flow_id": 64}


def _seconds(value: timedelta) -> int:
    return int(value.total_seconds())


def _check(
    *,
    title: str,
    kind: str,
    starts_at: datetime,
    ends_at: datetime,
    texts: dict[str, str | None],
    followup_delay: timedelta,
    reminders: Sequence[timedelta],
    request_expires: timedelta,
) -> None:
    if not title.strip():
        raise ValueError("an event needs a title")
    if kind not in KINDS:
        raise ValueError(f"unknown event kind {kind!r}; expected one of {', '.join(KINDS)}")
    for name, value in texts.items():
        if value is not None and len(value) > _LIMITS[name]:
            raise ValueError(f"{name} is longer than {_LIMITS[name]} characters")
    if starts_at.utcoffset() is None or ends_at.utcoffset() is None:
        raise ValueError("event times must be timezone-aware")
    if ends_at <= starts_at:
        raise ValueError("the event must end after it starts")
    if followup_delay < timedelta(0):
        raise ValueError("the follow-up delay cannot be negative")
    # Stored as seconds in 32-bit columns; a plan longer than a year is surely a typing slip.
    if followup_delay > LONGEST or request_expires > LONGEST:
        raise ValueError("the follow-up delay and how long requests stay open are a year at most")
    if len(reminders) > MAX_REMINDERS:
        raise ValueError(f"at most {MAX_REMINDERS} reminders, not {len(reminders)}")
    if any(r <= timedelta(0) for r in reminders):
        raise ValueError("a reminder must come some time after the first request")
    if len(set(reminders)) != len(reminders):
        raise ValueError("two reminders at the same time would send the same reminder twice")
    if request_expires <= timedelta(0):
        raise ValueError("a request must stay open for some time")
    # A reminder after the request expired would ask for answers nobody can give any more.
    if any(r >= request_expires for r in reminders):
        raise ValueError("every reminder must come before the request expires")


def create(
    session: Session,
    *,
    title: str,
    kind: str,
    starts_at: datetime,
    ends_at: datetime,
    flow_id: str,
    title_cy: str | None = None,
    location: str | None = None,
    area: str | None = None,
    followup_delay: timedelta = timedelta(hours=24),
    reminders: Sequence[timedelta] = (timedelta(hours=48), timedelta(days=7)),
    request_expires: timedelta = timedelta(days=14),
    now: datetime,
) -> Event:
    """A new event; reminders count from the first request and are stored earliest first."""
    columns = _columns(
        title=title,
        title_cy=title_cy,
        kind=kind,
        starts_at=starts_at,
        ends_at=ends_at,
        flow_id=flow_id,
        location=location,
        area=area,
        followup_delay=followup_delay,
        reminders=reminders,
        request_expires=request_expires,
    )
    event = Event(**columns, created_at=now, updated_at=now)
    session.add(event)
    session.flush()
    return event


def _columns(
    *,
    title: str,
    title_cy: str | None,
    kind: str,
    starts_at: datetime,
    ends_at: datetime,
    flow_id: str,
    location: str | None,
    area: str | None,
    followup_delay: timedelta,
    reminders: Sequence[timedelta],
    request_expires: timedelta,
) -> dict[str, Any]:
    """An event's columns, checked: the one rule for a new event and a changed one."""
    _check(
        title=title,
        kind=kind,
        starts_at=starts_at,
        ends_at=ends_at,
        texts={
            "title": title,
            "title_cy": title_cy,
            "location": location,
            "area": area,
            "flow_id": flow_id,
        },
        followup_delay=followup_delay,
        reminders=reminders,
        request_expires=request_expires,
    )
    ordered = sorted(reminders)
    return {
        "title": title.strip(),
        "title_cy": (title_cy or "").strip() or None,
        "kind": kind,
        "starts_at": starts_at,
        "ends_at": ends_at,
        "flow_id": flow_id,
        "location": location,
        "area": area,
        "followup_delay_s": _seconds(followup_delay),
        "reminder_1_s": _seconds(ordered[0]) if ordered else None,
        "reminder_2_s": _seconds(ordered[1]) if len(ordered) > 1 else None,
        "request_expires_s": _seconds(request_expires),
    }


def update(
    session: Session,
    event: Event,
    *,
    title: str,
    kind: str,
    starts_at: datetime,
    ends_at: datetime,
    flow_id: str,
    location: str | None,
    area: str | None,
    followup_delay: timedelta,
    reminders: Sequence[timedelta],
    request_expires: timedelta,
    now: datetime,
    title_cy: str | None = None,
) -> list[str]:
    """Change an event, checked as `create` checks a new one; the names of what changed.
    What is still to be sent is re-timed by the caller (storage.followups.retime)."""
    wanted = _columns(
        title=title,
        title_cy=title_cy,
        kind=kind,
        starts_at=starts_at,
        ends_at=ends_at,
        flow_id=flow_id,
        location=location,
        area=area,
        followup_delay=followup_delay,
        reminders=reminders,
        request_expires=request_expires,
    )
    changed = [name for name, value in wanted.items() if getattr(event, name) != value]
    for name in changed:
        setattr(event, name, wanted[name])
    if changed:
        event.updated_at = now
        session.flush()
    return changed


def rename(
    session: Session,
    event: Event,
    *,
    title: str | None = None,
    title_cy: str | None = None,
    location: str | None = None,
    area: str | None = None,
    now: datetime,
) -> Event:
    """Change what an event is called or where it is; None leaves a field, "" clears an optional
    one. Requests already sent keep the name they were sent with."""
    changes = {"title": title, "title_cy": title_cy, "location": location, "area": area}
    if title is not None and not title.strip():
        raise ValueError("an event needs a title")
    for name, value in changes.items():
        if value is not None and len(value) > _LIMITS[name]:
            raise ValueError(f"{name} is longer than {_LIMITS[name]} characters")
    for name, value in changes.items():
        if value is not None:
            setattr(event, name, value.strip() or (None if name != "title" else event.title))
    event.updated_at = now
    session.flush()
    return event


def names(event: Event) -> dict[str, str]:
    """The event's name for a flow's `{event_name}`, with the Welsh one where there is one."""
    found = {"event_name": event.title}
    if event.title_cy:
        found["event_name_cy"] = event.title_cy
    return found


def name_in(event: Event, language: str) -> str:
    return (language == "cy" and event.title_cy) or event.title


def get(session: Session, event_id: int) -> Event | None:
    return session.get(Event, event_id)


def by_code(session: Session, code: str) -> Event | None:
    return session.scalars(select(Event).where(Event.code == code)).one_or_none()


def list_all(session: Session) -> list[Event]:
    """Latest event first: the one an officer is working on is usually the most recent."""
    return list(session.scalars(select(Event).order_by(Event.starts_at.desc(), Event.id.desc())))


def attendees(session: Session, event_id: int) -> list[Attendee]:
    return list(
        session.scalars(select(Attendee).where(Attendee.event_id == event_id).order_by(Attendee.id))
    )


def attending_contact_ids(session: Session, event_id: int) -> set[int]:
    return set(session.scalars(select(Attendee.contact_id).where(Attendee.event_id == event_id)))


def add_attendee(
    session: Session,
    event: Event,
    contact: Contact,
    *,
    role: str,
    consent: bool,
    source: str,
    now: datetime,
) -> tuple[Attendee, bool]:
    """The person's attendance, recorded once however often they are added; True if new."""
    attendee_id = session.execute(
        dialect.insert(session, Attendee)
        .values(
            event_id=event.id,
            contact_id=contact.id,
            role=role,
            consent=consent,
            source=source,
            created_at=now,
        )
        .on_conflict_do_nothing(index_elements=["event_id", "contact_id"])
        .returning(Attendee.id)
    ).scalar_one_or_none()
    if attendee_id is not None:
        return session.get_one(Attendee, attendee_id), True
    existing = session.scalars(
        select(Attendee).where(Attendee.event_id == event.id, Attendee.contact_id == contact.id)
    ).one()
    return existing, False


def add_attendees(
    session: Session,
    event: Event,
    people: Sequence[tuple[int, str]],
    *,
    consent: bool,
    source: str,
    now: datetime,
) -> int:
    """`add_attendee` for many (contact id, role) pairs in one statement; how many were new."""
    if not people:
        return 0
    rows = [
        {
            "event_id": event.id,
            "contact_id": contact_id,
            "role": role,
            "consent": consent,
            "source": source,
            "created_at": now,
        }
        for contact_id, role in people
    ]
    statement = (
        dialect.insert(session, Attendee)
        .on_conflict_do_nothing(index_elements=["event_id", "contact_id"])
        .returning(Attendee.id)
    )
    return len(session.execute(statement, rows).all())


def followup_rows(
    session: Session,
    event_id: int,
    *,
    statuses: Collection[str] = (),
    limit: int | None = None,
) -> list[tuple[FollowUp, str]]:
    """The schedule with each person's pseudonym (never their name or number), earliest first."""
    query = (
        select(FollowUp, Contact.pseudonym)
        .join(Contact, Contact.id == FollowUp.contact_id)
        .where(FollowUp.event_id == event_id)
        .order_by(FollowUp.due_at, FollowUp.contact_id, FollowUp.id)
    )
    if statuses:
        query = query.where(FollowUp.status.in_(list(statuses)))
    if limit is not None:
        query = query.limit(limit)
    return [(row, pseudonym) for row, pseudonym in session.execute(query)]


def counts(session: Session, event_id: int) -> dict[str, int]:
    """{"attendees": n, "pending": n, "sent": n, ...}: every follow-up status, zeros included."""
    return counts_by_event(session, [event_id])[event_id]


def counts_by_event(session: Session, event_ids: Sequence[int]) -> dict[int, dict[str, int]]:
    """`counts` for many events in two queries (the events list shows them all)."""
    result = {
        event_id: {"attendees": 0, **dict.fromkeys(FOLLOWUP_STATUSES, 0)} for event_id in event_ids
    }
    if not result:
        return result
    ids = list(result)
    for event_id, n in session.execute(
        select(Attendee.event_id, func.count())
        .where(Attendee.event_id.in_(ids))
        .group_by(Attendee.event_id)
    ):
        result[event_id]["attendees"] = n
    for event_id, status, n in session.execute(
        select(FollowUp.event_id, FollowUp.status, func.count())
        .where(FollowUp.event_id.in_(ids))
        .group_by(FollowUp.event_id, FollowUp.status)
    ):
        result[event_id][status] = n
    return result


def set_consent(
    session: Session, event_id: int, contact_ids: Collection[int], consent: bool
) -> list[int]:
    """Record what the latest attendee list says about agreeing to be contacted; the people
    whose answer changed."""
    if not contact_ids:
        return []
    changed = list(
        session.scalars(
            sql_update(Attendee)
            .where(
                Attendee.event_id == event_id,
                Attendee.contact_id.in_(list(contact_ids)),
                Attendee.consent.is_not(consent),
            )
            .values(consent=consent)
            .returning(Attendee.contact_id)
        )
    )
    return changed

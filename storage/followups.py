"""The follow-up schedule: one row per request per person, claimed by schedulers when due."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from storage import dialect
from storage.db import is_postgres
from storage.models import Event, FollowUp

KINDS = ("initial", "reminder_1", "reminder_2")
OPEN = ("pending", "claimed")


def planned_times(event: Event) -> dict[str, datetime]:
    """When each request of the event's plan falls due; reminders count from the first request."""
    initial = event.ends_at + timedelta(seconds=event.followup_delay_s)
    times = {"initial": initial}
    if event.reminder_1_s:
        times["reminder_1"] = initial + timedelta(seconds=event.reminder_1_s)
    if event.reminder_2_s:
        times["reminder_2"] = initial + timedelta(seconds=event.reminder_2_s)
    return times


def plan(session: Session, event: Event, contact_id: int, now: datetime) -> int:
    """Add the event's follow-up rows for one person; rows already planned are left alone."""
    added = 0
    for kind, due in planned_times(event).items():
        inserted = session.execute(
            dialect.insert(session, FollowUp)
            .values(
                event_id=event.id,
                contact_id=contact_id,
                flow_id=event.flow_id,
                kind=kind,
                due_at=due,
                status="pending",
                created_at=now,
                updated_at=now,
            )
            .on_conflict_do_nothing(index_elements=["event_id", "contact_id", "kind"])
            .returning(FollowUp.id)
        ).scalar_one_or_none()
        added += inserted is not None
    return added


def claim_due(session: Session, now: datetime, *, limit: int, lease: timedelta) -> list[FollowUp]:
    """Due rows for this worker alone: pending, or claimed by a worker whose lease ran out."""
    query = (
        select(FollowUp)
        .where(
            FollowUp.due_at <= now,
            or_(
                FollowUp.status == "pending",
                (FollowUp.status == "claimed") & (FollowUp.claimed_until <= now),
            ),
        )
        .order_by(FollowUp.due_at, FollowUp.id)
        .limit(limit)
    )
    if is_postgres(session):
        # Several schedulers may run; each takes rows nobody else holds.
        query = query.with_for_update(skip_locked=True)
    rows = list(session.scalars(query))
    for row in rows:
        row.status = "claimed"
        row.claimed_until = now + lease
        row.updated_at = now
    session.flush()
    return rows


def settle(
    session: Session,
    row: FollowUp,
    status: str,
    reason: str | None,
    now: datetime,
    *,
    conversation_id: int | None = None,
) -> None:
    row.status = status
    row.reason = reason
    row.claimed_until = None
    row.updated_at = now
    if conversation_id is not None:
        row.conversation_id = conversation_id
    session.flush()


def postpone(session: Session, row: FollowUp, until: datetime, reason: str, now: datetime) -> None:
    """Back to pending, due later (quiet hours, frequency cap, a conversation in progress)."""
    row.status = "pending"
    row.due_at = until
    row.reason = reason
    row.claimed_until = None
    row.updated_at = now
    session.flush()


def cancel_open(
    session: Session,
    contact_id: int,
    reason: str,
    now: datetime,
    *,
    event_id: int | None = None,
    kinds: Collection[str] | None = None,
) -> int:
    query = update(FollowUp).where(FollowUp.contact_id == contact_id, FollowUp.status.in_(OPEN))
    if event_id is not None:
        query = query.where(FollowUp.event_id == event_id)
    if kinds is not None:
        query = query.where(FollowUp.kind.in_(list(kinds)))
    result = session.execute(
        query.values(status="cancelled", reason=reason, claimed_until=None, updated_at=now)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def for_event(session: Session, event_id: int) -> list[FollowUp]:
    return list(
        session.scalars(
            select(FollowUp)
            .where(FollowUp.event_id == event_id)
            .order_by(FollowUp.due_at, FollowUp.id)
        )
    )


def started_since(session: Session, contact_id: int, since: datetime) -> int:
    """How many new requests this person was sent since `since` (for the frequency cap)."""
    rows = session.scalars(
        select(FollowUp.id).where(
            FollowUp.contact_id == contact_id,
            FollowUp.kind == "initial",
            FollowUp.status == "sent",
            FollowUp.updated_at >= since,
        )
    ).all()
    return len(rows)

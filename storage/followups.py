"""The follow-up schedule: one row per request per person, claimed by schedulers when due."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime, timedelta

from sqlalchemy import Select, exists, select, update
from sqlalchemy.orm import Session

from storage import dialect
from storage.db import flush, is_postgres
from storage.models import Conversation, Event, FollowUp

KINDS = ("initial", "reminder_1", "reminder_2")
# Held rows wait for a channel that cannot send; they are still to be sent, so opting out and
# erasure cancel them like pending ones.
OPEN = ("pending", "held")


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
    return plan_many(session, event, [contact_id], now)


def plan_many(session: Session, event: Event, contact_ids: Sequence[int], now: datetime) -> int:
    """The rows for many people in one statement (an import of thousands); how many were added."""
    rows = [
        {
            "event_id": event.id,
            "contact_id": contact_id,
            "flow_id": event.flow_id,
            "kind": kind,
            "due_at": due,
            "status": "pending",
            "created_at": now,
            "updated_at": now,
        }
        for contact_id in contact_ids
        for kind, due in planned_times(event).items()
    ]
    if not rows:
        return 0
    statement = (
        dialect.insert(session, FollowUp)
        .on_conflict_do_nothing(index_elements=["event_id", "contact_id", "kind"])
        .returning(FollowUp.id)
    )
    return len(session.execute(statement, rows).all())


def due(now: datetime) -> Select[FollowUp]:
    """The pending rows a pass at `now` takes up: due, and not of an event an officer paused
    (they stay pending, and go on the first pass after the event is resumed)."""
    paused = exists().where(Event.id == FollowUp.event_id, Event.paused_at.is_not(None))
    return select(FollowUp).where(FollowUp.due_at <= now, FollowUp.status == "pending", ~paused)


def claim_due(session: Session, now: datetime, *, limit: int) -> list[FollowUp]:
    """Due pending rows, locked for this transaction only.

    The caller handles them and commits in the same transaction, so a scheduler killed midway
    leaves nothing half-done: its rows simply become due again. Several schedulers on PostgreSQL
    skip each other's locked rows; on SQLite transactions run one at a time.
    """
    query = due(now).order_by(FollowUp.due_at, FollowUp.id).limit(limit)
    if is_postgres(session):
        query = query.with_for_update(skip_locked=True, of=FollowUp)
    return list(session.scalars(query))


def settle(
    session: Session,
    row: FollowUp,
    status: str,
    reason: str | None,
    now: datetime,
    *,
    conversation: Conversation | None = None,
) -> None:
    row.status = status
    row.reason = reason
    row.updated_at = now
    if conversation is not None:
        row.conversation = conversation
    flush(session)


def postpone(session: Session, row: FollowUp, until: datetime, reason: str, now: datetime) -> None:
    """Back to pending, due later (quiet hours, frequency cap, a conversation in progress)."""
    row.status = "pending"
    row.due_at = until
    row.reason = reason
    row.updated_at = now
    flush(session)


def hold(session: Session, row: FollowUp, reason: str, now: datetime) -> None:
    """Off the schedule until `release`: due_at is kept, so the rules run again on release."""
    row.status = "held"
    row.reason = reason
    row.updated_at = now
    flush(session)


def release(session: Session, reasons: Collection[str], now: datetime) -> int:
    """Held rows back to pending (due at once, or when they were due), for these hold reasons."""
    if not reasons:
        return 0
    result = session.execute(
        update(FollowUp)
        .where(FollowUp.status == "held", FollowUp.reason.in_(list(reasons)))
        .values(status="pending", reason=None, updated_at=now)
    )
    return int(getattr(result, "rowcount", 0) or 0)


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
    result = session.execute(query.values(status="cancelled", reason=reason, updated_at=now))
    return int(getattr(result, "rowcount", 0) or 0)


def cancel_for_event(
    session: Session,
    event_id: int,
    reason: str,
    now: datetime,
    *,
    contact_ids: Collection[int] | None = None,
) -> int:
    """Cancel what is still to be sent for an event (or for some of its people)."""
    query = update(FollowUp).where(FollowUp.event_id == event_id, FollowUp.status.in_(OPEN))
    if contact_ids is not None:
        query = query.where(FollowUp.contact_id.in_(list(contact_ids)))
    result = session.execute(query.values(status="cancelled", reason=reason, updated_at=now))
    return int(getattr(result, "rowcount", 0) or 0)


def retime(session: Session, event: Event, now: datetime) -> int:
    """After an event's times or plan changed: what is still to be sent falls due when the new
    plan says, with the new flow; a reminder the plan no longer has is cancelled. Rows already
    sent or settled are history and stay as they were."""
    times = planned_times(event)
    changed = 0
    for row in session.scalars(
        select(FollowUp).where(FollowUp.event_id == event.id, FollowUp.status.in_(OPEN))
    ):
        if row.kind not in times:
            row.status, row.reason = "cancelled", "the reminder was taken out of the plan"
        elif (row.due_at, row.flow_id) == (times[row.kind], event.flow_id):
            continue
        else:
            row.due_at, row.flow_id = times[row.kind], event.flow_id
            if row.status == "pending":
                row.reason = None  # a postponement was for the old time
        row.updated_at = now
        changed += 1
    flush(session)
    return changed


def for_event(session: Session, event_id: int) -> list[FollowUp]:
    return list(
        session.scalars(
            select(FollowUp)
            .where(FollowUp.event_id == event_id)
            .order_by(FollowUp.due_at, FollowUp.id)
        )
    )


def requests_sent(
    session: Session, contact_ids: Collection[int], since: datetime
) -> dict[int, list[datetime]]:
    """When new requests went to each of these people after `since`, oldest first (for the
    frequency cap); people sent none are left out."""
    sent: dict[int, list[datetime]] = {}
    for contact_id, at in session.execute(
        select(FollowUp.contact_id, FollowUp.updated_at)
        .where(
            FollowUp.contact_id.in_(list(contact_ids)),
            FollowUp.kind == "initial",
            FollowUp.status == "sent",
            FollowUp.updated_at > since,
        )
        .order_by(FollowUp.updated_at)
    ):
        sent.setdefault(contact_id, []).append(at)
    return sent

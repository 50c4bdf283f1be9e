"""Safeguarding flags: recorded with the exact words, alerted until sent, shown until acknowledged."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from storage.areas import area_of
from storage.db import is_postgres
from storage.models import SafeguardingFlag

# Caught only by the wider net (flows.safeguarding.review): for the queue, not for email or pausing.
REVIEW = "needs_review"


def record(
    session: Session,
    *,
    contact_id: int | None,
    conversation_id: int | None,
    message_id: int | None,
    channel: str,
    category: str,
    reasons: Sequence[str],
    text: str,
    now: datetime,
) -> SafeguardingFlag:
    flag = SafeguardingFlag(
        area=area_of(session, contact_id, conversation_id),
        contact_id=contact_id,
        conversation_id=conversation_id,
        message_id=message_id,
        channel=channel,
        category=category,
        reasons=list(reasons),
        text=text,
        created_at=now,
        alert_attempts=0,
        alert_next_at=now,
    )
    session.add(flag)
    session.flush()
    return flag


def visible(flag: SafeguardingFlag, scope: frozenset[str] | None, lead: bool) -> bool:
    """Officers see their areas' flags; leads and all-area officers see every flag."""
    return lead or scope is None or (flag.area is not None and flag.area in scope)


def alerts_due(session: Session, now: datetime, *, limit: int = 50) -> list[SafeguardingFlag]:
    query = (
        select(SafeguardingFlag)
        .where(
            SafeguardingFlag.category != REVIEW,  # the wider net only goes to the queue
            SafeguardingFlag.alert_sent_at.is_(None),
            or_(SafeguardingFlag.alert_next_at.is_(None), SafeguardingFlag.alert_next_at <= now),
        )
        .order_by(SafeguardingFlag.id)
        .limit(limit)
    )
    if is_postgres(session):
        query = query.with_for_update(skip_locked=True)
    return list(session.scalars(query))


def open_flags(
    session: Session, *, scope: frozenset[str] | None = None, lead: bool = True
) -> list[SafeguardingFlag]:
    """The queue an officer works through, oldest first: their areas only, unless a lead."""
    query = select(SafeguardingFlag).where(SafeguardingFlag.acknowledged_at.is_(None))
    if not lead and scope is not None:
        query = query.where(SafeguardingFlag.area.in_(sorted(scope)))
    return list(session.scalars(query.order_by(SafeguardingFlag.id)))


def realerts_due(session: Session, now: datetime, *, limit: int = 50) -> list[SafeguardingFlag]:
    """Alerted flags nobody has acknowledged in time: they are alerted again."""
    query = (
        select(SafeguardingFlag)
        .where(
            SafeguardingFlag.category != REVIEW,
            SafeguardingFlag.acknowledged_at.is_(None),
            SafeguardingFlag.realert_at.is_not(None),
            SafeguardingFlag.realert_at <= now,
        )
        .order_by(SafeguardingFlag.id)
        .limit(limit)
    )
    if is_postgres(session):
        query = query.with_for_update(skip_locked=True)
    return list(session.scalars(query))


def sms_due(session: Session, *, limit: int = 50) -> list[SafeguardingFlag]:
    query = (
        select(SafeguardingFlag)
        .where(
            SafeguardingFlag.category != REVIEW,
            SafeguardingFlag.acknowledged_at.is_(None),
            SafeguardingFlag.sms_alerted_at.is_(None),
        )
        .order_by(SafeguardingFlag.id)
        .limit(limit)
    )
    if is_postgres(session):
        query = query.with_for_update(skip_locked=True)
    return list(session.scalars(query))


def schedule_realert(flag: SafeguardingFlag, now: datetime, every: timedelta) -> None:
    flag.realert_at = now + every


def unacknowledged_for(session: Session, contact_id: int) -> bool:
    """An urgent flag nobody has acknowledged: nothing new goes to the person meanwhile. Items from
    the wider net do not hold anything back; they only wait for a glance."""
    return (
        session.scalars(
            select(SafeguardingFlag.id).where(
                SafeguardingFlag.contact_id == contact_id,
                SafeguardingFlag.acknowledged_at.is_(None),
                SafeguardingFlag.category != REVIEW,
            )
        ).first()
        is not None
    )


def acknowledge(
    session: Session,
    flag_id: int,
    by: str,
    now: datetime,
    *,
    note: str,
    scope: frozenset[str] | None = None,
    lead: bool = True,
) -> SafeguardingFlag | None:
    """Record what was done; None when there is no such flag this officer may see."""
    flag = session.get(SafeguardingFlag, flag_id)
    if flag is None or not visible(flag, scope, lead):
        return None
    if flag.acknowledged_at is None:
        flag.acknowledged_at = now
        flag.acknowledged_by = by
        flag.acknowledge_note = note
        flag.realert_at = None
        session.flush()
    return flag

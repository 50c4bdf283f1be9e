"""Safeguarding flags: recorded with the exact words, alerted until sent, shown until acknowledged."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

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


def open_flags(session: Session) -> list[SafeguardingFlag]:
    """The queue a designated safeguarding lead works through: oldest first."""
    return list(
        session.scalars(
            select(SafeguardingFlag)
            .where(SafeguardingFlag.acknowledged_at.is_(None))
            .order_by(SafeguardingFlag.id)
        )
    )


def unacknowledged_for(session: Session, contact_id: int) -> bool:
    return (
        session.scalars(
            select(SafeguardingFlag.id).where(
                SafeguardingFlag.contact_id == contact_id,
                SafeguardingFlag.acknowledged_at.is_(None),
            )
        ).first()
        is not None
    )


def acknowledge(session: Session, flag_id: int, by: str, now: datetime) -> SafeguardingFlag | None:
    flag = session.get(SafeguardingFlag, flag_id)
    if flag is not None and flag.acknowledged_at is None:
        flag.acknowledged_at = now
        flag.acknowledged_by = by
        session.flush()
    return flag

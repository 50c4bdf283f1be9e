"""Delivery receipts: a provider's status reports, each (message, status) recorded once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage import dialect
from storage import messages as messages_repo
from storage.models import DeliveryReceipt

# Later in a message's life ranks higher; a receipt never moves a message to a lower rank.
_RANK = {"sent": 1, "delivered": 2, "undelivered": 2, "failed": 2, "read": 3}


def record(
    session: Session,
    *,
    channel: str,
    provider_id: str,
    status: str,
    error_code: str | None,
    now: datetime,
) -> bool:
    """True the first time this status is reported for this message; False for a repeat."""
    inserted = session.execute(
        dialect.insert(session, DeliveryReceipt)
        .values(
            channel=channel,
            provider_id=provider_id,
            status=status,
            error_code=error_code,
            received_at=now,
        )
        .on_conflict_do_nothing(index_elements=["channel", "provider_id", "status"])
        .returning(DeliveryReceipt.id)
    ).scalar_one_or_none()
    return inserted is not None


def apply(session: Session, channel: str, provider_id: str, now: datetime) -> None:
    """Bring a just-sent message up to date with receipts that arrived before we knew its id
    (the message itself is only read if one waits)."""
    receipts = session.scalars(
        select(DeliveryReceipt).where(
            DeliveryReceipt.channel == channel,
            DeliveryReceipt.provider_id == provider_id,
        )
    ).all()
    known = [r for r in receipts if r.status in _RANK]
    if not known:
        return
    latest = max(known, key=lambda r: (_RANK[r.status], r.id))
    messages_repo.record_delivery(
        session,
        channel=channel,
        provider_id=provider_id,
        status=messages_repo.DELIVERY_STATUSES[latest.status],
        error_code=latest.error_code,
        now=now,
    )

"""Delivery receipts: a provider's status reports, each (message, status) recorded once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from storage import dialect
from storage.models import DeliveryReceipt


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

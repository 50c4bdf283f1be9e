"""Retention: everything past its time is purged; anonymised answers stay for statistics."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from bot.privacy.erasure import erase_free_text, strip_identifiers
from flows.library import FlowLibrary
from storage import audit
from storage.models import (
    Answer,
    ChannelIdentity,
    Contact,
    DeliveryReceipt,
    Message,
)


@dataclass
class PurgeReport:
    messages: int = 0
    receipts: int = 0
    contacts: int = 0
    identities: int = 0
    free_text_answers: int = 0
    details: dict[str, int] = field(default_factory=dict)


def purge(
    session: Session, library: FlowLibrary, *, retention_days: int, now: datetime, dry_run: bool
) -> PurgeReport:
    """Delete messages and identifiers past retention; keep anonymised answers for statistics.

    Safeguarding flags and the audit log are not purged here: councils keep safeguarding records
    under their own (longer) retention rules, and the audit log is the proof of what was done.
    """
    cutoff = now - timedelta(days=retention_days)
    report = PurgeReport()
    old_messages = select(Message.id).where(Message.created_at < cutoff)
    report.messages = session.scalar(select(func.count()).select_from(old_messages.subquery())) or 0
    report.receipts = (
        session.scalar(
            select(func.count(DeliveryReceipt.id)).where(DeliveryReceipt.received_at < cutoff)
        )
        or 0
    )
    # Everyone whose last sign of life is older than the cutoff loses their identifiers.
    last_message = (
        select(Message.contact_id, func.max(Message.created_at).label("last"))
        .group_by(Message.contact_id)
        .subquery()
    )
    stale = list(
        session.scalars(
            select(Contact.id)
            .outerjoin(last_message, last_message.c.contact_id == Contact.id)
            .where(
                Contact.erased_at.is_(None),
                Contact.updated_at < cutoff,
                (last_message.c.last.is_(None)) | (last_message.c.last < cutoff),
            )
        )
    )
    report.contacts = len(stale)
    report.identities = (
        session.scalar(
            select(func.count(ChannelIdentity.id)).where(ChannelIdentity.contact_id.in_(stale))
        )
        or 0
    )
    old_answers = Answer.answered_at < cutoff
    if dry_run:
        report.free_text_answers = (
            session.scalar(
                select(func.count(Answer.id)).where(old_answers, Answer.raw_text.is_not(None))
            )
            or 0
        )
        return report
    session.execute(delete(Message).where(Message.created_at < cutoff))
    session.execute(delete(DeliveryReceipt).where(DeliveryReceipt.received_at < cutoff))
    report.free_text_answers = erase_free_text(session, library, old_answers)
    for contact_id in stale:
        strip_identifiers(session, contact_id, now)
    audit.record(
        session,
        actor="housekeeping",
        action="retention_purge",
        now=now,
        detail={
            "cutoff": cutoff.isoformat(),
            "messages": report.messages,
            "contacts": report.contacts,
            "free_text_answers": report.free_text_answers,
        },
    )
    return report

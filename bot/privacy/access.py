"""Subject access: everything held about one person, as plain data."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage import audit
from storage.models import (
    Answer,
    Attendee,
    AuditEntry,
    ChannelIdentity,
    Contact,
    Conversation,
    Event,
    FollowUp,
    Message,
    SafeguardingFlag,
)


def _when(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def subject_access(
    session: Session, contact: Contact, *, actor: str, now: datetime
) -> dict[str, Any]:
    """Everything held about one person, as plain data (for `privacy export`)."""
    identities = session.scalars(
        select(ChannelIdentity).where(ChannelIdentity.contact_id == contact.id)
    ).all()
    conversations = session.scalars(
        select(Conversation).where(Conversation.contact_id == contact.id).order_by(Conversation.id)
    ).all()
    answers = session.scalars(
        select(Answer).where(Answer.contact_id == contact.id).order_by(Answer.id)
    ).all()
    messages = session.scalars(
        select(Message).where(Message.contact_id == contact.id).order_by(Message.id)
    ).all()
    attended = session.execute(
        select(Event.title, Event.starts_at, Attendee.source)
        .join(Attendee, Attendee.event_id == Event.id)
        .where(Attendee.contact_id == contact.id)
    ).all()
    followups = session.scalars(
        select(FollowUp).where(FollowUp.contact_id == contact.id).order_by(FollowUp.id)
    ).all()
    flags = session.scalars(
        select(SafeguardingFlag).where(SafeguardingFlag.contact_id == contact.id)
    ).all()
    entries = session.scalars(
        select(AuditEntry).where(AuditEntry.subject == contact.pseudonym).order_by(AuditEntry.id)
    ).all()
    data = {
        "generated_at": now.isoformat(),
        "person": {
            "pseudonym": contact.pseudonym,
            "name": contact.display_name,
            "role": contact.role,
            "preferred_language": contact.preferred_language,
            "preferred_channel": contact.preferred_channel,
            "timezone": contact.timezone,
            "age_band": contact.age_band,
            "consent_at": _when(contact.consent_at),
            "consent_source": contact.consent_source,
            "lawful_basis": contact.lawful_basis,
            "notice_sent_at": _when(contact.notice_sent_at),
            "opted_out_at": _when(contact.opted_out_at),
            "created_at": _when(contact.created_at),
        },
        "identities": [{"channel": i.channel, "address": i.address} for i in identities],
        "events_attended": [
            {"title": t, "starts_at": _when(s), "how": src} for t, s, src in attended
        ],
        "conversations": [
            {
                "id": c.id,
                "flow": c.flow_id,
                "status": c.status,
                "language": c.language,
                "channel": c.channel,
                "answered_by": c.answered_by,
                "started_at": _when(c.started_at),
                "ended_at": _when(c.ended_at),
            }
            for c in conversations
        ],
        "answers": [
            {
                "conversation": a.conversation_id,
                "question": a.step_id,
                "value": a.value,
                "special": a.special,
                "as_typed": a.raw_text,
                "answered_at": _when(a.answered_at),
            }
            for a in answers
        ],
        "messages": [
            {
                "direction": m.direction,
                "channel": m.channel,
                "text": m.body,
                "status": m.status,
                "at": _when(m.created_at),
            }
            for m in messages
        ],
        "follow_ups": [
            {
                "event": f.event_id,
                "kind": f.kind,
                "due_at": _when(f.due_at),
                "status": f.status,
                "reason": f.reason,
            }
            for f in followups
        ],
        "safeguarding_flags": [
            {
                "category": f.category,
                "words": f.text,
                "at": _when(f.created_at),
                "acknowledged_at": _when(f.acknowledged_at),
            }
            for f in flags
        ],
        "audit_log": [
            {"at": _when(e.at), "who": e.actor, "action": e.action, "detail": e.detail}
            for e in entries
        ],
    }
    audit.record(
        session, actor=actor, action="subject_access_export", subject=contact.pseudonym, now=now
    )
    return data

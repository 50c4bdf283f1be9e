"""Retention, erasure, subject access and key rotation: keep as little as we can, prove it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from flows.library import FlowLibrary
from flows.schema import StepType
from storage import audit
from storage import contacts as contacts_repo
from storage import followups as followups_repo
from storage.crypto import IdentifierCipher
from storage.models import (
    Answer,
    Attendee,
    AuditEntry,
    ChannelIdentity,
    Contact,
    Conversation,
    DeliveryReceipt,
    Event,
    FollowUp,
    Message,
    SafeguardingFlag,
)

ERASED = "erased"  # the `special` of a free-text answer whose words were removed


@dataclass
class PurgeReport:
    messages: int = 0
    receipts: int = 0
    contacts: int = 0
    identities: int = 0
    free_text_answers: int = 0
    details: dict[str, int] = field(default_factory=dict)


def free_text_steps(library: FlowLibrary) -> dict[str, set[str]]:
    """flow id -> ids of its free-text steps: answers there may hold names, places, anything."""
    return {f.id: {s.id for s in f.steps if s.type is StepType.TEXT} for f in library}


def _erase_free_text(session: Session, library: FlowLibrary, where: Any) -> int:
    erased = 0
    for flow_id, steps in free_text_steps(library).items():
        if not steps:
            continue
        result = session.execute(
            update(Answer)
            .where(
                where,
                Answer.flow_id == flow_id,
                Answer.step_id.in_(steps),
                Answer.value.is_not(None),
            )
            .values(value=None, special=ERASED)
        )
        erased += int(getattr(result, "rowcount", 0) or 0)
    # Raw replies are message bodies in all but name.
    session.execute(update(Answer).where(where).values(raw_text=None))
    return erased


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
    report.free_text_answers = _erase_free_text(session, library, old_answers)
    for contact_id in stale:
        _strip_identifiers(session, contact_id, now)
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


def _strip_identifiers(session: Session, contact_id: int, now: datetime) -> int:
    removed = session.execute(
        delete(ChannelIdentity).where(ChannelIdentity.contact_id == contact_id)
    )
    session.execute(
        update(Contact).where(Contact.id == contact_id).values(display_name_enc=None, erased_at=now)
    )
    followups_repo.cancel_open(session, contact_id, "identifiers erased", now)
    return int(getattr(removed, "rowcount", 0) or 0)


def find_person(session: Session, who: str, region: str) -> Contact | None:
    """A phone number (any UK format) or a Telegram chat id."""
    from bot.phone import to_e164

    candidates: list[tuple[str, str]] = []
    if who.strip().lstrip("-").isdigit() and len(who.strip()) < 11:
        candidates.append(("telegram", who.strip()))
    number = to_e164(who, region)
    if number:
        candidates.append(("sms", number))
    if who.strip().isdigit():
        candidates.append(("telegram", who.strip()))
    for channel, address in candidates:
        found = contacts_repo.find_by_address(session, channel, address)
        if found is not None:
            return found[0]
    return None


@dataclass
class ForgetReport:
    pseudonym: str
    identities: int = 0
    messages: int = 0
    free_text_answers: int = 0
    answers_deleted: int = 0


def forget(
    session: Session,
    library: FlowLibrary,
    contact: Contact,
    *,
    delete_answers: bool,
    actor: str,
    now: datetime,
) -> ForgetReport:
    """Remove a person's identifiers and free text; structured answers stay, anonymised."""
    report = ForgetReport(contact.pseudonym)
    report.identities = _strip_identifiers(session, contact.id, now)
    result = session.execute(delete(Message).where(Message.contact_id == contact.id))
    report.messages = int(getattr(result, "rowcount", 0) or 0)
    if delete_answers:
        result = session.execute(delete(Answer).where(Answer.contact_id == contact.id))
        report.answers_deleted = int(getattr(result, "rowcount", 0) or 0)
    else:
        report.free_text_answers = _erase_free_text(
            session, library, Answer.contact_id == contact.id
        )
    # Nothing may be sent to someone we can no longer name; and their chat state goes too.
    session.execute(
        update(Conversation)
        .where(Conversation.contact_id == contact.id)
        .values(state={}, status="stopped", wake_at=None)
    )
    contact.opted_out_at = contact.opted_out_at or now
    audit.record(
        session,
        actor=actor,
        action="forget",
        subject=contact.pseudonym,
        now=now,
        detail={
            "identities": report.identities,
            "messages": report.messages,
            "free_text_answers": report.free_text_answers,
            "answers_deleted": report.answers_deleted,
        },
    )
    return report


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


def rotate(session: Session, cipher: IdentifierCipher, *, actor: str, now: datetime) -> int:
    """Re-encrypt and re-hash every identifier under the first configured key."""
    rows = 0
    for identity in session.scalars(select(ChannelIdentity)):
        address = cipher.decrypt(identity.address_enc)
        identity.address_enc = cipher.encrypt(address)
        identity.address_hash = cipher.lookup(address)
        rows += 1
    for contact in session.scalars(select(Contact).where(Contact.display_name_enc.is_not(None))):
        assert contact.display_name_enc is not None
        contact.display_name_enc = cipher.rotate(contact.display_name_enc)
        rows += 1
    session.flush()
    audit.record(session, actor=actor, action="rotate_key", now=now, detail={"rows": rows})
    return rows

"""A person's right to be forgotten: find them by number or chat id, then erase what identifies them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, update
from sqlalchemy.orm import Session

from bot.phone import to_e164
from bot.privacy.erasure import erase_free_text, strip_identifiers
from flows.library import FlowLibrary
from storage import audit
from storage import contacts as contacts_repo
from storage.models import (
    Answer,
    Contact,
    Conversation,
    Message,
)


def find_person(session: Session, who: str, region: str) -> Contact | None:
    """A phone number (any UK format) or a Telegram chat id."""
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
    report.identities = strip_identifiers(session, contact.id, now)
    result = session.execute(delete(Message).where(Message.contact_id == contact.id))
    report.messages = int(getattr(result, "rowcount", 0) or 0)
    if delete_answers:
        result = session.execute(delete(Answer).where(Answer.contact_id == contact.id))
        report.answers_deleted = int(getattr(result, "rowcount", 0) or 0)
    else:
        report.free_text_answers = erase_free_text(
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

"""A person's right to be forgotten: find them by number or chat id, then erase what identifies them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from bot.phone import to_e164
from bot.privacy.erasure import ERASED, erase_free_text, strip_identifiers
from bot.privacy.files import FileFate, remove_files
from flows.library import FlowLibrary
from flows.schema import StepType
from storage import audit, export_files
from storage import contacts as contacts_repo
from storage.dashboard_models import Coding
from storage.models import (
    Answer,
    Contact,
    Conversation,
    FollowUp,
    Message,
    SafeguardingFlag,
)


def find_person(session: Session, who: str, region: str) -> Contact | None:
    """A phone number (any UK format, by SMS or WhatsApp) or a Telegram chat id."""
    candidates: list[tuple[str, str]] = []
    if who.strip().lstrip("-").isdigit() and len(who.strip()) < 11:
        candidates.append(("telegram", who.strip()))
    number = to_e164(who, region)
    if number:
        candidates.append(("sms", number))
        candidates.append(("whatsapp", number))  # someone who only ever used WhatsApp
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
    flags: int = 0  # safeguarding flags whose words were erased (the records stay)
    follow_ups: int = 0  # planned requests removed
    files: list[FileFate] = field(default_factory=list)  # export files that held them


# What a safeguarding flag says once its words are gone: the flag itself (category, when, who
# acknowledged it) stays part of the council's safeguarding record.
FLAG_WORDS_ERASED = "(words erased at the person's request)"


def forget(
    session: Session,
    library: FlowLibrary,
    contact: Contact,
    *,
    delete_answers: bool,
    actor: str,
    now: datetime,
) -> ForgetReport:
    """Remove every copy of a person's identifiers and words; structured answers stay, anonymised.

    Their words live in messages, answers (typed text and free-text values), the engine's state,
    safeguarding flags (the text and the excerpts quoted in its reasons), the themes officers
    tagged on their free text, and export files written to disk (each one that holds them is
    deleted; the export's other people go with it, to be exported again if needed). What is left
    is a pseudonym with choices and numbers, which the reports still count.
    """
    report = ForgetReport(contact.pseudonym)
    report.files = remove_files(
        session,
        export_files.present(session, export_files.holding(Contact.id == contact.id)),
        "forget",
        now,
    )
    report.identities = strip_identifiers(session, contact.id, now)
    # Planned requests are the schedule of what would be sent; requests already sent stay so
    # that the reports' "invited" still matches the answers kept.
    result = session.execute(
        delete(FollowUp).where(
            FollowUp.contact_id == contact.id,
            *([] if delete_answers else [FollowUp.status != "sent"]),
        )
    )
    report.follow_ups = _count(result)
    report.flags = _count(
        session.execute(
            update(SafeguardingFlag)
            .where(SafeguardingFlag.contact_id == contact.id)
            .values(text=FLAG_WORDS_ERASED, reasons=[], message_id=None)
        )
    )
    if delete_answers:
        report.answers_deleted = _count(
            session.execute(delete(Answer).where(Answer.contact_id == contact.id))
        )
    else:
        report.free_text_answers = _erase_words_in_answers(session, library, contact.id)
    result = session.execute(delete(Message).where(Message.contact_id == contact.id))
    report.messages = _count(result)
    # Nothing may be sent to someone we can no longer name, and the state (which holds their
    # answers, sealed) goes; a completed conversation keeps its status for the reports.
    session.execute(
        update(Conversation)
        .where(
            Conversation.contact_id == contact.id,
            Conversation.status.in_(("active", "paused", "expired")),
        )
        .values(status="stopped", ended_at=func.coalesce(Conversation.ended_at, now))
    )
    session.execute(
        update(Conversation)
        .where(Conversation.contact_id == contact.id)
        .values(state={}, wake_at=None, updated_at=now)
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
            "flags": report.flags,
            "follow_ups": report.follow_ups,
            "export_files": [f.audited() for f in report.files],
        },
    )
    return report


def _erase_words_in_answers(session: Session, library: FlowLibrary, contact_id: int) -> int:
    """Erase the value of every free-text answer, and of any answer whose question is no longer in
    the library (it may have been free text); drop the typed words of all of them."""
    erased = erase_free_text(session, library, Answer.contact_id == contact_id)
    known = {(f.id, s.id) for f in library for s in f.steps if s.type is not StepType.TEXT}
    unknown = [
        answer_id
        for answer_id, flow_id, step_id in session.execute(
            select(Answer.id, Answer.flow_id, Answer.step_id).where(
                Answer.contact_id == contact_id, Answer.value.is_not(None)
            )
        )
        if (flow_id, step_id) not in known
    ]
    if unknown:
        erased += _count(
            session.execute(
                update(Answer).where(Answer.id.in_(unknown)).values(value=None, special=ERASED)
            )
        )
    # The themes tagged on their words said what the words were about.
    session.execute(
        delete(Coding).where(
            Coding.answer_id.in_(
                select(Answer.id).where(Answer.contact_id == contact_id, Answer.special == ERASED)
            )
        )
    )
    return erased


def _count(result: Any) -> int:
    return int(getattr(result, "rowcount", 0) or 0)

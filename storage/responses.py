"""Row-level reading for officers: the responses list, one conversation's transcript, and the
answers that exports stream. Each person appears by their pseudonym only."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.models import Answer, ChannelIdentity, Contact, Conversation, Event, Message
from storage.reporting import Filters, conversations_query


@dataclass(frozen=True)
class ResponseRow:
    conversation_id: int
    pseudonym: str
    contact_id: int
    flow_id: str
    flow_version: int
    event_id: int | None
    event_title: str | None
    area: str | None
    role: str
    channel: str
    language: str
    status: str
    started_at: datetime
    ended_at: datetime | None
    answers: int
    answered_by: str | None  # who gave the answers; None where the flow did not ask


def _row_columns() -> tuple[Any, ...]:
    answers = (
        select(func.count())
        .where(Answer.conversation_id == Conversation.id)
        .correlate(Conversation)
        .scalar_subquery()
    )
    return (
        Conversation.id,
        Contact.pseudonym,
        Contact.id,
        Conversation.flow_id,
        Conversation.flow_version,
        Conversation.event_id,
        Event.title,
        Conversation.area,
        Contact.role,
        Conversation.channel,
        Conversation.language,
        Conversation.status,
        Conversation.started_at,
        Conversation.ended_at,
        answers,
        Conversation.answered_by,
    )


def count(session: Session, f: Filters) -> int:
    return int(session.execute(conversations_query(f, func.count())).scalar_one())


def page(session: Session, f: Filters, *, limit: int, offset: int) -> list[ResponseRow]:
    """Newest first: an officer checking today's replies wants them at the top."""
    query = (
        conversations_query(f, *_row_columns())
        .order_by(Conversation.started_at.desc(), Conversation.id.desc())
        .limit(limit)
        .offset(offset)
    )
    return [ResponseRow(*row) for row in session.execute(query)]


def iterate(session: Session, f: Filters, *, batch: int = 1000) -> Iterator[list[ResponseRow]]:
    """Every matching conversation, oldest first, a batch at a time (exports of 100k rows).

    Keyset pages rather than one open cursor, so the caller may run other queries between batches.
    """
    last = 0
    while True:
        query = (
            conversations_query(f, *_row_columns())
            .where(Conversation.id > last)
            .order_by(Conversation.id)
            .limit(batch)
        )
        rows = [ResponseRow(*row) for row in session.execute(query)]
        if not rows:
            return
        yield rows
        last = rows[-1].conversation_id


def answers_for(session: Session, conversation_ids: Sequence[int]) -> dict[int, list[Answer]]:
    found: dict[int, list[Answer]] = {cid: [] for cid in conversation_ids}
    if not conversation_ids:
        return found
    for answer in session.scalars(
        select(Answer)
        .where(Answer.conversation_id.in_(list(conversation_ids)))
        .order_by(Answer.conversation_id, Answer.id)
    ):
        found[answer.conversation_id].append(answer)
    return found


def visible(
    session: Session, conversation_id: int, scope: frozenset[str] | None
) -> ResponseRow | None:
    """The conversation, or None if it does not exist or lies outside the officer's areas."""
    rows = session.execute(
        conversations_query(Filters(scope=scope), *_row_columns()).where(
            Conversation.id == conversation_id
        )
    ).all()
    return ResponseRow(*rows[0]) if rows else None


def transcript(session: Session, conversation_id: int) -> list[Message]:
    """Both sides in the order they arrived or were queued (ids; equal times are common)."""
    return list(
        session.scalars(
            select(Message).where(Message.conversation_id == conversation_id).order_by(Message.id)
        )
    )


def identifiers(session: Session, contact_ids: Sequence[int]) -> dict[int, dict[str, str]]:
    """{contact id: {channel: address}}, decrypted: only for audited, identified exports."""
    found: dict[int, dict[str, str]] = {}
    if not contact_ids:
        return found
    for identity in session.scalars(
        select(ChannelIdentity)
        .where(ChannelIdentity.contact_id.in_(list(contact_ids)))
        .order_by(ChannelIdentity.id)
    ):
        found.setdefault(identity.contact_id, {}).setdefault(identity.channel, identity.address)
    return found

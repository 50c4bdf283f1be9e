"""Conversations and the engine's state they carry.

The state is stored as JSON, but the answers in it (free text among them: names, places, anything)
are sealed with the identifier cipher, so no one reading the table reads a person's words. Callers
write plain engine state through `create`/`update` and read it back with `state_of`.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from storage import areas
from storage.crypto import IdentifierCipher, cipher_of
from storage.db import flush
from storage.models import ANSWERED_BY, CONVERSATION_STATUSES, Conversation

SEALED = "sealed"  # the state's key holding its answers, encrypted


def seal(session: Session, state: dict[str, Any]) -> dict[str, Any]:
    """The state as stored: its answers encrypted. A state that is already sealed is kept as is."""
    return seal_with(cipher_of(session), state)


def seal_with(cipher: IdentifierCipher, state: dict[str, Any]) -> dict[str, Any]:
    values = state.get("values")
    if not values:
        return {k: v for k, v in state.items() if k != "values"} if SEALED in state else state
    stored = {k: v for k, v in state.items() if k not in ("values", SEALED)}
    stored[SEALED] = cipher.encrypt(json.dumps(values, separators=(",", ":")))
    return stored


def state_of(session: Session, conversation: Conversation) -> dict[str, Any]:
    """The engine's state, answers readable again (states stored before sealing read as they are)."""
    state = dict(conversation.state or {})
    token = state.pop(SEALED, None)
    if token is not None:
        state["values"] = json.loads(cipher_of(session).decrypt(token))
    return state


def active_for(session: Session, contact_id: int) -> Conversation | None:
    return session.scalars(
        select(Conversation).where(
            Conversation.contact_id == contact_id, Conversation.status == "active"
        )
    ).one_or_none()


def create(
    session: Session,
    *,
    contact_id: int,
    flow_id: str,
    flow_version: int,
    language: str,
    channel: str,
    state: dict[str, Any],
    status: str,
    now: datetime,
    wake_at: datetime | None,
    event_id: int | None = None,
) -> Conversation:
    """Raises sqlalchemy IntegrityError if the contact already has an active conversation;
    callers avoid that by holding `contacts.lock` and checking `active_for` first."""
    _check_status(status)
    conversation = Conversation(
        contact_id=contact_id,
        flow_id=flow_id,
        flow_version=flow_version,
        language=language,
        channel=channel,
        state=seal(session, state),
        status=status,
        started_at=now,
        updated_at=now,
        ended_at=None if status == "active" else now,
        wake_at=wake_at,
        event_id=event_id,
        area=areas.for_new_conversation(session, contact_id, event_id),
    )
    session.add(conversation)
    flush(session)
    return conversation


def update(
    session: Session,
    conversation: Conversation,
    *,
    state: dict[str, Any],
    status: str,
    now: datetime,
    wake_at: datetime | None,
) -> None:
    _check_status(status)
    conversation.state = seal(session, state)
    # The engine may hand back the same dict mutated in place, which SQLAlchemy cannot see.
    flag_modified(conversation, "state")
    conversation.status = status
    conversation.updated_at = now
    conversation.wake_at = wake_at
    if status != "active" and conversation.ended_at is None:
        conversation.ended_at = now
    flush(session)


def set_answered_by(conversation: Conversation, value: str | None) -> None:
    """Who gave the answers (flows.who_answered values); None when the answer was taken back."""
    if value is not None and value not in ANSWERED_BY:
        raise ValueError(f"unknown answered_by {value!r}; expected one of {sorted(ANSWERED_BY)}")
    conversation.answered_by = value


def _check_status(status: str) -> None:
    if status not in CONVERSATION_STATUSES:
        raise ValueError(
            f"unknown conversation status {status!r}; expected one of "
            f"{sorted(CONVERSATION_STATUSES)}"
        )


def due(session: Session, now: datetime, limit: int) -> list[Conversation]:
    """Active conversations whose wake-up time has come, row-locked; on PostgreSQL rows another
    worker holds are skipped rather than waited for."""
    return list(
        session.scalars(
            select(Conversation)
            .where(Conversation.status == "active", Conversation.wake_at <= now)
            .order_by(Conversation.wake_at, Conversation.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
            .execution_options(populate_existing=True)
        )
    )

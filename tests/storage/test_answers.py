from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from storage import answers, conversations, messages
from storage.models import Answer, ChannelIdentity, Contact, Conversation


def _conversation(session: Session, contact: Contact, now: datetime) -> Conversation:
    return conversations.create(
        session,
        contact_id=contact.id,
        flow_id="young_person_voice",
        flow_version=1,
        language="en",
        channel="telegram",
        state={},
        status="active",
        now=now,
        wake_at=None,
    )


def _record(
    session: Session,
    conversation: Conversation,
    step_id: str,
    value: Any,
    now: datetime,
    *,
    special: str | None = None,
    raw_text: str | None = None,
    message_id: int | None = None,
) -> Answer:
    return answers.record(
        session,
        conversation=conversation,
        step_id=step_id,
        value=value,
        special=special,
        raw_text=raw_text,
        message_id=message_id,
        now=now,
    )


def test_answers_are_stored_in_order(
    session: Session, parent: tuple[Contact, ChannelIdentity], now: datetime
) -> None:
    contact, _ = parent
    conversation = _conversation(session, contact, now)
    _record(session, conversation, "school", "Oak Primary", now, raw_text="oak primary")
    _record(session, conversation, "rating", 4, now)
    _record(session, conversation, "needs", ["speech", "sensory"], now)
    session.commit()
    session.expire_all()

    stored = answers.for_conversation(session, conversation.id)
    assert [(a.step_id, a.value) for a in stored] == [
        ("school", "Oak Primary"),
        ("rating", 4),
        ("needs", ["speech", "sensory"]),
    ]
    assert stored[0].raw_text == "oak primary"
    assert all(a.contact_id == contact.id and a.flow_id == "young_person_voice" for a in stored)


def test_answering_a_step_again_replaces_the_earlier_answer(
    session: Session, parent: tuple[Contact, ChannelIdentity], now: datetime
) -> None:
    contact, identity = parent
    conversation = _conversation(session, contact, now)
    reply = messages.record_inbound(
        session,
        channel="sms",
        provider_id="SM2",
        body="3",
        contact_id=contact.id,
        identity_id=identity.id,
        meta={},
        now=now,
    )
    assert reply is not None
    first = _record(session, conversation, "rating", 2, now, raw_text="2")
    later = now + timedelta(minutes=3)
    second = _record(session, conversation, "rating", 3, later, raw_text="3", message_id=reply.id)
    session.commit()
    session.expire_all()

    stored = answers.for_conversation(session, conversation.id)
    assert len(stored) == 1
    assert second.id == first.id
    only = stored[0]
    assert (only.value, only.raw_text, only.message_id) == (3, "3", reply.id)
    assert (only.answered_at, only.updated_at) == (now, later)


def test_a_skip_is_stored_as_a_special_with_no_value(
    session: Session, parent: tuple[Contact, ChannelIdentity], now: datetime
) -> None:
    contact, _ = parent
    conversation = _conversation(session, contact, now)
    _record(session, conversation, "rating", 5, now)
    _record(session, conversation, "rating", None, now, special="skip", raw_text="SKIP")
    session.commit()

    stored = answers.for_conversation(session, conversation.id)
    assert [(a.value, a.special) for a in stored] == [(None, "skip")]
    # SQL NULL rather than JSON null, so reports can filter with IS NULL.
    assert session.execute(text("SELECT count(*) FROM answers WHERE value IS NULL")).scalar() == 1


def test_the_same_step_in_two_conversations_is_two_answers(
    session: Session, parent: tuple[Contact, ChannelIdentity], now: datetime
) -> None:
    contact, _ = parent
    first = _conversation(session, contact, now)
    conversations.update(session, first, state={}, status="completed", now=now, wake_at=None)
    second = _conversation(session, contact, now)
    _record(session, first, "rating", 1, now)
    _record(session, second, "rating", 5, now)
    values = session.scalars(select(Answer.value).order_by(Answer.id)).all()
    assert values == [1, 5]


def test_going_back_retracts_the_answers_that_no_longer_stand(
    session: Session, parent: tuple[Contact, ChannelIdentity], now: datetime
) -> None:
    contact, _ = parent
    conversation = _conversation(session, contact, now)
    for step in ("school", "rating", "needs"):
        _record(session, conversation, step, "x", now)
    session.commit()

    assert answers.retract(session, conversation.id, ("rating", "needs", "never_answered")) == 2
    assert answers.retract(session, conversation.id, ()) == 0
    session.commit()
    assert [a.step_id for a in answers.for_conversation(session, conversation.id)] == ["school"]

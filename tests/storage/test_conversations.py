from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from storage import contacts, conversations
from storage.models import ChannelIdentity, Contact, Conversation
from tests.helpers import requires_postgres


def _start(
    session: Session,
    contact_id: int,
    now: datetime,
    *,
    status: str = "active",
    wake_at: datetime | None = None,
    state: dict[str, Any] | None = None,
) -> Conversation:
    return conversations.create(
        session,
        contact_id=contact_id,
        flow_id="ehcp_experience",
        flow_version=3,
        language="en",
        channel="sms",
        state=state if state is not None else {"step": "q1"},
        status=status,
        now=now,
        wake_at=wake_at,
    )


def test_create_and_find_the_active_conversation(
    session: Session, parent: tuple[Contact, ChannelIdentity], now: datetime
) -> None:
    contact, _ = parent
    assert conversations.active_for(session, contact.id) is None
    created = _start(session, contact.id, now, state={"step": "q1", "seen": ["intro"]})
    session.commit()
    session.expire_all()
    found = conversations.active_for(session, contact.id)
    assert found is not None
    assert found.id == created.id
    assert (found.flow_id, found.flow_version, found.status) == ("ehcp_experience", 3, "active")
    assert found.state == {"step": "q1", "seen": ["intro"]}
    assert found.started_at == now
    assert found.ended_at is None
    assert found.event_id is None


def test_a_contact_cannot_have_two_active_conversations(
    session: Session, parent: tuple[Contact, ChannelIdentity], now: datetime
) -> None:
    contact, _ = parent
    _start(session, contact.id, now)
    with pytest.raises(IntegrityError):
        _start(session, contact.id, now)


def test_finished_conversations_do_not_block_a_new_one(
    session: Session, parent: tuple[Contact, ChannelIdentity], now: datetime
) -> None:
    contact, _ = parent
    first = _start(session, contact.id, now)
    conversations.update(session, first, state={}, status="completed", now=now, wake_at=None)
    _start(session, contact.id, now, status="stopped")
    second = _start(session, contact.id, now)
    assert conversations.active_for(session, contact.id) == second


def test_leaving_active_records_when_it_ended(
    session: Session, parent: tuple[Contact, ChannelIdentity], now: datetime
) -> None:
    contact, _ = parent
    conversation = _start(session, contact.id, now, wake_at=now + timedelta(days=3))
    later = now + timedelta(minutes=5)
    conversations.update(
        session, conversation, state={"step": "done"}, status="completed", now=later, wake_at=None
    )
    session.commit()
    session.expire_all()
    reloaded = session.get_one(Conversation, conversation.id)
    assert (reloaded.status, reloaded.ended_at, reloaded.updated_at) == ("completed", later, later)
    assert reloaded.wake_at is None
    assert conversations.active_for(session, contact.id) is None


def test_state_mutated_in_place_is_still_saved(
    session: Session, parent: tuple[Contact, ChannelIdentity], now: datetime
) -> None:
    contact, _ = parent
    conversation = _start(session, contact.id, now)
    session.commit()
    state = conversation.state
    state["step"] = "q2"
    state["answers"] = {"q1": "Ysgol ✓"}
    conversations.update(session, conversation, state=state, status="active", now=now, wake_at=None)
    session.commit()
    session.expire_all()
    assert session.get_one(Conversation, conversation.id).state == {
        "step": "q2",
        "answers": {"q1": "Ysgol ✓"},
    }


def test_due_returns_active_conversations_whose_time_has_come(
    session: Session, now: datetime
) -> None:
    people = [
        contacts.find_or_create(session, "sms", f"+4477009000{i:02d}", now)[0] for i in range(5)
    ]
    late = _start(session, people[0].id, now, wake_at=now - timedelta(hours=2))
    on_time = _start(session, people[1].id, now, wake_at=now)
    _start(session, people[2].id, now, wake_at=now + timedelta(seconds=1))
    _start(session, people[3].id, now, wake_at=None)
    _start(session, people[4].id, now, status="completed", wake_at=now - timedelta(days=1))
    session.commit()

    assert [c.id for c in conversations.due(session, now, limit=10)] == [late.id, on_time.id]
    assert [c.id for c in conversations.due(session, now, limit=1)] == [late.id]


@requires_postgres
def test_due_skips_conversations_another_worker_is_handling(
    session_factory: sessionmaker[Session], now: datetime, pool: ThreadPoolExecutor
) -> None:
    with session_factory() as setup:
        for i in range(4):
            contact, _, _ = contacts.find_or_create(setup, "sms", f"+4477009000{i:02d}", now)
            _start(setup, contact.id, now, wake_at=now - timedelta(minutes=i))
        setup.commit()

    with session_factory() as first:
        mine = {c.id for c in conversations.due(first, now, limit=2)}

        def other_worker() -> set[int]:
            with session_factory() as second:
                return {c.id for c in conversations.due(second, now, limit=10)}

        theirs = pool.submit(other_worker).result(timeout=10)
        first.commit()
    assert len(mine) == 2
    assert len(theirs) == 2
    assert mine.isdisjoint(theirs)


def test_unknown_status_is_refused(
    session: Session, parent: tuple[Contact, ChannelIdentity], now: datetime
) -> None:
    contact, _ = parent
    with pytest.raises(ValueError, match="status"):
        _start(session, contact.id, now, status="waiting")
    conversation = _start(session, contact.id, now)
    with pytest.raises(ValueError, match="status"):
        conversations.update(session, conversation, state={}, status="done", now=now, wake_at=None)

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from storage import answers, contacts, conversations, messages
from storage.crypto import cipher_of
from storage.models import ChannelIdentity, Contact, Message

ADDRESS = "+447700900123"


def _count(session: Session, model: type[Contact] | type[ChannelIdentity]) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def test_first_contact_creates_a_contact_with_defaults(session: Session, now: datetime) -> None:
    contact, identity, created = contacts.find_or_create(session, "sms", ADDRESS, now)
    assert created
    assert (contact.role, contact.preferred_language, contact.timezone) == (
        "unknown",
        "en",
        "Europe/London",
    )
    assert contact.preferred_channel == "sms"
    assert len(contact.pseudonym) == 16
    int(contact.pseudonym, 16)
    assert contact.created_at == now
    assert contact.opted_out_at is None
    assert (identity.contact_id, identity.channel, identity.address) == (contact.id, "sms", ADDRESS)


def test_returning_contact_is_found_not_duplicated(session: Session, now: datetime) -> None:
    first, _, _ = contacts.find_or_create(session, "sms", ADDRESS, now, role="parent")
    again, identity, created = contacts.find_or_create(
        session, "sms", ADDRESS, now + timedelta(days=1), role="young_person", language="cy"
    )
    assert not created
    assert again.id == first.id
    # Role and language only describe a new contact; they never overwrite what we know.
    assert (again.role, again.preferred_language) == ("parent", "en")
    assert identity.address == ADDRESS
    assert _count(session, Contact) == 1


def test_role_and_language_apply_to_a_new_contact(session: Session, now: datetime) -> None:
    contact, _, _ = contacts.find_or_create(
        session, "telegram", "12345", now, role="young_person", language="cy"
    )
    assert (contact.role, contact.preferred_language) == ("young_person", "cy")


def test_same_address_on_another_channel_is_another_contact(
    session: Session, now: datetime
) -> None:
    sms, _, _ = contacts.find_or_create(session, "sms", "12345", now)
    telegram, _, _ = contacts.find_or_create(session, "telegram", "12345", now)
    assert sms.id != telegram.id
    assert sms.pseudonym != telegram.pseudonym


def test_find_by_address(session: Session, now: datetime) -> None:
    assert contacts.find_by_address(session, "sms", ADDRESS) is None
    contact, identity, _ = contacts.find_or_create(session, "sms", ADDRESS, now)
    found = contacts.find_by_address(session, "sms", ADDRESS)
    assert found is not None
    assert (found[0].id, found[1].id) == (contact.id, identity.id)
    assert contacts.find_by_address(session, "telegram", ADDRESS) is None


def test_identity_for_finds_where_to_reach_a_contact(session: Session, now: datetime) -> None:
    contact, identity, _ = contacts.find_or_create(session, "sms", ADDRESS, now)
    found = contacts.identity_for(session, contact.id, "sms")
    assert found is not None
    assert found.id == identity.id
    assert contacts.identity_for(session, contact.id, "telegram") is None


def test_opt_out_then_opt_in(session: Session, now: datetime) -> None:
    contact, _, _ = contacts.find_or_create(session, "sms", ADDRESS, now)
    later = now + timedelta(hours=2)
    contacts.opt_out(session, contact, "sms", later)
    session.commit()
    session.expire_all()
    reloaded = session.get_one(Contact, contact.id)
    assert (reloaded.opted_out_at, reloaded.opt_out_channel) == (later, "sms")
    # A second STOP keeps the time they first opted out.
    contacts.opt_out(session, reloaded, "sms", later + timedelta(hours=1))
    assert reloaded.opted_out_at == later

    contacts.opt_in(session, reloaded, later + timedelta(days=1))
    session.commit()
    session.expire_all()
    reloaded = session.get_one(Contact, contact.id)
    assert reloaded.opted_out_at is None
    assert reloaded.opt_out_channel is None
    assert reloaded.updated_at == later + timedelta(days=1)


def test_lock_returns_the_committed_row(
    session_factory: sessionmaker[Session], now: datetime
) -> None:
    with session_factory() as first:
        contact, _, _ = contacts.find_or_create(first, "sms", ADDRESS, now)
        first.commit()
        with session_factory() as second:
            other = second.get_one(Contact, contact.id)
            other.set_display_name("Sam", cipher_of(second))
            second.commit()
        assert contacts.lock(first, contact.id).display_name == "Sam"


def test_locked_read_modify_write_loses_no_update(
    session_factory: sessionmaker[Session], now: datetime, pool: ThreadPoolExecutor
) -> None:
    with session_factory() as setup:
        contact, _, _ = contacts.find_or_create(setup, "sms", ADDRESS, now)
        contact.age_band = "0"
        setup.commit()
        contact_id = contact.id

    def bump() -> None:
        for _ in range(10):
            with session_factory() as session:
                locked = contacts.lock(session, contact_id)
                value = int(locked.age_band or "0")
                time.sleep(0.001)
                locked.age_band = str(value + 1)
                session.commit()

    for future in [pool.submit(bump) for _ in range(3)]:
        future.result(timeout=60)
    with session_factory() as check:
        assert check.get_one(Contact, contact_id).age_band == "30"


def test_second_sender_from_a_new_number_waits_and_finds_the_first_contact(
    session_factory: sessionmaker[Session], now: datetime, pool: ThreadPoolExecutor
) -> None:
    with session_factory() as first:
        winner, _, created = contacts.find_or_create(first, "sms", ADDRESS, now)
        assert created

        def second_attempt() -> tuple[int, bool]:
            with session_factory() as second:
                contact, _, created = contacts.find_or_create(second, "sms", ADDRESS, now)
                second.commit()
                return contact.id, created

        future = pool.submit(second_attempt)
        time.sleep(0.3)
        assert not future.done(), "the second transaction must wait for the first"
        first.commit()
        assert future.result(timeout=30) == (winner.id, False)

    with session_factory() as check:
        assert _count(check, Contact) == 1
        assert _count(check, ChannelIdentity) == 1


def test_simultaneous_first_messages_create_one_contact(
    session_factory: sessionmaker[Session], now: datetime, pool: ThreadPoolExecutor
) -> None:
    barrier = threading.Barrier(2)

    def attempt() -> tuple[int, bool]:
        with session_factory() as session:
            barrier.wait(timeout=10)
            contact, _, created = contacts.find_or_create(session, "sms", ADDRESS, now)
            session.commit()
            return contact.id, created

    results = [f.result(timeout=30) for f in [pool.submit(attempt), pool.submit(attempt)]]
    assert results[0][0] == results[1][0]
    assert sorted(created for _, created in results) == [False, True]
    with session_factory() as check:
        assert _count(check, Contact) == 1


def test_erasing_a_contact_removes_their_data_but_keeps_the_message_log_detached(
    session: Session, now: datetime
) -> None:
    contact, identity, _ = contacts.find_or_create(session, "sms", ADDRESS, now)
    conversation = conversations.create(
        session,
        contact_id=contact.id,
        flow_id="f",
        flow_version=1,
        language="en",
        channel="sms",
        state={},
        status="active",
        now=now,
        wake_at=None,
    )
    inbound = messages.record_inbound(
        session,
        channel="sms",
        provider_id="SM1",
        body="yes",
        contact_id=contact.id,
        identity_id=identity.id,
        meta={},
        now=now,
    )
    assert inbound is not None
    answers.record(
        session,
        conversation=conversation,
        step_id="q1",
        value="yes",
        special=None,
        raw_text="yes",
        message_id=inbound.id,
        now=now,
    )
    contact_id, conversation_id, message_id = contact.id, conversation.id, inbound.id
    session.delete(contact)
    session.commit()
    session.expire_all()

    assert _count(session, Contact) == 0
    assert _count(session, ChannelIdentity) == 0
    assert conversations.active_for(session, contact_id) is None
    assert answers.for_conversation(session, conversation_id) == []
    kept = session.get_one(Message, message_id)
    assert (kept.contact_id, kept.identity_id, kept.conversation_id) == (None, None, None)


def test_unknown_role_is_refused(session: Session, now: datetime) -> None:
    with pytest.raises(ValueError, match="role"):
        contacts.find_or_create(session, "sms", ADDRESS, now, role="teacher")

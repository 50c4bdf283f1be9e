from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from storage import contacts, messages
from storage.models import ChannelIdentity, Contact, Message
from tests.helpers import requires_postgres

LEASE = timedelta(minutes=2)


def _inbound(
    session: Session,
    contact: Contact,
    identity: ChannelIdentity,
    provider_id: str | None,
    now: datetime,
) -> Message | None:
    return messages.record_inbound(
        session,
        channel=identity.channel,
        provider_id=provider_id,
        body="Yes please",
        contact_id=contact.id,
        identity_id=identity.id,
        meta={"media": 0},
        now=now,
    )


def _queue(
    session: Session, contact: Contact, identity: ChannelIdentity, now: datetime, body: str = "Hi"
) -> Message:
    return messages.queue_outbound(
        session,
        channel=identity.channel,
        identity_id=identity.id,
        contact_id=contact.id,
        conversation_id=None,
        body=body,
        meta={"buttons": ["Yes", "No"], "kind": "choice"},
        segments=1,
        now=now,
    )


def _count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Message)) or 0


def test_inbound_message_is_recorded(
    session: Session, parent: tuple[Contact, ChannelIdentity], now: datetime
) -> None:
    contact, identity = parent
    message = _inbound(session, contact, identity, "SM100", now)
    assert message is not None
    assert (message.direction, message.status, message.body) == ("in", "received", "Yes please")
    assert (message.provider_id, message.meta, message.created_at) == ("SM100", {"media": 0}, now)


def test_redelivered_webhook_is_a_no_op(
    session: Session, parent: tuple[Contact, ChannelIdentity], now: datetime
) -> None:
    contact, identity = parent
    assert _inbound(session, contact, identity, "SM100", now) is not None
    session.commit()
    assert _inbound(session, contact, identity, "SM100", now + timedelta(seconds=5)) is None
    assert _count(session) == 1


def test_provider_ids_are_unique_per_channel_and_direction(
    session: Session, parent: tuple[Contact, ChannelIdentity], now: datetime
) -> None:
    contact, identity = parent
    telegram = contacts.find_or_create(session, "telegram", "777", now)[1]
    assert _inbound(session, contact, identity, "42", now) is not None
    assert _inbound(session, contact, telegram, "42", now) is not None
    outbound = _queue(session, contact, identity, now)
    messages.mark_sent(session, outbound, "42", now)
    assert _count(session) == 3


def test_inbound_without_provider_id_is_always_kept(
    session: Session, parent: tuple[Contact, ChannelIdentity], now: datetime
) -> None:
    contact, identity = parent
    assert _inbound(session, contact, identity, None, now) is not None
    assert _inbound(session, contact, identity, None, now) is not None
    assert _count(session) == 2


def test_queued_message_waits_in_the_outbox(
    session: Session, parent: tuple[Contact, ChannelIdentity], now: datetime
) -> None:
    contact, identity = parent
    message = _queue(session, contact, identity, now)
    session.commit()
    session.expire_all()
    stored = session.get_one(Message, message.id)
    assert (stored.direction, stored.status, stored.attempts) == ("out", "queued", 0)
    assert (stored.next_attempt_at, stored.identity_id, stored.segments) == (now, identity.id, 1)
    assert stored.meta == {"buttons": ["Yes", "No"], "kind": "choice"}
    assert stored.provider_id is None


def test_claim_takes_due_messages_oldest_first_and_leases_them(
    session: Session, parent: tuple[Contact, ChannelIdentity], now: datetime
) -> None:
    contact, identity = parent
    first = _queue(session, contact, identity, now - timedelta(minutes=1))
    second = _queue(session, contact, identity, now)
    third = _queue(session, contact, identity, now + timedelta(seconds=1))
    _inbound(session, contact, identity, "SM1", now - timedelta(hours=1))
    session.commit()

    claimed = messages.claim_due(session, now, limit=10, lease=LEASE)
    assert [m.id for m in claimed] == [first.id, second.id]
    assert all(m.status == "sending" and m.attempts == 1 for m in claimed)
    assert all(m.next_attempt_at == now + LEASE for m in claimed)
    session.commit()
    # While the lease holds, nobody else gets them, nor this person's later message: it waits
    # for them, unless the sender asking is the one sending them.
    later = now + timedelta(seconds=30)
    assert messages.claim_due(session, later, limit=10, lease=LEASE) == []
    mine = {first.id, second.id}
    claimed = messages.claim_due(session, later, limit=10, lease=LEASE, in_flight=mine)
    assert [m.id for m in claimed] == [third.id]


def test_claim_respects_limit_and_channels(
    session: Session, parent: tuple[Contact, ChannelIdentity], now: datetime
) -> None:
    contact, identity = parent
    telegram = contacts.find_or_create(session, "telegram", "777", now)[1]
    sms = [_queue(session, contact, identity, now) for _ in range(3)]
    chat = _queue(session, contact, telegram, now)

    assert [m.id for m in messages.claim_due(session, now, limit=2, lease=LEASE)] == [
        sms[0].id,
        sms[1].id,
    ]
    assert messages.claim_due(session, now, limit=10, channels=[], lease=LEASE) == []
    assert [
        m.id for m in messages.claim_due(session, now, limit=10, channels={"telegram"}, lease=LEASE)
    ] == [chat.id]
    rest = messages.claim_due(session, now, limit=10, lease=LEASE, in_flight={sms[0].id, sms[1].id})
    assert [m.id for m in rest] == [sms[2].id]


def test_a_crashed_senders_claim_comes_back_after_the_lease(
    session: Session, parent: tuple[Contact, ChannelIdentity], now: datetime
) -> None:
    contact, identity = parent
    message = _queue(session, contact, identity, now)
    messages.claim_due(session, now, limit=10, lease=LEASE)
    session.commit()

    assert (
        messages.claim_due(session, now + LEASE - timedelta(seconds=1), limit=10, lease=LEASE) == []
    )
    reclaimed = messages.claim_due(session, now + LEASE, limit=10, lease=LEASE)
    assert [m.id for m in reclaimed] == [message.id]
    assert reclaimed[0].attempts == 2
    assert reclaimed[0].next_attempt_at == now + 2 * LEASE


def test_a_sender_never_claims_again_what_it_is_still_sending(
    session: Session, parent: tuple[Contact, ChannelIdentity], now: datetime
) -> None:
    contact, identity = parent
    message = _queue(session, contact, identity, now)
    messages.claim_due(session, now, limit=10, lease=LEASE)
    session.commit()
    # Its lease has run out (the process was slow to renew it), but the process asking is the
    # one sending it: to that process it is not a dead sender's message.
    late = now + 2 * LEASE
    assert messages.claim_due(session, late, limit=10, lease=LEASE, in_flight={message.id}) == []
    assert [m.id for m in messages.claim_due(session, late, limit=10, lease=LEASE)] == [message.id]


def test_a_renewed_lease_keeps_a_message_from_other_senders(
    session: Session, parent: tuple[Contact, ChannelIdentity], now: datetime
) -> None:
    contact, identity = parent
    message = _queue(session, contact, identity, now)
    messages.claim_due(session, now, limit=10, lease=LEASE)
    session.commit()
    renewed_at = now + LEASE / 3
    held = {message.id: now + LEASE}
    assert messages.renew_leases(session, held, renewed_at + LEASE) == {message.id}
    session.commit()
    assert messages.claim_due(session, now + LEASE, limit=10, lease=LEASE) == []
    assert messages.claim_due(session, renewed_at + LEASE, limit=10, lease=LEASE) != []


def test_a_lease_another_sender_has_taken_over_is_not_renewed(
    session: Session, parent: tuple[Contact, ChannelIdentity], now: datetime
) -> None:
    contact, identity = parent
    mine, sent = _queue(session, contact, identity, now), _queue(session, contact, identity, now)
    messages.claim_due(session, now, limit=10, lease=LEASE)
    messages.mark_sent(session, sent, "SM1", now)
    session.commit()
    # This sender stalled past its lease; another took the message over.
    (taken,) = messages.claim_due(session, now + LEASE, limit=10, lease=LEASE)
    session.commit()
    held = {mine.id: now + LEASE, sent.id: now + LEASE}
    assert messages.renew_leases(session, held, now + 3 * LEASE) == set()
    session.commit()
    session.expire_all()
    assert session.get_one(Message, taken.id).next_attempt_at == now + 2 * LEASE
    assert messages.renew_leases(session, {}, now) == set()


def test_sent_message_leaves_the_outbox(
    session: Session, parent: tuple[Contact, ChannelIdentity], now: datetime
) -> None:
    contact, identity = parent
    message = _queue(session, contact, identity, now)
    (claimed,) = messages.claim_due(session, now, limit=1, lease=LEASE)
    messages.mark_sent(session, claimed, "SMout1", now + timedelta(seconds=1))
    session.commit()
    session.expire_all()

    stored = session.get_one(Message, message.id)
    assert (stored.status, stored.provider_id) == ("sent", "SMout1")
    assert stored.sent_at == now + timedelta(seconds=1)
    assert messages.claim_due(session, now + timedelta(days=1), limit=10, lease=LEASE) == []
    assert messages.pending_for_contact(session, contact.id) == []


def test_retry_waits_until_the_given_time(
    session: Session, parent: tuple[Contact, ChannelIdentity], now: datetime
) -> None:
    contact, identity = parent
    message = _queue(session, contact, identity, now)
    (claimed,) = messages.claim_due(session, now, limit=1, lease=LEASE)
    retry_at = now + timedelta(seconds=30)
    messages.mark_retry(session, claimed, retry_at, "20429", "Too many requests")
    session.commit()
    session.expire_all()

    stored = session.get_one(Message, message.id)
    assert (stored.status, stored.error_code, stored.error_message) == (
        "queued",
        "20429",
        "Too many requests",
    )
    assert messages.claim_due(session, retry_at - timedelta(seconds=1), limit=5, lease=LEASE) == []
    (again,) = messages.claim_due(session, retry_at, limit=5, lease=LEASE)
    assert (again.id, again.attempts) == (message.id, 2)


@pytest.mark.parametrize("outcome", ["failed", "cancelled"])
def test_failed_or_cancelled_message_is_never_sent(
    session: Session, parent: tuple[Contact, ChannelIdentity], now: datetime, outcome: str
) -> None:
    contact, identity = parent
    message = _queue(session, contact, identity, now)
    if outcome == "failed":
        messages.mark_failed(session, message, "21610", "Recipient unsubscribed", now)
    else:
        messages.mark_cancelled(session, message, "contact opted out", now)
    session.commit()
    session.expire_all()

    stored = session.get_one(Message, message.id)
    assert stored.status == outcome
    assert stored.status_updated_at == now
    assert stored.error_message in {"Recipient unsubscribed", "contact opted out"}
    assert messages.claim_due(session, now + timedelta(days=1), limit=10, lease=LEASE) == []
    assert messages.pending_for_contact(session, contact.id) == []


def test_delivery_receipts_update_status_without_going_backwards(
    session: Session, parent: tuple[Contact, ChannelIdentity], now: datetime
) -> None:
    contact, identity = parent
    message = _queue(session, contact, identity, now)
    messages.mark_sent(session, message, "SMout9", now)
    later = now + timedelta(seconds=20)

    delivered = messages.record_delivery(
        session, channel="sms", provider_id="SMout9", status="delivered", error_code=None, now=later
    )
    assert delivered is not None
    assert (delivered.id, delivered.status, delivered.status_updated_at) == (
        message.id,
        "delivered",
        later,
    )
    # Receipts can arrive out of order; a late "sent" must not hide the delivery.
    messages.record_delivery(
        session, channel="sms", provider_id="SMout9", status="sent", error_code=None, now=later
    )
    assert message.status == "delivered"
    assert (
        messages.record_delivery(
            session, channel="sms", provider_id="nope", status="failed", error_code="1", now=later
        )
        is None
    )


def test_messages_for_a_contact_and_what_is_still_pending(
    session: Session, parent: tuple[Contact, ChannelIdentity], now: datetime
) -> None:
    contact, identity = parent
    other, other_identity, _ = contacts.find_or_create(session, "sms", "+447700900999", now)
    inbound = _inbound(session, contact, identity, "SM1", now)
    assert inbound is not None
    sent = _queue(session, contact, identity, now)
    messages.mark_sent(session, sent, "SMo1", now)
    claimed = _queue(session, contact, identity, now)
    messages.claim_due(session, now, limit=1, lease=LEASE)
    queued = _queue(session, contact, identity, now + timedelta(hours=1))
    _queue(session, other, other_identity, now)

    assert [m.id for m in messages.for_contact(session, contact.id)] == [
        inbound.id,
        sent.id,
        claimed.id,
        queued.id,
    ]
    assert [m.id for m in messages.pending_for_contact(session, contact.id)] == [
        claimed.id,
        queued.id,
    ]


def _fill_outbox(
    session_factory: sessionmaker[Session], now: datetime, count: int, *, people: int | None = None
) -> set[int]:
    """`count` queued messages, to `people` numbers in turn (default: one message each)."""
    people = people or count
    with session_factory() as setup:
        found = [
            contacts.find_or_create(setup, "sms", f"+4477009001{n:02d}", now)[:2]
            for n in range(people)
        ]
        ids = {_queue(setup, *found[i % people], now, body=f"m{i}").id for i in range(count)}
        setup.commit()
    return ids


def test_concurrent_claimers_never_get_the_same_message(
    session_factory: sessionmaker[Session], now: datetime, pool: ThreadPoolExecutor
) -> None:
    queued = _fill_outbox(session_factory, now, 10)

    def claimer() -> set[int]:
        with session_factory() as session:
            ids = {m.id for m in messages.claim_due(session, now, limit=10, lease=LEASE)}
            session.commit()
            return ids

    with session_factory() as first:
        mine = {m.id for m in messages.claim_due(first, now, limit=5, lease=LEASE)}
        future = pool.submit(claimer)
        time.sleep(0.2)
        first.commit()
    theirs = future.result(timeout=30)

    assert len(mine) == 5
    assert mine.isdisjoint(theirs)
    assert mine | theirs == queued


@requires_postgres
def test_postgres_claimers_skip_locked_rows_instead_of_waiting(
    session_factory: sessionmaker[Session], now: datetime, pool: ThreadPoolExecutor
) -> None:
    queued = _fill_outbox(session_factory, now, 10)

    def claimer() -> set[int]:
        with session_factory() as session:
            ids = {m.id for m in messages.claim_due(session, now, limit=10, lease=LEASE)}
            session.commit()
            return ids

    with session_factory() as first:
        mine = {m.id for m in messages.claim_due(first, now, limit=5, lease=LEASE)}
        # Finishes while the first claim is still uncommitted: locked rows are skipped.
        theirs = pool.submit(claimer).result(timeout=10)
        first.commit()

    assert mine.isdisjoint(theirs)
    assert mine | theirs == queued


def test_a_send_recorded_by_id_matches_one_recorded_on_the_loaded_row(
    session: Session, parent: tuple[Contact, ChannelIdentity], now: datetime
) -> None:
    contact, identity = parent
    by_row, by_id = _queue(session, contact, identity, now), _queue(session, contact, identity, now)
    for message in (by_row, by_id):
        message.error_code, message.error_message = "30001", "queue overflow"  # a failed try
        message.next_attempt_at = now
    session.flush()
    messages.mark_sent(session, by_row, "SMrow", now)
    assert messages.mark_sent_by_id(session, by_id.id, "SMid", now)
    session.expire_all()

    def seen(message: Message) -> tuple[object, ...]:
        stored = session.get_one(Message, message.id)
        return (stored.status, stored.error_code, stored.error_message, stored.sent_at,
                stored.status_updated_at, stored.next_attempt_at)  # fmt: skip

    assert seen(by_id) == seen(by_row) == ("sent", None, None, now, now, None)
    assert session.get_one(Message, by_id.id).provider_id == "SMid"


def test_a_send_recorded_by_id_never_steps_back_from_a_final_status(
    session: Session, parent: tuple[Contact, ChannelIdentity], now: datetime
) -> None:
    contact, identity = parent
    message = _queue(session, contact, identity, now)
    message.status, message.error_code = "cancelled", "opted_out"  # erased while in flight
    session.flush()
    assert messages.mark_sent_by_id(session, message.id, "SMlate", now)
    session.expire_all()
    stored = session.get_one(Message, message.id)
    assert (stored.status, stored.error_code, stored.provider_id) == (
        "cancelled",
        "opted_out",
        "SMlate",
    )


def test_a_send_recorded_by_id_for_a_row_since_erased_says_so(
    session: Session, now: datetime
) -> None:
    assert not messages.mark_sent_by_id(session, 987_654, "SMgone", now)


def test_a_second_sender_never_overtakes_a_persons_earlier_messages(
    session_factory: sessionmaker[Session], now: datetime, pool: ThreadPoolExecutor
) -> None:
    # Two people, five messages each, queued in turn; a web server and a scheduler both deliver.
    queued = sorted(_fill_outbox(session_factory, now, 10, people=2))

    def claimer(in_flight: frozenset[int] = frozenset()) -> list[int]:
        with session_factory() as session:
            ids = [
                m.id
                for m in messages.claim_due(
                    session, now, limit=10, lease=LEASE, in_flight=in_flight
                )
            ]
            session.commit()
            return ids

    with session_factory() as first:
        mine = [m.id for m in messages.claim_due(first, now, limit=4, lease=LEASE)]
        # Asked while the first claim is uncommitted (PostgreSQL) or after it (SQLite): the
        # rest of both people's messages wait behind the ones the first sender holds.
        future = pool.submit(claimer)
        time.sleep(0.2)
        first.commit()
    theirs = future.result(timeout=30)
    assert mine == queued[:4]
    assert theirs == []
    assert claimer() == []
    # The sender that holds them may go on with each person's next ones, in order.
    assert claimer(frozenset(mine)) == queued[4:]


def test_a_message_waiting_to_retry_holds_back_that_persons_later_ones(
    session_factory: sessionmaker[Session], now: datetime
) -> None:
    first, other, second = sorted(_fill_outbox(session_factory, now, 3, people=2))
    with session_factory() as session:
        claimed = session.get_one(Message, first)
        messages.mark_retry(session, claimed, now + timedelta(minutes=1), "30001", "overflow")
        session.commit()
    with session_factory() as session:
        ids = [m.id for m in messages.claim_due(session, now, limit=10, lease=LEASE)]
        session.commit()
    # The first person's message queued after the one retrying waits; the other person's goes.
    assert ids == [other]
    with session_factory() as session:
        later = now + timedelta(minutes=1)
        ids = [m.id for m in messages.claim_due(session, later, limit=10, lease=LEASE)]
    assert ids == [first, second]

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.channels.base import OutboundMessage, SendResult
from bot.clock import FrozenClock
from bot.config import Settings
from bot.delivery.outbox import Outbox, backoff
from storage import contacts as contacts_repo
from storage import messages as messages_repo
from storage.models import Contact, Message


class ScriptedSender:
    channel = "sms"

    def __init__(self, results: list[SendResult]) -> None:
        self.results = results
        self.sent: list[OutboundMessage] = []

    async def send(self, message: OutboundMessage) -> SendResult:
        self.sent.append(message)
        return self.results.pop(0) if self.results else SendResult.sent(f"SM{len(self.sent)}")


def queue(
    sf: sessionmaker[Session],
    clock: FrozenClock,
    body: str = "Hello",
    *,
    to: str = "+447700900001",
    **meta: object,
) -> int:
    with sf.begin() as s:
        contact, identity, _ = contacts_repo.find_or_create(s, "sms", to, clock())
        return messages_repo.queue_outbound(
            s,
            channel="sms",
            identity_id=identity.id,
            contact_id=contact.id,
            conversation_id=None,
            body=body,
            meta=dict(meta),
            segments=1,
            now=clock(),
        ).id


def row(sf: sessionmaker[Session], message_id: int) -> Message:
    with sf() as s:
        return s.get_one(Message, message_id)


@pytest.fixture
def outbox_settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"outbox_max_attempts": 3})


async def test_a_queued_message_is_sent_once_with_the_provider_id(
    sf, clock, outbox_settings
) -> None:
    mid = queue(sf, clock)
    sender = ScriptedSender([])
    outbox = Outbox(sf, {"sms": sender}, outbox_settings, clock=clock)
    assert (await outbox.deliver_due()).sent == 1
    assert (await outbox.deliver_due()).handled == 0
    assert [m.address for m in sender.sent] == ["+447700900001"]
    assert row(sf, mid).status == "sent"
    assert row(sf, mid).provider_id == "SM1"


async def test_transient_failures_back_off_then_succeed_without_duplicates(
    sf, clock, outbox_settings
) -> None:
    mid = queue(sf, clock)
    sender = ScriptedSender(
        [SendResult.retry("500", "server error"), SendResult.retry("429", "slow")]
    )
    outbox = Outbox(sf, {"sms": sender}, outbox_settings, clock=clock)
    assert (await outbox.deliver_due()).retried == 1
    assert (await outbox.deliver_due()).handled == 0  # not due yet: backing off
    clock.advance(backoff(1))
    assert (await outbox.deliver_due()).retried == 1
    clock.advance(backoff(2))
    assert (await outbox.deliver_due()).sent == 1
    assert len(sender.sent) == 3
    assert row(sf, mid).status == "sent"
    assert row(sf, mid).attempts == 3


async def test_retries_give_up_after_max_attempts(sf, clock, outbox_settings) -> None:
    mid = queue(sf, clock)
    sender = ScriptedSender([SendResult.retry("500", "down")] * 5)
    outbox = Outbox(sf, {"sms": sender}, outbox_settings, clock=clock)
    for _ in range(5):
        await outbox.deliver_due()
        clock.advance(timedelta(hours=1))
    assert len(sender.sent) == 3
    assert row(sf, mid).status == "failed"


async def test_a_provider_opt_out_marks_the_contact_and_cancels_the_rest(
    sf, clock, outbox_settings
) -> None:
    first = queue(sf, clock, "one")
    second = queue(sf, clock, "two")
    sender = ScriptedSender([SendResult.failed("21610", "unsubscribed", opted_out=True)])
    outbox = Outbox(sf, {"sms": sender}, outbox_settings, clock=clock)
    report = await outbox.deliver_due()
    assert row(sf, first).status == "failed"
    assert row(sf, first).error_code == "21610"
    # The second was claimed in the same batch but is sent only if the contact is still opted in.
    with sf() as s:
        assert s.scalars(select(Contact)).one().opted_out_at is not None
    queue(sf, clock, "three")
    await outbox.deliver_due()
    assert [m.body for m in sender.sent][:1] == ["one"]
    assert "three" not in [m.body for m in sender.sent]
    assert report.failed == 1
    assert row(sf, second).status in ("sent", "cancelled")


async def test_nothing_is_sent_to_an_opted_out_contact_whatever_queued_it(
    sf, clock, outbox_settings
) -> None:
    mid = queue(sf, clock, "survey")
    confirmation = queue(sf, clock, "You have been unsubscribed", opt_out_confirmation=True)
    with sf.begin() as s:
        contacts_repo.opt_out(s, s.scalars(select(Contact)).one(), "sms", clock())
    # Cancelled at once, so nothing older holds the confirmation back.
    assert (row(sf, mid).status, row(sf, mid).error_message) == ("cancelled", "opted_out")
    assert row(sf, confirmation).status == "queued"
    sender = ScriptedSender([])
    await Outbox(sf, {"sms": sender}, outbox_settings, clock=clock).deliver_due()
    assert [m.body for m in sender.sent] == ["You have been unsubscribed"]
    assert row(sf, mid).status == "cancelled"
    assert row(sf, confirmation).status == "sent"


async def test_a_send_that_fails_after_the_person_said_stop_is_not_retried(
    sf, clock, outbox_settings
) -> None:
    mid = queue(sf, clock, "question 1")
    sent: list[str] = []

    class StopDuringSend:
        channel = "sms"

        async def send(self, message: OutboundMessage) -> SendResult:
            # The parent texts STOP while this send is with the provider, and the send fails.
            with sf.begin() as s:
                contacts_repo.opt_out(s, s.scalars(select(Contact)).one(), "sms", clock())
            sent.append(message.body)
            return SendResult.retry("500", "server error")

    report = await Outbox(sf, {"sms": StopDuringSend()}, outbox_settings, clock=clock).deliver_due()
    assert sent == ["question 1"]
    assert (report.cancelled, report.retried) == (1, 0)
    assert (row(sf, mid).status, row(sf, mid).error_message) == ("cancelled", "opted_out")
    clock.advance(timedelta(hours=1))
    outbox = Outbox(sf, {"sms": StopDuringSend()}, outbox_settings, clock=clock)
    assert (await outbox.deliver_due()).handled == 0
    assert sent == ["question 1"]


async def test_a_crashing_sender_does_not_lose_the_message(sf, clock, outbox_settings) -> None:
    class Broken:
        channel = "sms"

        async def send(self, message: OutboundMessage) -> SendResult:
            raise RuntimeError("bug")

    mid = queue(sf, clock)
    await Outbox(sf, {"sms": Broken()}, outbox_settings, clock=clock).deliver_due()
    assert row(sf, mid).status == "queued"
    assert row(sf, mid).error_code == "sender_error"


def test_backoff_grows_and_is_capped() -> None:
    assert backoff(1) == timedelta(seconds=10)
    assert backoff(2) == timedelta(seconds=20)
    assert backoff(30) == timedelta(minutes=30)
    assert backoff(1, timedelta(minutes=2)) == timedelta(minutes=2)
    assert backoff(5, timedelta(seconds=3)) == timedelta(seconds=3)  # the provider said when
    assert backoff(1, timedelta(hours=5)) == timedelta(minutes=30)


async def test_a_rate_refusal_is_retried_soon_and_never_uses_up_the_attempts(
    sf, clock, outbox_settings
) -> None:
    mid = queue(sf, clock)
    wait = timedelta(seconds=1)
    sender = ScriptedSender([SendResult.retry("20429", "Too Many Requests", wait)] * 5)
    outbox = Outbox(sf, {"sms": sender}, outbox_settings, clock=clock)
    for _ in range(5):  # more refusals than outbox_max_attempts
        assert (await outbox.deliver_due()).retried == 1
        assert row(sf, mid).next_attempt_at == clock() + wait
        clock.advance(wait)
    assert (await outbox.deliver_due()).sent == 1
    assert len(sender.sent) == 6
    assert (row(sf, mid).status, row(sf, mid).attempts) == ("sent", 1)


class SlowSender:
    """Answers after a while, later for some numbers than others; notes how many were out at once."""

    channel = "sms"

    def __init__(self) -> None:
        self.sent: list[str] = []
        self.out = 0
        self.most_out = 0

    async def send(self, message: OutboundMessage) -> SendResult:
        self.out += 1
        self.most_out = max(self.most_out, self.out)
        await asyncio.sleep(0.03 if message.address.endswith("1") else 0.005)
        self.out -= 1
        self.sent.append(message.body)
        return SendResult.sent(f"SM{len(self.sent)}")


async def test_sends_overlap_but_each_person_gets_theirs_in_order(
    sf, clock, outbox_settings
) -> None:
    numbers = [f"+44770090000{i}" for i in range(1, 5)]
    for n in range(5):
        for number in numbers:
            queue(sf, clock, f"{number[-1]}:{n}", to=number)
    sender = SlowSender()
    outbox = Outbox(sf, {"sms": sender}, outbox_settings, clock=clock, max_in_flight=8)
    assert (await outbox.deliver_due()).sent == 20
    assert sender.most_out > 1
    for number in numbers:
        mine = [b for b in sender.sent if b.startswith(number[-1])]
        assert mine == [f"{number[-1]}:{n}" for n in range(5)]
    with sf() as s:
        assert set(s.scalars(select(Message.status))) == {"sent"}


async def test_two_delivering_processes_keep_each_persons_messages_in_order(
    sf, clock, outbox_settings
) -> None:
    # `sendvoice serve` and `sendvoice scheduler` each run an outbox over the same database.
    numbers = [f"+44770090000{i}" for i in range(1, 5)]
    for n in range(5):
        for number in numbers:
            queue(sf, clock, f"{number[-1]}:{n}", to=number)
    small = outbox_settings.model_copy(update={"outbox_batch_size": 3})  # claims split people
    sender = SlowSender()
    started: list[str] = []
    busy: set[str] = set()

    async def send(message: OutboundMessage) -> SendResult:
        assert message.address not in busy, "two sends to one person at once"
        busy.add(message.address)
        started.append(message.body)
        try:
            return await SlowSender.send(sender, message)
        finally:
            busy.discard(message.address)

    sender.send = send  # type: ignore[method-assign]
    first = Outbox(sf, {"sms": sender}, small, clock=clock, max_in_flight=8)
    second = Outbox(sf, {"sms": sender}, small, clock=clock, max_in_flight=8)
    while len(sender.sent) < 20:
        reports = await asyncio.gather(first.deliver_due(), second.deliver_due())
        assert sum(r.handled for r in reports) > 0, "nothing left to claim, yet not all sent"
    for number in numbers:
        mine = [b for b in started if b.startswith(number[-1])]
        assert mine == [f"{number[-1]}:{n}" for n in range(5)]
    assert sorted(sender.sent) == sorted(started)  # each once
    with sf() as s:
        assert set(s.scalars(select(Message.status))) == {"sent"}

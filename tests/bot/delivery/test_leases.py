"""A message being sent is never taken again while its sender is alive, however long the provider
takes to answer; once its sender is dead, another takes it within seconds.

Real time, a lease of a second and the fake Twilio answering slowly: what a busy machine does to a
two-minute lease, made to happen every run.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.delivery.outbox import Outbox
from bot.delivery.pacing import TokenBucket
from bot.services import Services, build_services
from storage import messages as messages_repo
from storage.models import Message
from tests.bot.channels.sms.conftest import queue_texts, sms_settings
from tests.fakes.twilio import Failure, FakeTwilio

LEASE_SECONDS = 1
SLOW_ANSWER = 4.0  # seconds: several leases
RECOVERY_SECONDS = 25  # after kill -9, the people waiting are answered within this
PEOPLE = [f"+4477009{i:05d}" for i in range(14)]


@pytest.fixture
def fake() -> Iterator[FakeTwilio]:
    with FakeTwilio() as twilio:
        yield twilio


@pytest.fixture
def services(database_url: str, fake: FakeTwilio) -> Iterator[Services]:
    settings = sms_settings(
        database_url, fake, "https://sendvoice.example.gov.uk", twilio_timeout_seconds=15.0
    )
    # Below the setting's floor on purpose: the renewal, not the lease's length, keeps it safe.
    settings = settings.model_copy(update={"outbox_lease_seconds": LEASE_SECONDS})
    built = build_services(settings)
    yield built
    asyncio.run(built.aclose())
    built.close()


def outbox(services: Services, *, rate: float = 4.0, max_in_flight: int = 2) -> Outbox:
    """An outbox sending a few a second with few sends in hand, so the rest wait in the process."""
    return Outbox(
        services.session_factory,
        services.senders,
        services.settings,
        limits={"sms": TokenBucket(rate, start_full=False)},
        max_in_flight=max_in_flight,
    )


def stored(services: Services) -> list[Message]:
    with services.session_factory() as s:
        return list(s.scalars(select(Message).order_by(Message.id)))


async def test_a_slow_answer_does_not_make_the_same_process_send_it_again(
    services: Services, fake: FakeTwilio
) -> None:
    queue_texts(services, PEOPLE)
    fake.fail_next(Failure.slow(SLOW_ANSWER))  # the first text's answer is late
    report = await outbox(services).deliver_due()
    texts = Counter(m.to for m in fake.messages)
    assert texts == dict.fromkeys(PEOPLE, 1)
    assert report.sent == len(PEOPLE)
    assert {(m.status, m.attempts) for m in stored(services)} == {("sent", 1)}


async def test_another_process_leaves_alone_what_a_live_one_is_sending(
    services: Services, fake: FakeTwilio
) -> None:
    queue_texts(services, PEOPLE[:1])
    fake.fail_next(Failure.slow(SLOW_ANSWER))
    first, second = outbox(services), outbox(services)
    sending = asyncio.create_task(first.deliver_due())
    await fake.wait_for_async(1)
    while not sending.done():  # the other process looks for work all the while
        assert (await second.deliver_due()).handled == 0
        await asyncio.sleep(0.05)
    assert (await sending).sent == 1
    assert len(fake.messages) == 1
    # Nobody took it for a crashed send and asked Twilio whether it had it.
    assert [r.method for r in fake.requests] == ["POST"]
    assert [(m.status, m.attempts) for m in stored(services)] == [("sent", 1)]


async def test_a_message_taken_over_after_a_stall_is_not_sent_by_the_stalled_process(
    services: Services, fake: FakeTwilio
) -> None:
    queue_texts(services, PEOPLE[:2])
    first, second = (m.id for m in stored(services))
    fake.fail_next(Failure.slow(SLOW_ANSWER))
    # Both claimed at once; the second waits for the first's slot.
    stalled = outbox(services, rate=1000.0, max_in_flight=1)
    sending = asyncio.create_task(stalled.deliver_due())
    await fake.wait_for_async(1)
    with services.session_factory.begin() as s:
        # As if the process had stalled past its lease and another worker then took the second.
        row = s.get_one(Message, second)
        row.next_attempt_at = datetime.now(UTC) - timedelta(seconds=1)
        s.flush()
        taken = messages_repo.claim_due(
            s, datetime.now(UTC), limit=10, lease=timedelta(minutes=5), in_flight={first}
        )
        assert [m.id for m in taken] == [second]
    report = await sending
    assert report.sent == 1
    assert [m.to for m in fake.messages] == PEOPLE[:1]  # the other worker's to send, not ours
    assert {m.id: m.status for m in stored(services)} == {first: "sent", second: "sending"}


@pytest.mark.slow
async def test_a_dead_processs_messages_go_out_from_another_within_seconds(
    database_url: str, fake: FakeTwilio
) -> None:
    settings = sms_settings(
        database_url, fake, "https://sendvoice.example.gov.uk", twilio_timeout_seconds=15.0
    )
    dead, alive = build_services(settings), build_services(settings)
    queue_texts(dead, PEOPLE)
    fake.fail_next(Failure.slow(SLOW_ANSWER))  # Twilio has the first, its answer never arrives
    dying = asyncio.create_task(outbox(dead, rate=2.0, max_in_flight=4).deliver_due())
    await fake.wait_for_async(3)
    dying.cancel()  # as kill -9: claimed, some sent, nothing more recorded or renewed
    with pytest.raises(asyncio.CancelledError):
        await dying
    died = time.monotonic()
    stranded = [m for m in stored(dead) if m.status == "sending"]
    assert stranded, "the process died holding nothing"

    stop = asyncio.Event()
    running = asyncio.create_task(alive.outbox.run(stop, poll_seconds=0.2))
    try:
        await fake.wait_for_async(len(PEOPLE), timeout=RECOVERY_SECONDS + 30)
        recovered = time.monotonic() - died
        while any(m.status != "sent" for m in stored(alive)):
            await asyncio.sleep(0.05)
    finally:
        stop.set()
        alive.outbox.wake()
        await running
    # With the default lease, not one shortened for the test.
    assert recovered < RECOVERY_SECONDS, f"the rest waited {recovered:.0f} s"
    assert Counter(m.to for m in fake.messages) == dict.fromkeys(PEOPLE, 1)
    for services in (dead, alive):
        await services.aclose()
        services.close()

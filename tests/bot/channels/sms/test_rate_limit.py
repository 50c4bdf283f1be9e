"""The outbox against a Twilio that refuses anything over its rate in any one second."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.clock import FrozenClock
from bot.services import build_services
from storage.models import Message
from tests.bot.channels.sms.conftest import queue_texts, sms_settings
from tests.fakes.twilio import Failure, FakeTwilio

NOW = datetime(2026, 3, 16, 12, 0, tzinfo=UTC)
RATE = 50
MESSAGES = 150


def test_sends_at_just_under_the_rate_with_no_refusals_each_once(database_url: str) -> None:
    with FakeTwilio() as fake:
        fake.rate_limit = RATE
        settings = sms_settings(
            database_url, fake, "https://x.example", sms_max_per_second=float(RATE)
        )
        services = build_services(settings, clock=FrozenClock(NOW))
        numbers = [f"+4477009{i:05d}" for i in range(MESSAGES)]
        queue_texts(services, numbers)
        began = time.monotonic()
        report = asyncio.run(services.outbox.deliver_due())
        took = time.monotonic() - began
        with services.session_factory() as s:
            statuses = Counter(s.scalars(select(Message.status)))
        services.close()
        sent = fake.messages
    assert fake.over_limit == 0
    assert report.sent == MESSAGES
    assert statuses == {"sent": MESSAGES}
    assert Counter(m.to for m in sent) == dict.fromkeys(numbers, 1)
    # One at a time, waiting on each answer and record, this took three times as long.
    assert took < MESSAGES / RATE * 2


def test_a_refusal_for_rate_waits_a_second_then_sends_it_once(database_url: str) -> None:
    with FakeTwilio() as fake:
        clock = FrozenClock(NOW)
        services = build_services(
            sms_settings(database_url, fake, "https://x.example"), clock=clock
        )
        queue_texts(services, ["+447700900001"])
        fake.fail_next(Failure.too_many_requests())  # another client used up this second
        assert asyncio.run(services.outbox.deliver_due()).retried == 1
        with services.session_factory() as s:
            refused = s.scalars(select(Message)).one()
            assert (refused.status, refused.error_code) == ("queued", "20429")
            assert refused.next_attempt_at == NOW + timedelta(seconds=1)
            assert refused.attempts == 0  # not the message's fault: no attempt used up
        clock.advance(timedelta(seconds=1))
        began = time.monotonic()
        assert asyncio.run(services.outbox.deliver_due()).sent == 1
        assert time.monotonic() - began > 0.5  # the sender held off for that second too
        services.close()
        assert [m.to for m in fake.messages] == ["+447700900001"]

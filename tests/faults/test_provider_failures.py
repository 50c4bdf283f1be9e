"""A provider that fails a fifth of the time (500, 429, answers too slow): each message goes once."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.clock import FrozenClock
from bot.services import build_services
from storage.models import Message
from tests.bot.channels.sms.conftest import queue_texts, sms_settings
from tests.fakes.twilio import Failure, FakeTwilio

PEOPLE = 40


def test_every_message_is_delivered_exactly_once_through_a_flaky_provider(
    database_url: str,
) -> None:
    with FakeTwilio() as twilio:
        # Slow answers outlast the client's timeout after Twilio has accepted the message: the
        # hardest case, where a blind retry would text the person twice.
        twilio.fail_rate(
            0.2, [Failure.server_error(), Failure.too_many_requests(), Failure.slow(1.0)], seed=11
        )
        settings = sms_settings(
            database_url,
            twilio,
            "https://x.example",
            twilio_timeout_seconds=0.4,
            outbox_max_attempts=20,
        )
        clock = FrozenClock(datetime(2026, 3, 16, 12, 0, tzinfo=UTC))
        services = build_services(settings, clock=clock)
        numbers = [f"+4477009{i:05d}" for i in range(PEOPLE)]
        queue_texts(services, numbers)
        for _ in range(30):
            asyncio.run(services.outbox.deliver_due())
            clock.advance(timedelta(minutes=31))  # past any backoff
            with services.session_factory() as s:
                if set(s.scalars(select(Message.status))) == {"sent"}:
                    break
        with services.session_factory() as s:
            statuses = Counter(s.scalars(select(Message.status)))
        services.close()
        failures = [r for r in twilio.requests if r.status != 201]
    assert statuses == {"sent": PEOPLE}
    assert Counter(m.to for m in twilio.messages) == dict.fromkeys(numbers, 1)
    assert failures  # the provider really did fail along the way

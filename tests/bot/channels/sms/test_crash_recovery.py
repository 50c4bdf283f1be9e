"""A sender killed between Twilio accepting a message and recording it must not send it twice."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.channels.base import OutboundMessage
from bot.clock import FrozenClock
from bot.services import build_services
from storage import contacts as contacts_repo
from storage import messages as messages_repo
from storage.models import Message
from tests.bot.channels.sms.conftest import sms_settings
from tests.fakes.twilio import FakeTwilio

NOW = datetime(2026, 3, 15, 12, 0, tzinfo=UTC)
PARENT = "+447700900321"


def _queue(services, body: str) -> int:  # type: ignore[no-untyped-def]
    with services.session_factory.begin() as s:
        contact, identity, _ = contacts_repo.find_or_create(s, "sms", PARENT, services.clock())
        return messages_repo.queue_outbound(
            s,
            channel="sms",
            identity_id=identity.id,
            contact_id=contact.id,
            conversation_id=None,
            body=body,
            meta={},
            segments=1,
            now=services.clock(),
        ).id


def _crash_mid_send(services, fake: FakeTwilio) -> None:  # type: ignore[no-untyped-def]
    """Claim and send like the outbox does, then die before recording the result."""
    with services.session_factory.begin() as s:
        [message] = messages_repo.claim_due(
            s, services.clock(), limit=1, channels=["sms"], lease=timedelta(minutes=2)
        )
        outbound = OutboundMessage(message.id, "sms", PARENT, message.body)
    asyncio.run(services.senders["sms"].send(outbound))


def test_a_message_the_provider_already_has_is_recorded_not_resent(database_url: str) -> None:
    with FakeTwilio() as fake:
        clock = FrozenClock(NOW)
        services = build_services(
            sms_settings(database_url, fake, "https://x.example"), clock=clock
        )
        message_id = _queue(services, "How was the workshop?")
        _crash_mid_send(services, fake)
        assert len(fake.messages) == 1
        clock.advance(timedelta(minutes=3))  # the dead sender's lease runs out
        report = asyncio.run(services.outbox.deliver_due())
        assert report.sent == 1
        assert len(fake.messages) == 1
        with services.session_factory() as s:
            row = s.get_one(Message, message_id)
            assert (row.status, row.provider_id) == ("sent", fake.messages[0].sid)
            assert "uncertain" not in row.meta
        services.close()


def test_the_same_words_sent_earlier_do_not_count_as_this_message(database_url: str) -> None:
    with FakeTwilio() as fake:
        clock = FrozenClock(NOW)
        services = build_services(
            sms_settings(database_url, fake, "https://x.example"), clock=clock
        )
        _queue(services, "Sorry, I didn't understand that.")
        asyncio.run(services.outbox.deliver_due())  # the first one, recorded properly
        second = _queue(services, "Sorry, I didn't understand that.")
        with services.session_factory.begin() as s:  # claimed, then the sender died before sending
            messages_repo.claim_due(
                s, clock(), limit=1, channels=["sms"], lease=timedelta(minutes=2)
            )
        clock.advance(timedelta(minutes=3))
        asyncio.run(services.outbox.deliver_due())
        assert len(fake.messages) == 2
        with services.session_factory() as s:
            sid = s.scalars(select(Message.provider_id).where(Message.id == second)).one()
            assert sid == fake.messages[1].sid
        services.close()

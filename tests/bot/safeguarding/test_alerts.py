"""Alerts reach the safeguarding lead by more than one route, and again until someone acts."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.clock import FrozenClock
from bot.conversation.inbound import InboundMessage
from bot.services import build_services
from storage import safeguarding as flags_repo
from storage.models import SafeguardingFlag
from tests.bot.channels.sms.conftest import sms_settings
from tests.fakes.smtp import FakeSmtp
from tests.fakes.twilio import FakeTwilio
from tests.helpers import wait_until

PARENT = "+447700900444"
LEAD = "+447700900777"
DISCLOSURE = "my dads boyfreind hits me when mum is at work"


@pytest.fixture
def smtp() -> Iterator[FakeSmtp]:
    with FakeSmtp() as server:
        yield server


def email_route(smtp: FakeSmtp) -> dict[str, object]:
    return {
        "smtp_host": "127.0.0.1",
        "smtp_port": smtp.port,
        "smtp_starttls": False,
        "safeguarding_email_to": "dsl@testshire.gov.uk",
    }


def disclose(services: object, clock: FrozenClock) -> None:
    services.dispatcher.handle(  # type: ignore[attr-defined]
        services.session_factory,  # type: ignore[attr-defined]
        InboundMessage("sms", PARENT, DISCLOSURE, "SMd1", clock()),
    )


def test_an_unacknowledged_flag_is_alerted_again_until_someone_acts(
    database_url: str, smtp: FakeSmtp
) -> None:
    with FakeTwilio() as twilio:
        settings = sms_settings(
            database_url,
            twilio,
            "https://x.example",
            safeguarding_realert_minutes=30,
            **email_route(smtp),
        )
        clock = FrozenClock(datetime(2026, 3, 16, 21, 0, tzinfo=UTC))
        services = build_services(settings, clock=clock)
        disclose(services, clock)
        assert services.alerts.deliver_due() == 1
        assert services.alerts.deliver_due() == 0  # not again at once
        clock.advance(timedelta(minutes=29))
        assert services.alerts.deliver_due() == 0
        clock.advance(timedelta(minutes=2))
        assert services.alerts.deliver_due() == 1
        first, second = smtp.wait_for(2)
        assert "Still not acknowledged" not in first["Subject"]
        assert "Still not acknowledged" in second["Subject"]
        with services.session_factory.begin() as s:
            [flag] = flags_repo.open_flags(s)
            assert flag.realerts == 1
            flags_repo.acknowledge(s, flag.id, "officer:1", clock(), note="called")
        clock.advance(timedelta(hours=5))
        assert services.alerts.deliver_due() == 0  # acknowledged: quiet
        services.close()


def test_the_lead_is_alerted_by_sms_through_the_outbox_when_email_is_down(
    database_url: str,
) -> None:
    down = FakeSmtp()  # never started: every email fails
    with FakeTwilio() as twilio:
        settings = sms_settings(
            database_url,
            twilio,
            "https://x.example",
            safeguarding_sms_to=LEAD,
            **email_route(down),
        )
        clock = FrozenClock(datetime(2026, 3, 16, 21, 0, tzinfo=UTC))
        services = build_services(settings, clock=clock)
        disclose(services, clock)
        services.alerts.deliver_due()
        import asyncio

        asyncio.run(services.outbox.deliver_due())
        wait_until(lambda: any(m.to == LEAD for m in twilio.messages))
        [alert] = [m for m in twilio.messages if m.to == LEAD]
        assert "safeguarding flag #1" in alert.body
        assert "physical abuse" in alert.body
        assert "https://x.example/dashboard/safeguarding" in alert.body
        assert "hits" not in alert.body  # the words stay in the dashboard
        with services.session_factory() as s:
            flag = s.scalars(select(SafeguardingFlag)).one()
            assert flag.sms_alerted_at is not None
            assert flag.alert_sent_at is None  # email keeps retrying on its own
        services.close()


def test_sms_alone_is_a_route_and_re_alerts_too(database_url: str) -> None:
    with FakeTwilio() as twilio:
        settings = sms_settings(
            database_url,
            twilio,
            "https://x.example",
            safeguarding_sms_to=LEAD,
            safeguarding_realert_minutes=15,
        )
        clock = FrozenClock(datetime(2026, 3, 16, 21, 0, tzinfo=UTC))
        services = build_services(settings, clock=clock)
        disclose(services, clock)
        services.alerts.deliver_due()
        clock.advance(timedelta(minutes=16))
        services.alerts.deliver_due()
        import asyncio

        asyncio.run(services.outbox.deliver_due())
        wait_until(lambda: len([m for m in twilio.messages if m.to == LEAD]) == 2)
        bodies = [m.body for m in twilio.messages if m.to == LEAD]
        assert "still not acknowledged" in bodies[1]
        services.close()


def test_a_welsh_speaker_is_answered_in_welsh(database_url: str) -> None:
    with FakeTwilio() as twilio:
        settings = sms_settings(database_url, twilio, "https://x.example")
        clock = FrozenClock(datetime(2026, 3, 16, 21, 0, tzinfo=UTC))
        services = build_services(settings, clock=clock)
        from storage import contacts as contacts_repo

        with services.session_factory.begin() as s:
            contacts_repo.find_or_create(s, "sms", PARENT, clock(), language="cy")
        services.dispatcher.handle(
            services.session_factory,
            InboundMessage("sms", PARENT, "mae fy nhad yn fy nghuro i bob nos", "SMcy", clock()),
        )
        with services.session_factory() as s:
            from storage.models import Message

            [reply] = s.scalars(select(Message).where(Message.direction == "out")).all()[-1:]
            assert "Childline" in reply.body
            assert "Bydd person yn darllen" in reply.body
        services.close()

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from pydantic import SecretStr

from bot.clock import FrozenClock
from bot.config import Settings
from bot.followups.runner import FollowUpReport, FollowUpRunner
from bot.services import Services, build_services
from storage import contacts as contacts_repo
from storage import events as events_repo
from storage import followups as followups_repo
from storage.models import Event
from tests.fakes.telegram import FakeTelegram
from tests.fakes.twilio import FakeTwilio

# Saturday 14 March 2026: a coffee morning, 10:00 to 12:00 UK time (GMT in March).
EVENT_START = datetime(2026, 3, 14, 10, 0, tzinfo=UTC)
EVENT_END = EVENT_START + timedelta(hours=2)


@dataclass
class World:
    services: Services
    runner: FollowUpRunner
    clock: FrozenClock
    twilio: FakeTwilio
    telegram: FakeTelegram

    def at(self, when: datetime) -> FollowUpReport:
        """Move the clock, run one scheduler pass, and deliver what it queued."""
        self.clock.now = when
        self.runner.expire_due()
        report = self.runner.run_due()
        asyncio.run(self.services.outbox.deliver_due())
        return report

    def event(self, flow_id: str = "post_event", **kw: object) -> int:
        with self.services.session_factory.begin() as s:
            event = events_repo.create(
                s,
                title=kw.pop("title", "the EHCP coffee morning"),  # type: ignore[arg-type]
                kind="coffee_morning",
                starts_at=EVENT_START,
                ends_at=EVENT_END,
                flow_id=flow_id,
                now=EVENT_START - timedelta(days=7),
                **kw,
            )  # type: ignore[arg-type]
            return event.id

    def attend(
        self, event_id: int, number: str, *, telegram: int | None = None, role: str = "parent"
    ) -> int:
        now = EVENT_START - timedelta(days=1)
        with self.services.session_factory.begin() as s:
            contact, _, _ = contacts_repo.find_or_create(s, "sms", number, now, role=role)
            if telegram is not None:
                contacts_repo.link_identity(s, contact, "telegram", str(telegram), now)
                contact.preferred_channel = "telegram"
                contact.age_band = "16_17"
            event = s.get_one(Event, event_id)
            events_repo.add_attendee(
                s, event, contact, role=role, consent=True, source="import", now=now
            )
            followups_repo.plan(s, event, contact.id, now)
            return contact.id

    def texts_to(self, number: str) -> list[str]:
        return [m.body for m in self.twilio.messages if m.to == number]


def world_settings(database_url: str, twilio: FakeTwilio, telegram: FakeTelegram) -> Settings:
    return Settings(  # type: ignore[call-arg]
        _env_file=None,
        database_url=database_url,
        council_name="Testshire County Council",
        public_base_url="https://sendvoice.example.gov.uk",
        twilio_account_sid=twilio.account_sid,
        twilio_auth_token=SecretStr(twilio.auth_token),
        twilio_from_number="+447700900000",
        twilio_api_base_url=twilio.base_url,
        sms_max_per_second=1000.0,
        telegram_bot_token=SecretStr(telegram.token),
        telegram_webhook_secret=SecretStr("secret"),
        telegram_api_base_url=telegram.origin,
        telegram_max_per_second=1000.0,
        telegram_max_per_chat_per_second=1000.0,
    )


@pytest.fixture
def world(database_url: str) -> Iterator[World]:
    with FakeTwilio() as twilio, FakeTelegram() as telegram:
        clock = FrozenClock(EVENT_END)
        services = build_services(world_settings(database_url, twilio, telegram), clock=clock)
        yield World(services, FollowUpRunner(services), clock, twilio, telegram)
        asyncio.run(services.aclose())
        services.close()

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from pydantic import SecretStr
from sqlalchemy import select

from bot.clock import FrozenClock
from bot.config import Settings
from bot.services import Services, build_services
from bot.web.app import create_app
from storage import contacts as contacts_repo
from storage import events as events_repo
from storage import followups as followups_repo
from storage.models import Event, Message
from tests.fakes.twilio import FakeTwilio, SentMessage, sign
from tests.live import LiveServer

COUNCIL_SMS = "+447700900000"
COUNCIL_WHATSAPP = "+447700900001"
PARENT = "+447700900123"
TEMPLATE = "HX" + "f" * 32
REMINDER_TEMPLATE = "HX" + "e" * 32
BUTTONS = {n: f"HX{n:032x}" for n in range(1, 11)}
# A Monday morning, two days after a Saturday coffee morning.
NOW = datetime(2026, 3, 16, 10, 0, tzinfo=UTC)
EVENT_END = NOW - timedelta(days=2)


@pytest.fixture
def fake_twilio() -> Iterator[FakeTwilio]:
    with FakeTwilio() as fake:
        fake.add_content(TEMPLATE, approved=True)
        fake.add_content(REMINDER_TEMPLATE, approved=True)
        for n, sid in BUTTONS.items():
            fake.add_content(sid, "twilio/quick-reply" if n <= 3 else "twilio/list-picker")
        yield fake


def whatsapp_settings(database_url: str, fake: FakeTwilio, **extra: object) -> Settings:
    values: dict[str, object] = {
        "database_url": database_url,
        "council_name": "Testshire County Council",
        "contact_details": "call 01234 000000",
        "public_base_url": "https://sendvoice.example.gov.uk",
        "twilio_account_sid": fake.account_sid,
        "twilio_auth_token": SecretStr(fake.auth_token),
        "twilio_from_number": COUNCIL_SMS,
        "twilio_whatsapp_from": f"whatsapp:{COUNCIL_WHATSAPP}",
        "twilio_api_base_url": fake.base_url,
        "twilio_timeout_seconds": 2.0,
        "sms_max_per_second": 1000.0,
        "whatsapp_max_per_second": 1000.0,
        "whatsapp_templates": json.dumps(
            {"post_event": {"en": {"followup": TEMPLATE, "reminder": REMINDER_TEMPLATE}}}
        ),
        "whatsapp_button_content": ",".join(f"{n}={sid}" for n, sid in BUTTONS.items()),
        **extra,
    }
    return Settings(_env_file=None, **values)  # type: ignore[call-arg, arg-type]


@dataclass
class WhatsAppWorld:
    server: LiveServer
    services: Services
    fake: FakeTwilio
    http: httpx.Client
    clock: FrozenClock

    def signed_post(self, path: str, form: dict[str, str]) -> httpx.Response:
        url = self.services.settings.public_url(path)
        signature = sign(self.fake.auth_token, url, form)
        return self.http.post(
            self.server.url(path), data=form, headers={"X-Twilio-Signature": signature}
        )

    def write(
        self, body: str, *, payload: str | None = None, path: str = "/webhooks/twilio/whatsapp"
    ) -> httpx.Response:
        form = self.fake.whatsapp_message(
            from_=PARENT,
            to=COUNCIL_WHATSAPP,
            body=body,
            **({"button_payload": payload, "button_text": body} if payload else {}),
        )
        response = self.signed_post(path, form)
        assert response.status_code == 200
        return response

    def attendee(self, *, sms: bool = True, number: str = PARENT) -> int:
        """A parent imported with a WhatsApp number who prefers WhatsApp (and may be texted)."""
        with self.services.session_factory.begin() as s:
            event = events_repo.create(
                s,
                title="the EHCP coffee morning",
                kind="coffee_morning",
                starts_at=EVENT_END - timedelta(hours=2),
                ends_at=EVENT_END,
                flow_id="post_event",
                now=EVENT_END - timedelta(days=7),
            )
            then = EVENT_END - timedelta(days=1)
            contact, _, _ = contacts_repo.find_or_create(
                s, "whatsapp", number, then, role="parent", source="import"
            )
            if sms:
                contacts_repo.link_identity(s, contact, "sms", number, then, source="import")
            contact.preferred_channel = "whatsapp"
            events_repo.add_attendee(
                s,
                s.get_one(Event, event.id),
                contact,
                role="parent",
                consent=True,
                source="import",
                now=then,
            )
            followups_repo.plan(s, event, contact.id, then)
            return contact.id

    def to_parent(self) -> list[SentMessage]:
        return [m for m in self.fake.messages if m.to in (PARENT, f"whatsapp:{PARENT}")]

    def event_code(self) -> str:
        with self.services.session_factory() as s:
            return s.scalars(select(Event.code)).one()

    def statuses(self) -> list[tuple[str, str]]:
        with self.services.session_factory() as s:
            return [
                (m.channel, m.status)
                for m in s.scalars(
                    select(Message).where(Message.direction == "out").order_by(Message.id)
                )
            ]


@pytest.fixture
def whatsapp(database_url: str, fake_twilio: FakeTwilio) -> Iterator[WhatsAppWorld]:
    clock = FrozenClock(NOW)
    services = build_services(whatsapp_settings(database_url, fake_twilio), clock=clock)
    app = create_app(services)
    with LiveServer(app) as server, httpx.Client(timeout=10) as http:
        yield WhatsAppWorld(server, services, fake_twilio, http, clock)
    services.close()

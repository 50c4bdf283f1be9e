from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
from pydantic import SecretStr

from bot.config import Settings
from bot.services import Services, build_services
from bot.web.app import create_app
from storage import contacts as contacts_repo
from storage import messages as messages_repo
from tests.fakes.twilio import FakeTwilio, inbound_sms_form, sign
from tests.live import LiveServer

COUNCIL_NUMBER = "+447700900000"


@pytest.fixture
def fake_twilio() -> Iterator[FakeTwilio]:
    with FakeTwilio() as fake:
        yield fake


@dataclass
class SmsWorld:
    """The app under uvicorn, the fake Twilio it sends to, and a phone that texts it."""

    server: LiveServer
    services: Services
    fake: FakeTwilio
    http: httpx.Client

    def signed_post(
        self, path: str, form: dict[str, str], *, token: str | None = None
    ) -> httpx.Response:
        url = self.services.settings.public_url(path)
        signature = sign(token or self.fake.auth_token, url, form)
        return self.http.post(
            self.server.url(path), data=form, headers={"X-Twilio-Signature": signature}
        )

    def text(
        self, body: str, *, from_: str = "+447700900123", sid: str | None = None, num_media: int = 0
    ) -> httpx.Response:
        form = inbound_sms_form(
            from_=from_,
            to=COUNCIL_NUMBER,
            body=body,
            sid=sid,
            num_media=num_media,
            account_sid=self.fake.account_sid,
        )
        return self.signed_post("/webhooks/twilio/sms", form)

    def replies_to(self, number: str = "+447700900123") -> list[str]:
        return [m.body for m in self.fake.messages if m.to == number]


def queue_texts(services: Services, numbers: list[str]) -> None:
    """One single-segment text waiting in the outbox for each number, as a flow would leave it."""
    with services.session_factory.begin() as s:
        for number in numbers:
            contact, identity, _ = contacts_repo.find_or_create(s, "sms", number, services.clock())
            messages_repo.queue_outbound(
                s,
                channel="sms",
                identity_id=identity.id,
                contact_id=contact.id,
                conversation_id=None,
                body=f"Hello {number[-3:]}",
                meta={},
                segments=1,
                now=services.clock(),
            )


def sms_settings(database_url: str, fake: FakeTwilio, public: str, **extra: object) -> Settings:
    values: dict[str, object] = {
        "database_url": database_url,
        "council_name": "Testshire County Council",
        "contact_details": "call 01234 000000",
        "public_base_url": public,
        "twilio_account_sid": fake.account_sid,
        "twilio_auth_token": SecretStr(fake.auth_token),
        "twilio_from_number": COUNCIL_NUMBER,
        "twilio_api_base_url": fake.base_url,
        "twilio_timeout_seconds": 2.0,
        "sms_max_per_second": 1000.0,
        **extra,
    }
    return Settings(_env_file=None, **values)  # type: ignore[call-arg, arg-type]


@pytest.fixture
def sms(database_url: str, fake_twilio: FakeTwilio) -> Iterator[SmsWorld]:
    # Signatures are checked against PUBLIC_BASE_URL, as behind a proxy; the request itself goes
    # to the live server's own port.
    settings = sms_settings(database_url, fake_twilio, "https://sendvoice.example.gov.uk")
    services = build_services(settings)
    app = create_app(services)
    with LiveServer(app) as server, httpx.Client(timeout=10) as http:
        yield SmsWorld(server, services, fake_twilio, http)
    services.close()


def status_form(
    fake: FakeTwilio, sid: str, status: str, error_code: str | None = None
) -> dict[str, str]:
    form = {
        "MessageSid": sid,
        "SmsSid": sid,
        "MessageStatus": status,
        "SmsStatus": status,
        "AccountSid": fake.account_sid,
        "From": COUNCIL_NUMBER,
        "To": "+447700900123",
        "ApiVersion": "2010-04-01",
    }
    if error_code:
        form["ErrorCode"] = error_code
    return form

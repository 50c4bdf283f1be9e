"""No phone number, name or message body ever appears in the logs, even at DEBUG."""

from __future__ import annotations

import logging

import httpx
import pytest

from bot.logs import configure_logging
from bot.services import build_services
from bot.web.app import create_app
from storage import contacts as contacts_repo
from tests.bot.channels.sms.conftest import sms_settings
from tests.bot.channels.telegram.conftest import CHAT, TelegramWorld, make_event, telegram_settings
from tests.fakes.telegram import FakeTelegram
from tests.fakes.twilio import FakeTwilio, inbound_sms_form, sign
from tests.live import LiveServer

PARENT = "+447700900888"
SECRETS = [
    PARENT,
    "7700900888",
    "07700 900888",  # the number, however written
    "Gwenllian",  # a name
    "Our caseworker Dafydd was brilliant",  # message bodies
    "Parking was impossible",
    "More time to get to lessons",
    str(CHAT),
]


@pytest.fixture
def production_logging() -> None:
    root = logging.getLogger()
    saved = root.level, [h for h in root.handlers]
    configure_logging("DEBUG")
    yield
    root.setLevel(saved[0])


def test_logs_of_whole_conversations_hold_no_identifiers_or_words(
    database_url: str, production_logging: None, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with FakeTwilio() as twilio:
        settings = sms_settings(database_url, twilio, "https://sendvoice.example.gov.uk")
        services = build_services(settings)
        with LiveServer(create_app(services)) as server, httpx.Client() as http:
            replies = [
                "FEEDBACK",
                "yes",
                "5",
                "Our caseworker Dafydd was brilliant",
                "Parking was impossible",
                "yes",
                "yes",
                "both",
            ]
            for i, body in enumerate(replies, start=1):
                form = inbound_sms_form(
                    from_="07700 900888",
                    to="+447700900000",
                    body=body,
                    account_sid=twilio.account_sid,
                )
                url = settings.public_url("/webhooks/twilio/sms")
                http.post(
                    server.url("/webhooks/twilio/sms"),
                    data=form,
                    headers={"X-Twilio-Signature": sign(twilio.auth_token, url, form)},
                )
                twilio.wait_for(i)
            with services.session_factory.begin() as s:
                contact = contacts_repo.find_by_address(s, "sms", PARENT)[0]  # type: ignore[index]
                contact.set_display_name("Gwenllian Jones", s.info["identifier_cipher"])
        services.close()
    with FakeTelegram() as fake:
        services = build_services(telegram_settings(database_url, fake))
        with LiveServer(create_app(services)) as server:
            tg = TelegramWorld(server, services, fake)
            _, code = make_event(services)
            tg.deliver(fake.command_update(CHAT, "start", code))
            tg.wait(2)
            tg.press_button("18 to 25")
            tg.wait(4)
            for reply in ["skip", "skip", "skip", "skip", "More time to get to lessons"]:
                tg.say(reply)
            tg.settle()
        services.close()
    assert len(caplog.records) > 50  # the run really was logged
    for record in caplog.records:
        line = record.getMessage() + " " + str(record.exc_info or "")
        for secret in SECRETS:
            assert secret not in line, f"{record.name}: {line}"

"""A disclosure by SMS or Telegram pauses the survey, signposts, keeps the words, alerts a person."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy import select

from bot.clock import FrozenClock
from bot.conversation.inbound import InboundMessage
from bot.followups.runner import FollowUpRunner
from bot.services import build_services
from bot.web.app import create_app
from storage import events as events_repo
from storage import followups as followups_repo
from storage import safeguarding as flags_repo
from storage.models import Conversation, FollowUp, SafeguardingFlag
from tests.bot.channels.sms.conftest import sms_settings
from tests.bot.channels.telegram.conftest import CHAT, TelegramWorld, make_event
from tests.fakes.smtp import FakeSmtp
from tests.fakes.twilio import FakeTwilio, inbound_sms_form, sign
from tests.helpers import wait_until
from tests.live import LiveServer

DISCLOSURE = "my dads boyfreind hits me when mum is at work"
PARENT = "+447700900444"


@pytest.fixture
def smtp() -> Iterator[FakeSmtp]:
    with FakeSmtp() as server:
        yield server


def alert_settings(smtp: FakeSmtp, **extra: object) -> dict[str, object]:
    return {
        "smtp_host": "127.0.0.1",
        "smtp_port": smtp.port,
        "smtp_starttls": False,
        "safeguarding_email_to": "dsl@testshire.gov.uk",
        "smtp_from": "sendvoice@testshire.gov.uk",
        **extra,
    }


def test_a_disclosure_by_sms_pauses_signposts_flags_and_alerts_within_a_minute(
    database_url: str, smtp: FakeSmtp
) -> None:
    with FakeTwilio() as twilio:
        settings = sms_settings(
            database_url, twilio, "https://sendvoice.example.gov.uk", **alert_settings(smtp)
        )
        services = build_services(settings)
        with LiveServer(create_app(services)) as server, httpx.Client() as http:

            def text(body: str) -> None:
                form = inbound_sms_form(
                    from_=PARENT, to="+447700900000", body=body, account_sid=twilio.account_sid
                )
                url = settings.public_url("/webhooks/twilio/sms")
                http.post(
                    server.url("/webhooks/twilio/sms"),
                    data=form,
                    headers={"X-Twilio-Signature": sign(twilio.auth_token, url, form)},
                )

            for i, body in enumerate(["FEEDBACK", "1", "yes", "2", DISCLOSURE], start=1):
                text(body)
                twilio.wait_for(i)
            [email] = smtp.wait_for(1, timeout=60)
            reply = twilio.messages[-1].body
            assert "A person will read your message" in reply
            assert "Childline" in reply
            assert "0800 1111" in reply
            assert "999" in reply
            assert "physical abuse" in email["Subject"]
            assert DISCLOSURE not in email.get_payload()  # email is not a secure channel
            assert "/dashboard/safeguarding" in email.get_payload()
            text("4")  # the survey stays paused: no next question
            wait_until(lambda: len(twilio.messages) == 5)
            assert "Sorry" not in twilio.messages[-1].body
            with services.session_factory() as s:
                flag = s.scalars(select(SafeguardingFlag)).one()
                assert flag.text == DISCLOSURE
                assert flag.category == "abuse_physical"
                assert flag.alert_sent_at is not None
                assert s.scalars(select(Conversation)).one().status == "paused"
        services.close()


def test_a_disclosure_on_telegram_is_flagged_too(database_url: str, smtp: FakeSmtp) -> None:
    from tests.bot.channels.telegram.conftest import telegram_settings
    from tests.fakes.telegram import FakeTelegram

    with FakeTelegram() as fake:
        services = build_services(telegram_settings(database_url, fake, **alert_settings(smtp)))
        with LiveServer(create_app(services)) as server:
            tg = TelegramWorld(server, services, fake)
            _, code = make_event(services)
            tg.deliver(fake.command_update(CHAT, "start", code))
            tg.wait(2)
            tg.press_button("16 or 17")
            tg.wait(4)
            tg.say("i dont want to be here anymore nobody would miss me")
            texts = tg.wait(5)
            assert "A person will read your message" in texts[-1]
            [email] = smtp.wait_for(1, timeout=60)
            assert "self-harm or suicide" in email["Subject"]
        services.close()


def test_an_alert_is_never_lost_when_email_is_down(database_url: str) -> None:
    down = FakeSmtp()  # not started: connections are refused
    with FakeTwilio() as twilio:
        settings = sms_settings(database_url, twilio, "https://x.example", **alert_settings(down))
        clock = FrozenClock(datetime(2026, 3, 16, 19, 0, tzinfo=UTC))
        services = build_services(settings, clock=clock)
        services.dispatcher.handle(
            services.session_factory,
            InboundMessage("sms", PARENT, "im scared to go home", "SM1", clock()),
        )
        assert services.alerts.deliver_due() == 0
        with services.session_factory() as s:
            [flag] = flags_repo.open_flags(s)
            assert flag.alert_sent_at is None
            assert flag.alert_error is not None
            assert flag.alert_attempts == 1
        clock.advance(timedelta(minutes=1))
        with down:
            assert services.alerts.deliver_due() == 1
            assert "feeling unsafe" in down.wait_for(1)[0]["Subject"]
        assert services.alerts.deliver_due() == 0  # sent once, not again
        with services.session_factory() as s:
            # Emailed, but still in the queue until a person acknowledges it.
            assert len(flags_repo.open_flags(s)) == 1
        with services.session_factory.begin() as s:
            flags_repo.acknowledge(s, flag.id, "officer:1", clock(), note="called the family")
        with services.session_factory() as s:
            assert flags_repo.open_flags(s) == []
        services.close()


def test_follow_ups_wait_while_a_flag_awaits_review(database_url: str) -> None:
    with FakeTwilio() as twilio:
        settings = sms_settings(database_url, twilio, "https://x.example")
        clock = FrozenClock(datetime(2026, 3, 16, 12, 0, tzinfo=UTC))
        services = build_services(settings, clock=clock)
        services.dispatcher.handle(
            services.session_factory,
            InboundMessage("sms", PARENT, "he said he would kill me", "SM9", clock()),
        )
        with services.session_factory.begin() as s:
            event = events_repo.create(
                s,
                title="a panel",
                kind="parent_panel",
                starts_at=clock() - timedelta(days=2),
                ends_at=clock() - timedelta(days=2) + timedelta(hours=1),
                flow_id="post_event",
                now=clock(),
            )
            contact = flags_repo.open_flags(s)[0].contact_id
            assert contact is not None
            followups_repo.plan(s, event, contact, clock())
        report = FollowUpRunner(services).run_due()
        assert report.reasons == {"safeguarding flag awaiting review": 1}
        with services.session_factory() as s:
            initial = s.scalars(select(FollowUp).where(FollowUp.kind == "initial")).one()
            assert initial.status == "pending"
        services.close()


def test_the_wider_net_queues_for_review_without_interrupting_anyone(database_url: str) -> None:
    from storage.models import Answer

    with FakeTwilio() as twilio:
        settings = sms_settings(database_url, twilio, "https://x.example")
        clock = FrozenClock(datetime(2026, 3, 16, 12, 0, tzinfo=UTC))
        services = build_services(settings, clock=clock)
        for i, body in enumerate(
            ["FEEDBACK", "1", "yes", "5", "the needles at the dentist hurt me"]
        ):
            services.dispatcher.handle(
                services.session_factory, InboundMessage("sms", PARENT, body, f"SMr{i}", clock())
            )
        with services.session_factory() as s:
            [flag] = flags_repo.open_flags(s)
            assert (flag.category, flag.reasons) == ("needs_review", ['contains "hurt"'])
            assert s.scalars(select(Conversation)).one().status == "active"
            assert "worked_well" in {a.step_id for a in s.scalars(select(Answer))}
        assert services.alerts.deliver_due() == 0  # queue only: not emailed
        services.close()


def test_the_model_flags_a_wording_the_rules_only_sent_for_review(database_url: str) -> None:
    # The rules' wider net caught "hurt" here; the model reads the whole message as bullying.
    with FakeTwilio() as twilio:
        settings = sms_settings(database_url, twilio, "https://x.example")
        clock = FrozenClock(datetime(2026, 3, 16, 12, 0, tzinfo=UTC))
        services = build_services(settings, clock=clock)
        words = "the boys in year 10 wait for me after school and hurt me"
        for i, body in enumerate(["FEEDBACK", "1", "yes", "5", words]):
            services.dispatcher.handle(
                services.session_factory, InboundMessage("sms", PARENT, body, f"SMm{i}", clock())
            )
        with services.session_factory() as s:
            [flag] = flags_repo.open_flags(s)
            assert flag.category != flags_repo.REVIEW
            assert flag.text == words
            assert any("model" in reason for reason in flag.reasons)
            assert s.scalars(select(Conversation)).one().status == "paused"
        services.close()


def test_an_item_for_review_does_not_hold_back_follow_ups(database_url: str) -> None:
    with FakeTwilio() as twilio:
        settings = sms_settings(database_url, twilio, "https://x.example")
        clock = FrozenClock(datetime(2026, 3, 16, 12, 0, tzinfo=UTC))
        services = build_services(settings, clock=clock)
        services.dispatcher.handle(
            services.session_factory,
            InboundMessage("sms", PARENT, "the needles at the dentist hurt me", "SMn1", clock()),
        )
        with services.session_factory.begin() as s:
            [item] = flags_repo.open_flags(s)
            assert item.category == flags_repo.REVIEW
            event = events_repo.create(
                s,
                title="a panel",
                kind="parent_panel",
                starts_at=clock() - timedelta(days=2),
                ends_at=clock() - timedelta(days=2) + timedelta(hours=1),
                flow_id="post_event",
                now=clock(),
            )
            assert item.contact_id is not None
            followups_repo.plan(s, event, item.contact_id, clock())
        report = FollowUpRunner(services).run_due()
        assert report.sent == 1
        services.close()


def test_with_no_alert_route_each_waiting_flag_is_logged_once(
    database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    with FakeTwilio() as twilio:
        settings = sms_settings(database_url, twilio, "https://sendvoice.example.gov.uk")
        services = build_services(settings, clock=FrozenClock(datetime(2026, 3, 14, tzinfo=UTC)))

        def flag() -> int:
            with services.session_factory.begin() as s:
                return flags_repo.record(
                    s,
                    contact_id=None,
                    conversation_id=None,
                    message_id=None,
                    channel="sms",
                    category="abuse_physical",
                    reasons=["test"],
                    text=DISCLOSURE,
                    now=services.clock(),
                ).id

        with caplog.at_level(logging.WARNING, logger="bot.safeguarding.alerts"):
            first = flag()
            assert services.alerts.deliver_due() == 0
            assert services.alerts.deliver_due() == 0  # the same flag: not logged again
            second = flag()
            assert services.alerts.deliver_due() == 0
        services.close()
    messages = [r.getMessage() for r in caplog.records]
    assert len(messages) == 2
    assert f"(flags {first})" in messages[0]
    assert f"(flags {second})" in messages[1]
    assert "no alert route is set" in messages[0]
    assert DISCLOSURE not in caplog.text

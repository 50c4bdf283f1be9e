"""A WhatsApp message posted to the SMS webhook is never answered by SMS, and nothing is stored."""

from __future__ import annotations

import logging
import re

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from sqlalchemy import func, select

from bot.channels.sms.webhooks import other_channel
from storage.models import Contact, Message
from tests.bot.channels.sms.conftest import COUNCIL_NUMBER, SmsWorld
from tests.fakes.twilio import inbound_sms_form
from tests.helpers import wait_until

WHATSAPP_PARENT = "+447700900321"
SMS_PARENT = "+447700900123"


def whatsapp(sms: SmsWorld, body: str) -> None:
    form = inbound_sms_form(
        from_=f"whatsapp:{WHATSAPP_PARENT}",
        to=f"whatsapp:{COUNCIL_NUMBER}",
        body=body,
        account_sid=sms.fake.account_sid,
    )
    response = sms.signed_post("/webhooks/twilio/sms", form)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/xml")
    assert response.text.endswith("<Response></Response>")  # nothing said back on WhatsApp


def count(sms: SmsWorld, model: type[object]) -> int:
    with sms.services.session_factory() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def test_a_whatsapp_message_is_refused_stored_nowhere_and_answered_on_no_channel(
    sms: SmsWorld, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO):
        whatsapp(sms, "FEEDBACK")
        whatsapp(sms, "yes")
        # Someone texting afterwards is answered as ever; by then anything queued for the
        # WhatsApp sender would have gone first.
        assert sms.text("FEEDBACK", from_=SMS_PARENT).status_code == 200
        sms.fake.wait_for(1)
        wait_until(lambda: count(sms, Message) == 2)  # that text and its reply
    assert {m.to for m in sms.fake.messages} == {SMS_PARENT}
    assert count(sms, Contact) == 1
    refused = [r for r in caplog.records if "refused" in r.getMessage()]
    assert len(refused) == 1
    assert "whatsapp" in refused[0].getMessage()
    assert WHATSAPP_PARENT not in caplog.text
    assert WHATSAPP_PARENT[1:] not in caplog.text
    health = sms.http.get(sms.server.url("/healthz")).json()
    assert health["refused"] == {"whatsapp": 2}


def test_an_unsigned_whatsapp_message_is_still_forbidden(sms: SmsWorld) -> None:
    form = inbound_sms_form(
        from_=f"whatsapp:{WHATSAPP_PARENT}", to=f"whatsapp:{COUNCIL_NUMBER}", body="hi"
    )
    response = sms.http.post(sms.server.url("/webhooks/twilio/sms"), data=form)
    assert response.status_code == 403
    assert "refused" not in sms.http.get(sms.server.url("/healthz")).json()


@given(prefix=st.text(max_size=20), address=st.text(max_size=30))
def test_another_channel_is_named_by_its_prefix_alone(prefix: str, address: str) -> None:
    assume(":" not in prefix)
    found = other_channel({"From": f"{prefix}:{address}", "To": COUNCIL_NUMBER})
    assert found is not None
    assert re.fullmatch(r"[a-z0-9_-]{1,16}|unknown", found)
    # Nothing of the address is kept: only letters of the prefix.
    assert found == "unknown" or set(found) <= set(prefix.lower())


@given(number=st.text(alphabet="+0123456789 ()-", max_size=20))
def test_a_plain_number_is_sms(number: str) -> None:
    assert other_channel({"From": number, "To": COUNCIL_NUMBER}) is None

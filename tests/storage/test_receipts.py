from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.orm import Session

from storage import contacts, messages, receipts

NOW = datetime(2026, 3, 14, 18, 0, tzinfo=UTC)


def _queued(session: Session) -> messages.Message:
    contact, identity, _ = contacts.find_or_create(session, "sms", "+447700900001", NOW)
    return messages.queue_outbound(
        session,
        channel="sms",
        identity_id=identity.id,
        contact_id=contact.id,
        conversation_id=None,
        body="Hello",
        meta={},
        segments=1,
        now=NOW,
    )


def test_each_status_of_a_message_is_recorded_once(session: Session) -> None:
    args = {"channel": "sms", "provider_id": "SM1", "error_code": None, "now": NOW}
    assert receipts.record(session, status="delivered", **args)
    assert not receipts.record(session, status="delivered", **args)
    assert receipts.record(session, status="sent", **args)


def test_a_callback_that_overtakes_the_send_is_applied_when_the_send_is_recorded(
    session: Session,
) -> None:
    message = _queued(session)
    # Twilio's "delivered" callback arrives before the sender has stored the message's sid.
    receipts.record(
        session, channel="sms", provider_id="SM9", status="sent", error_code=None, now=NOW
    )
    receipts.record(
        session, channel="sms", provider_id="SM9", status="delivered", error_code=None, now=NOW
    )
    assert (
        messages.record_delivery(
            session, channel="sms", provider_id="SM9", status="delivered", error_code=None, now=NOW
        )
        is None
    )
    messages.mark_sent(session, message, "SM9", NOW)
    receipts.apply(session, "sms", "SM9", NOW)
    assert message.status == "delivered"


def test_marking_sent_never_steps_back_from_a_final_status(session: Session) -> None:
    message = _queued(session)
    messages.mark_sent(session, message, "SM5", NOW)
    messages.record_delivery(
        session, channel="sms", provider_id="SM5", status="undelivered", error_code="30006", now=NOW
    )
    messages.mark_sent(session, message, "SM5", NOW)
    assert (message.status, message.error_code) == ("undelivered", "30006")

"""Parents reply by text: signed Twilio webhooks into the real app, replies out to a fake Twilio."""

from __future__ import annotations

import threading
import time

from sqlalchemy import func, select

from storage.models import Answer, Contact, Conversation, Message
from tests.bot.channels.sms.conftest import SmsWorld, status_form
from tests.fakes.twilio import Failure
from tests.helpers import wait_until

PARENT = "+447700900123"
POST_EVENT = [
    "FEEDBACK",
    "2",  # who is answering: the parent, with help
    "yes",
    "4",
    "The speakers",
    "More time for questions",
    "a bit",
    "yes",
    "both",
]


def answers(sms: SmsWorld) -> dict[str, object]:
    with sms.services.session_factory() as s:
        return {a.step_id: (a.special or a.value) for a in s.scalars(select(Answer))}


def test_a_whole_post_event_conversation_by_text(sms: SmsWorld) -> None:
    for i, body in enumerate(POST_EVENT, start=1):
        response = sms.text(body)
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/xml")
        assert "<Response></Response>" in response.text
        sms.fake.wait_for(i)
    replies = sms.replies_to(PARENT)
    assert len(replies) == len(POST_EVENT)
    assert replies[0].rstrip().endswith("Reply STOP to opt out.")
    assert "Who is answering?\n1 Parent or carer\n2 Parent or carer, with help" in replies[0]
    assert "Did you go to" in replies[1]
    assert "Someone from the parent carer forum will be in touch" in replies[-1]
    assert answers(sms) == {
        "attended": True,
        "rating": 4,
        "worked_well": "The speakers",
        "even_better": "More time for questions",
        "use_learning": "a_bit",
        "come_again": True,
        "stay_in_touch": "both",
    }
    with sms.services.session_factory() as s:
        assert s.scalars(select(Conversation)).one().answered_by == "with_help"
    sent = sms.fake.messages[0]
    assert sent.from_ == "+447700900000"
    assert sent.status_callback == "https://sendvoice.example.gov.uk/webhooks/twilio/status"


def test_forged_or_missing_signature_gets_403_and_nothing_is_stored(sms: SmsWorld) -> None:
    from tests.fakes.twilio import inbound_sms_form

    form = inbound_sms_form(from_=PARENT, to="+447700900000", body="FEEDBACK")
    forged = sms.signed_post("/webhooks/twilio/sms", form, token="not-the-token")
    missing = sms.http.post(sms.server.url("/webhooks/twilio/sms"), data=form)
    assert forged.status_code == 403
    assert missing.status_code == 403
    with sms.services.session_factory() as s:
        assert s.scalar(select(func.count(Message.id))) == 0
        assert s.scalar(select(func.count(Contact.id))) == 0


def test_redelivered_webhook_answers_200_and_changes_nothing(sms: SmsWorld) -> None:
    sms.text("FEEDBACK", sid="SM" + "a" * 32)
    sms.text("1", sid="SM" + "c" * 32)
    first = sms.text("yes", sid="SM" + "b" * 32)
    again = sms.text("yes", sid="SM" + "b" * 32)
    assert first.status_code == again.status_code == 200
    sms.fake.wait_for(3)
    time.sleep(0.3)
    assert len(sms.fake.messages) == 3
    assert answers(sms) == {"attended": True}


def test_a_question_queued_before_stop_is_never_sent(sms: SmsWorld) -> None:
    sms.fake.fail_next(Failure.server_error())  # hold the first reply in the outbox for a moment
    sms.text("FEEDBACK")
    wait_until(lambda: _attempts_of_first(sms) >= 1)
    sms.text("STOP")
    _make_due(sms)
    sms.services.outbox.wake()
    sms.fake.wait_for(1)
    time.sleep(0.3)
    bodies = sms.replies_to(PARENT)
    assert len(bodies) == 1
    assert "unsubscribed" in bodies[0]


def test_stop_mid_flow_then_start(sms: SmsWorld) -> None:
    for i, body in enumerate(["FEEDBACK", "1", "yes", "STOP"], start=1):
        sms.text(body)
        sms.fake.wait_for(i)
    assert "unsubscribed" in sms.replies_to(PARENT)[-1]
    sms.text("4")
    time.sleep(0.3)
    assert len(sms.fake.messages) == 4  # nothing to someone who said STOP
    with sms.services.session_factory() as s:
        assert s.scalars(select(Conversation)).one().status == "stopped"
    sms.text("START")
    sms.fake.wait_for(5)
    assert "Welcome back" in sms.replies_to(PARENT)[-1]
    sms.text("FEEDBACK")
    sms.fake.wait_for(6)
    assert "Who is answering?" in sms.replies_to(PARENT)[-1]


def test_status_callbacks_out_of_order_never_go_backwards(sms: SmsWorld) -> None:
    sms.text("FEEDBACK")
    [sent] = sms.fake.wait_for(1)
    path = "/webhooks/twilio/status"
    for status in ["delivered", "sent", "sent", "delivered"]:
        response = sms.signed_post(path, status_form(sms.fake, sent.sid, status))
        assert response.status_code == 204
    # The send's id and the receipts that overtook it are applied in two steps (see
    # twilio_webhooks.apply_status): wait for both, then check nothing steps back.
    wait_until(
        lambda: (_outbound(sms).provider_id, _outbound(sms).status) == (sent.sid, "delivered")
    )
    time.sleep(0.2)
    with sms.services.session_factory() as s:
        message = s.scalars(select(Message).where(Message.provider_id == sent.sid)).one()
        assert message.status == "delivered"
    forged = sms.signed_post(path, status_form(sms.fake, sent.sid, "failed"), token="wrong")
    assert forged.status_code == 403


def test_undelivered_callback_records_the_error_code(sms: SmsWorld) -> None:
    sms.text("FEEDBACK")
    [sent] = sms.fake.wait_for(1)
    sms.signed_post(
        "/webhooks/twilio/status",
        status_form(sms.fake, sent.sid, "undelivered", error_code="30006"),
    )
    # A receipt that overtakes the send's own record is applied in a second step: wait for it.
    wait_until(
        lambda: (_outbound(sms).provider_id, _outbound(sms).status) == (sent.sid, "undelivered")
    )
    with sms.services.session_factory() as s:
        message = s.scalars(select(Message).where(Message.provider_id == sent.sid)).one()
        assert (message.status, message.error_code) == ("undelivered", "30006")


def test_provider_outage_then_recovery_loses_and_doubles_nothing(sms: SmsWorld) -> None:
    sms.fake.fail_next(Failure.server_error(), Failure.too_many_requests(), Failure.server_error())
    sms.text("FEEDBACK")

    # Backoff is real time in the running server; bring each retry forward instead of waiting.
    def delivered() -> bool:
        _make_due(sms)
        sms.services.outbox.wake()
        return _message_status(sms) == "sent"

    wait_until(delivered, timeout=20)
    sms.fake.wait_for(1)
    assert len(sms.fake.messages) == 1
    assert len([r for r in sms.fake.requests if r.path.endswith("/Messages.json")]) == 4
    assert _message_status(sms) == "sent"


def test_unsubscribed_number_marks_the_contact_opted_out(sms: SmsWorld) -> None:
    sms.fake.opt_out(PARENT)
    sms.text("FEEDBACK")
    wait_until(lambda: _message_status(sms) == "failed")
    with sms.services.session_factory() as s:
        assert s.scalars(select(Contact)).one().opted_out_at is not None
        assert (
            s.scalars(select(Message).where(Message.direction == "out")).one().error_code == "21610"
        )


def test_concurrent_messages_from_one_number_are_handled_one_after_the_other(sms: SmsWorld) -> None:
    sms.text("FEEDBACK")
    sms.text("1")
    sms.text("yes")
    barrier = threading.Barrier(2)
    codes: list[int] = []

    def send(body: str) -> None:
        barrier.wait()
        codes.append(sms.text(body).status_code)

    threads = [threading.Thread(target=send, args=(b,)) for b in ("4", "The speakers")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert codes == [200, 200]
    stored = answers(sms)
    # In either order nothing is lost: "4" answers the rating whether it came first or second
    # (if second, "The speakers" was first re-prompted as not a rating).
    assert stored["attended"] is True
    assert stored["rating"] == 4
    with sms.services.session_factory() as s:
        assert s.scalar(select(func.count(Message.id)).where(Message.direction == "in")) == 5
        conversation = s.scalars(select(Conversation)).one()
        assert conversation.status == "active"


def test_hostile_and_odd_input_never_gives_a_5xx(sms: SmsWorld) -> None:
    odd = [
        "",
        "x" * 1600,
        "😀👍🏽🏳️‍🌈",
        "a\x00b\x07c\x1b[31m",
        "\u202eevil",
        "FEEDBACK" * 200,
        "<script>alert(1)</script>",
        "' OR 1=1; --",
        "\ud7ff\ue000",
        "STOP\x00",
    ]
    for body in odd:
        response = sms.text(body)
        assert response.status_code == 200, body
    picture = sms.text("", num_media=2)
    assert picture.status_code == 200
    from tests.fakes.twilio import inbound_sms_form

    unknown_to = inbound_sms_form(from_=PARENT, to="+15005550006", body="hello")
    assert sms.signed_post("/webhooks/twilio/sms", unknown_to).status_code == 200
    not_a_number = inbound_sms_form(from_="NOTANUMBER", to="+447700900000", body="hello")
    assert sms.signed_post("/webhooks/twilio/sms", not_a_number).status_code == 200
    garbage = sms.http.post(
        sms.server.url("/webhooks/twilio/sms"),
        content=b"\xff\xfe\x00",
        headers={"X-Twilio-Signature": "abc", "Content-Type": "text/plain"},
    )
    assert garbage.status_code == 403


def test_a_picture_is_thanked_and_a_note_stored(sms: SmsWorld) -> None:
    sms.text("FEEDBACK")
    sms.fake.wait_for(1)
    sms.text("", num_media=1)
    sms.fake.wait_for(2)
    assert "can't read pictures" in sms.replies_to(PARENT)[-1]
    with sms.services.session_factory() as s:
        inbound = s.scalars(
            select(Message).where(Message.direction == "in").order_by(Message.id)
        ).all()
        assert inbound[-1].meta["media_count"] == 1


def test_healthz_checks_the_database(sms: SmsWorld) -> None:
    response = sms.http.get(sms.server.url("/healthz"))
    assert response.status_code == 200
    assert response.json()["database"] == "ok"
    # This world sets no alert route, so it is up but degraded (tests/bot/web/test_health.py).
    assert response.json()["status"] == "degraded"
    assert response.json()["unread_overdue"] == 0


def _outbound(sms: SmsWorld) -> Message:
    with sms.services.session_factory() as s:
        return s.scalars(select(Message).where(Message.direction == "out")).one()


def _message_status(sms: SmsWorld) -> str:
    return _outbound(sms).status


def _attempts(sms: SmsWorld) -> int:
    return _outbound(sms).attempts


def _make_due(sms: SmsWorld) -> None:
    from sqlalchemy import update

    with sms.services.session_factory.begin() as s:
        s.execute(
            update(Message)
            .where(Message.status == "queued")
            .values(next_attempt_at=sms.services.clock())
        )


def _attempts_of_first(sms: SmsWorld) -> int:
    with sms.services.session_factory() as s:
        first = s.scalars(
            select(Message).where(Message.direction == "out").order_by(Message.id)
        ).first()
        return first.attempts if first else 0

"""What happens when WhatsApp cannot carry a message: fall back to SMS only with consent, wait for
the window, or follow WhatsApp's own verdict that the window has shut."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.followups.runner import FollowUpRunner
from storage.models import Attendee, ChannelIdentity, Contact, Conversation, Message
from tests.bot.channels.whatsapp.conftest import (
    COUNCIL_SMS,
    COUNCIL_WHATSAPP,
    PARENT,
    REMINDER_TEMPLATE,
    TEMPLATE,
    WhatsAppWorld,
)
from tests.bot.channels.whatsapp.test_whatsapp_end_to_end import status
from tests.fakes.twilio import inbound_sms_form
from tests.helpers import wait_until


def settled(world: WhatsAppWorld) -> bool:
    return all(state not in ("queued", "sending") for _, state in world.statuses())


def follow_up(world: WhatsAppWorld) -> None:
    FollowUpRunner(world.services).run_due()
    world.services.outbox.wake()


def test_not_on_whatsapp_goes_by_sms_to_someone_who_agreed_to_texts(
    whatsapp: WhatsAppWorld,
) -> None:
    whatsapp.attendee(sms=True)
    whatsapp.fake.not_on_whatsapp(PARENT)
    follow_up(whatsapp)
    wait_until(lambda: any(m.to == PARENT for m in whatsapp.fake.messages))
    wait_until(lambda: settled(whatsapp))
    texts = [m for m in whatsapp.fake.messages if m.to == PARENT]
    assert texts[0].from_ == COUNCIL_SMS
    assert "/stop" not in " ".join(m.body for m in texts)
    assert any("Who is answering?\n1 Parent or carer" in m.body for m in texts)
    channels = {channel for channel, state in whatsapp.statuses() if state == "sent"}
    assert channels == {"sms"}
    with whatsapp.services.session_factory() as s:
        assert s.scalars(select(Contact)).one().preferred_channel == "sms"


def test_not_on_whatsapp_and_never_agreed_to_texts_gets_nothing_by_sms(
    whatsapp: WhatsAppWorld,
) -> None:
    whatsapp.attendee(sms=False)
    whatsapp.fake.not_on_whatsapp(PARENT)
    follow_up(whatsapp)
    wait_until(lambda: any(state == "failed" for _, state in whatsapp.statuses()))
    wait_until(lambda: settled(whatsapp))
    assert whatsapp.fake.messages == []
    assert {channel for channel, _ in whatsapp.statuses()} == {"whatsapp"}
    with whatsapp.services.session_factory() as s:
        failed = s.scalars(select(Message).where(Message.status == "failed")).first()
        assert failed is not None
        assert failed.error_code == "63003"


def test_without_a_template_a_request_waits_for_them_to_write(
    whatsapp: WhatsAppWorld, database_url: str
) -> None:
    whatsapp.services.senders["whatsapp"].templates.clear()  # type: ignore[attr-defined]
    whatsapp.attendee(sms=False)
    follow_up(whatsapp)
    wait_until(lambda: any(state == "held" for _, state in whatsapp.statuses()))
    wait_until(lambda: settled(whatsapp))
    assert whatsapp.fake.messages == []
    whatsapp.write("hello")
    wait_until(lambda: len(whatsapp.to_parent()) >= 3)
    wait_until(lambda: settled(whatsapp))
    assert whatsapp.to_parent()[-1].body.startswith("Who is answering?")
    with whatsapp.services.session_factory() as s:
        opener = s.scalars(select(Message).where(Message.direction == "in")).one()
        assert opener.meta["opened_window"] is True  # not read as an answer


def test_whatsapp_saying_the_window_shut_turns_the_message_into_a_template(
    whatsapp: WhatsAppWorld,
) -> None:
    whatsapp.write("FEEDBACK")
    wait_until(lambda: len(whatsapp.to_parent()) >= 3)
    wait_until(lambda: settled(whatsapp))
    whatsapp.write("2")
    wait_until(lambda: len(whatsapp.to_parent()) >= 4)
    wait_until(lambda: settled(whatsapp))
    # Meta's clock says the window had shut: the last question failed with 63016.
    last = whatsapp.to_parent()[-1]
    whatsapp.fake.close_window(PARENT)
    response = whatsapp.signed_post(
        "/webhooks/twilio/whatsapp/status", status(whatsapp, last.sid, "failed", "63016")
    )
    assert response.status_code == 204
    whatsapp.services.outbox.wake()
    # Mid-conversation: the reminder's template asks them to carry on.
    wait_until(lambda: whatsapp.to_parent()[-1].form.get("ContentSid") == REMINDER_TEMPLATE)
    wait_until(lambda: settled(whatsapp))
    assert ("whatsapp", "held") in whatsapp.statuses()
    before = len(whatsapp.to_parent())
    whatsapp.write("Start", payload="start")
    wait_until(lambda: len(whatsapp.to_parent()) > before)
    wait_until(lambda: settled(whatsapp))
    assert "Did you go to" in whatsapp.to_parent()[-1].form["ContentVariables"]


def test_a_whatsapp_message_to_the_sms_webhook_is_answered_on_whatsapp(
    whatsapp: WhatsAppWorld,
) -> None:
    form = whatsapp.fake.whatsapp_message(from_=PARENT, to=COUNCIL_WHATSAPP, body="HELP")
    assert whatsapp.signed_post("/webhooks/twilio/sms", form).status_code == 200
    wait_until(lambda: len(whatsapp.to_parent()) >= 2)
    assert {m.to for m in whatsapp.to_parent()} == {f"whatsapp:{PARENT}"}
    assert "01234 000000" in whatsapp.to_parent()[-1].body


def test_the_wa_me_link_text_joins_the_event_with_its_source(whatsapp: WhatsAppWorld) -> None:
    from bot.channels.whatsapp.links import start_text, wa_link

    whatsapp.attendee(sms=False, number="+447700900999")  # makes the event
    code = whatsapp.event_code()
    text = start_text("the EHCP coffee morning", code)
    assert wa_link(f"whatsapp:{COUNCIL_WHATSAPP}", text).startswith(
        "https://wa.me/447700900001?text=Hello%2C%20I%20was%20at"
    )
    whatsapp.write(text)
    wait_until(lambda: len(whatsapp.to_parent()) >= 3)
    with whatsapp.services.session_factory() as s:
        identity = s.scalars(
            select(ChannelIdentity).where(ChannelIdentity.channel == "whatsapp")
        ).all()[-1]
        assert identity.opt_in_source == "wa_link"
        assert identity.opted_in_at is not None
        contact = s.get_one(Contact, identity.contact_id)
        assert contact.consent_source == "whatsapp_deep_link"
        assert contact.preferred_channel == "whatsapp"
        attendee = s.scalars(select(Attendee).where(Attendee.contact_id == contact.id)).one()
        assert attendee.source == "deep_link"
        conversation = s.scalars(
            select(Conversation).where(Conversation.contact_id == contact.id)
        ).one()
        assert conversation.channel == "whatsapp"


def test_texting_then_writing_on_whatsapp_is_one_person(whatsapp: WhatsAppWorld) -> None:
    form = inbound_sms_form(from_=PARENT, to=COUNCIL_SMS, body="hello")
    whatsapp.signed_post("/webhooks/twilio/sms", form)
    wait_until(lambda: len(whatsapp.to_parent()) >= 1)
    whatsapp.write("hello again")
    wait_until(lambda: len(whatsapp.to_parent()) >= 2)
    with whatsapp.services.session_factory() as s:
        assert len(s.scalars(select(Contact)).all()) == 1
        channels = sorted(i.channel for i in s.scalars(select(ChannelIdentity)))
        assert channels == ["sms", "whatsapp"]
    assert whatsapp.to_parent()[1].to == f"whatsapp:{PARENT}"


def test_a_reminder_days_later_asks_again_with_the_reminder_template(
    whatsapp: WhatsAppWorld,
) -> None:
    whatsapp.attendee(sms=False)
    follow_up(whatsapp)
    wait_until(lambda: len(whatsapp.to_parent()) == 1)
    wait_until(lambda: settled(whatsapp))
    assert whatsapp.to_parent()[0].form["ContentSid"] == TEMPLATE
    # No reply. Two days on, the reminder: the window is still shut, so its template asks again.
    whatsapp.clock.now += timedelta(hours=49)
    follow_up(whatsapp)
    wait_until(lambda: len(whatsapp.to_parent()) == 2)
    wait_until(lambda: settled(whatsapp))
    assert whatsapp.to_parent()[1].form["ContentSid"] == REMINDER_TEMPLATE
    whatsapp.write("Start", payload="start")
    wait_until(lambda: whatsapp.to_parent()[-1].body.startswith("Who is answering?"))
    wait_until(lambda: settled(whatsapp))
    bodies = [m.body for m in whatsapp.to_parent()[2:]]
    assert any("A quick reminder" in b for b in bodies)
    assert not [m for m in whatsapp.fake.messages if not m.to.startswith("whatsapp:")]


def test_what_was_held_for_an_ended_conversation_is_not_sent_late(
    whatsapp: WhatsAppWorld,
) -> None:
    whatsapp.attendee(sms=False)
    follow_up(whatsapp)
    wait_until(lambda: len(whatsapp.to_parent()) == 1)
    wait_until(lambda: settled(whatsapp))
    with whatsapp.services.session_factory.begin() as s:
        s.scalars(select(Conversation)).one().status = "expired"
    whatsapp.write("hello")
    wait_until(lambda: len(whatsapp.to_parent()) >= 2)  # the reply to "hello" itself
    wait_until(lambda: settled(whatsapp))
    assert not any(m.body.startswith("Who is answering?") for m in whatsapp.to_parent())
    assert ("whatsapp", "held") not in whatsapp.statuses()
    assert ("whatsapp", "cancelled") in whatsapp.statuses()

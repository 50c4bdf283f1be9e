"""Parents on WhatsApp: signed Twilio webhooks into the real app, messages out to a fake Twilio
that keeps WhatsApp's rules (the 24-hour window, templates, buttons)."""

from __future__ import annotations

import json

from sqlalchemy import select

from bot.followups.runner import FollowUpRunner
from storage.models import Answer, ChannelIdentity, Contact, Conversation, Message
from tests.bot.channels.whatsapp.conftest import (
    BUTTONS,
    COUNCIL_WHATSAPP,
    PARENT,
    TEMPLATE,
    WhatsAppWorld,
)
from tests.fakes.twilio import SentMessage
from tests.fakes.twilio_whatsapp import variables_of
from tests.helpers import wait_until

ANSWERS = ["2", "Yes", "Good", "The speakers", "More time for questions", "A bit", "Yes", "Both"]


def buttons_of(message: SentMessage) -> dict[str, str]:
    """{title: payload} of a message sent with button content."""
    values = variables_of(dict(message.form))
    return {values[str(i)]: values[str(i + 1)] for i in range(2, len(values), 2)}


def text_of(message: SentMessage) -> str:
    return message.body or variables_of(dict(message.form)).get("1", "")


def answers(world: WhatsAppWorld) -> dict[str, object]:
    with world.services.session_factory() as s:
        return {a.step_id: (a.special or a.value) for a in s.scalars(select(Answer))}


class Parent:
    """Reads what arrives and answers: a button where there is one, words where there is not."""

    def __init__(self, world: WhatsAppWorld) -> None:
        self.world = world
        self.seen = 0

    def arrived(self, at_least: int = 1) -> list[SentMessage]:
        wait_until(lambda: len(self.world.to_parent()) >= self.seen + at_least)
        # Everything queued by one reply goes together; wait for the outbox to finish it.
        wait_until(lambda: not self._pending())
        new = self.world.to_parent()[self.seen :]
        self.seen += len(new)
        return new

    def _pending(self) -> bool:
        with self.world.services.session_factory() as s:
            return bool(
                s.scalars(
                    select(Message.id).where(
                        Message.direction == "out", Message.status.in_(("queued", "sending"))
                    )
                ).first()
            )

    def press(self, title: str) -> list[SentMessage]:
        last = self.world.to_parent()[self.seen - 1]
        payload = buttons_of(last)[title]
        self.world.write(title, payload=payload)
        return self.arrived()

    def say(self, words: str) -> list[SentMessage]:
        self.world.write(words)
        return self.arrived()


def test_a_follow_up_outside_the_window_goes_as_a_template_and_the_rest_as_buttons(
    whatsapp: WhatsAppWorld,
) -> None:
    whatsapp.attendee(sms=True)
    report = FollowUpRunner(whatsapp.services).run_due()
    assert report.sent == 1
    whatsapp.services.outbox.wake()
    parent = Parent(whatsapp)

    # Never written to us: only the approved template may go, naming the event.
    (invitation,) = parent.arrived()
    assert invitation.to == f"whatsapp:{PARENT}"
    assert invitation.from_ == f"whatsapp:{COUNCIL_WHATSAPP}"
    assert invitation.form["ContentSid"] == TEMPLATE
    assert json.loads(invitation.form["ContentVariables"]) == {"1": "the EHCP coffee morning"}
    with whatsapp.services.session_factory() as s:
        held = s.scalars(select(Message).where(Message.status == "held")).all()
        assert held
        assert all(m.channel == "whatsapp" for m in held)

    # Pressing the template's button opens the window: the questions come, with buttons.
    whatsapp.write("Start", payload="start")
    opening = parent.arrived()
    texts = [text_of(m) for m in opening]
    assert "STOP" in texts[0]
    assert "/stop" not in texts[0]
    assert texts[-1].startswith("Who is answering?\n1 Parent or carer")  # too long for buttons
    for answer in ANSWERS:
        last = whatsapp.to_parent()[-1]
        titles = buttons_of(last) if last.form.get("ContentSid") in BUTTONS.values() else {}
        match = next((t for t in titles if t.lower() == answer.lower()), None)
        if match is not None:
            parent.press(match)
        else:
            parent.say(answer)
    assert answers(whatsapp) == {
        "attended": True,
        "rating": 4,
        "worked_well": "The speakers",
        "even_better": "More time for questions",
        "use_learning": "a_bit",
        "come_again": True,
        "stay_in_touch": "both",
    }
    questions = [m for m in whatsapp.to_parent() if m.form.get("ContentSid") in BUTTONS.values()]
    # Yes/no, the scale, choices: as buttons (a list picker past three).
    assert len(questions) >= 5
    assert buttons_of(questions[0]) == {"Yes": "a:2:1", "No": "a:2:2", "Skip": "a:2:skip"}
    assert "Someone from the parent carer forum will be in touch" in text_of(
        whatsapp.to_parent()[-2]
    )

    # The blue ticks reach the message.
    sid = whatsapp.to_parent()[-1].sid
    whatsapp.signed_post("/webhooks/twilio/whatsapp/status", status(whatsapp, sid, "delivered"))
    whatsapp.signed_post("/webhooks/twilio/whatsapp/status", status(whatsapp, sid, "read"))
    whatsapp.signed_post("/webhooks/twilio/whatsapp/status", status(whatsapp, sid, "delivered"))
    with whatsapp.services.session_factory() as s:
        assert s.scalars(select(Message.status).where(Message.provider_id == sid)).one() == "read"

    # STOP works on WhatsApp, and is confirmed there.
    (confirmation,) = parent.say("STOP")
    assert "unsubscribed" in text_of(confirmation)
    with whatsapp.services.session_factory() as s:
        contact = s.scalars(select(Contact)).one()
        assert contact.opted_out_at is not None
        assert contact.opt_out_channel == "whatsapp"
        assert s.scalars(select(Conversation)).one().channel == "whatsapp"
        identity = s.scalars(
            select(ChannelIdentity).where(ChannelIdentity.channel == "whatsapp")
        ).one()
        assert identity.last_inbound_at is not None

    # They could be texted, yet nothing went by SMS in a WhatsApp conversation.
    assert all(m.to.startswith("whatsapp:") for m in whatsapp.fake.messages)
    assert not [m for m in whatsapp.fake.messages if m.to == PARENT]


def status(world: WhatsAppWorld, sid: str, state: str, error: str | None = None) -> dict[str, str]:
    form = {
        "MessageSid": sid,
        "SmsSid": sid,
        "MessageStatus": state,
        "SmsStatus": state,
        "AccountSid": world.fake.account_sid,
        "From": f"whatsapp:{COUNCIL_WHATSAPP}",
        "To": f"whatsapp:{PARENT}",
        "ApiVersion": "2010-04-01",
        "ChannelPrefix": "whatsapp",
    }
    if error:
        form["ErrorCode"] = error
    return form

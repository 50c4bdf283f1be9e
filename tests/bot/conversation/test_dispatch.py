from __future__ import annotations

import itertools
import threading

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import FrozenClock
from bot.conversation.dispatch import Dispatcher
from bot.conversation.inbound import InboundMessage
from storage.models import Answer, Contact, Conversation, Message

_ids = itertools.count(1)
NUMBER = "+447700900123"


def text_in(
    dispatcher: Dispatcher,
    sf: sessionmaker[Session],
    clock: FrozenClock,
    body: str,
    *,
    provider_id: str | None = None,
    channel: str = "sms",
    address: str = NUMBER,
    media: int = 0,
):
    msg = InboundMessage(
        channel=channel,
        address=address,
        text=body,
        provider_id=provider_id or f"SM{next(_ids):032d}",
        received_at=clock(),
        media_count=media,
    )
    return dispatcher.handle(sf, msg)


def outbound(sf: sessionmaker[Session]) -> list[Message]:
    with sf() as s:
        return list(
            s.scalars(select(Message).where(Message.direction == "out").order_by(Message.id))
        )


def answers(sf: sessionmaker[Session]) -> dict[str, object]:
    with sf() as s:
        return {a.step_id: (a.special or a.value) for a in s.scalars(select(Answer))}


def test_feedback_keyword_starts_post_event_with_notice_and_opt_out_line(
    dispatcher, sf, clock
) -> None:
    result = text_in(dispatcher, sf, clock, "feedback")
    assert "started" in result.events
    [first] = outbound(sf)
    assert first.status == "queued"
    assert first.body.startswith("Testshire County Council SEND team asks for your views")
    assert first.body.count("STOP") == 1  # how to stop, said once
    assert first.body.rstrip().endswith("Reply STOP to opt out.")
    assert first.segments
    assert first.segments >= 1


def test_a_whole_post_event_conversation_by_text_stores_every_answer_once(
    dispatcher, sf, clock
) -> None:
    replies = [
        "FEEDBACK",
        "2",  # who is answering: the parent, with help
        "yes",
        "4",
        "The speakers",
        "More time for questions",
        "a bit",
        "yes",
        "no thanks",
    ]
    for body in replies:
        text_in(dispatcher, sf, clock, body)
    stored = answers(sf)
    assert stored["attended"] is True
    assert stored["rating"] == 4
    assert stored["worked_well"] == "The speakers"
    assert "answered_by" not in stored  # who answered is the conversation's, not a question's
    with sf() as s:
        conversation = s.scalars(select(Conversation)).one()
        assert conversation.status == "completed"
        assert conversation.answered_by == "with_help"
        assert s.scalar(select(func.count(Answer.id))) == len(stored)


def test_redelivered_message_is_a_no_op(dispatcher, sf, clock) -> None:
    text_in(dispatcher, sf, clock, "FEEDBACK", provider_id="SMdup0")
    text_in(dispatcher, sf, clock, "1", provider_id="SMdup1")
    again = text_in(dispatcher, sf, clock, "1", provider_id="SMdup1")
    assert again.duplicate
    assert answers(sf) == {}
    with sf() as s:
        assert s.scalars(select(Conversation)).one().answered_by == "self"
    text_in(dispatcher, sf, clock, "yes", provider_id="SMdup2")
    again = text_in(dispatcher, sf, clock, "yes", provider_id="SMdup2")
    assert again.duplicate
    assert answers(sf) == {"attended": True}
    assert len(outbound(sf)) == 3


def test_stop_mid_flow_opts_out_once_and_start_opts_back_in(dispatcher, sf, clock) -> None:
    text_in(dispatcher, sf, clock, "FEEDBACK")
    text_in(dispatcher, sf, clock, "1")
    text_in(dispatcher, sf, clock, "yes")
    text_in(dispatcher, sf, clock, "Stop")
    text_in(dispatcher, sf, clock, "STOP")
    text_in(dispatcher, sf, clock, "4")  # ignored: they asked us to stop
    bodies = [m.body for m in outbound(sf)]
    assert sum("unsubscribed" in b for b in bodies) == 1
    assert len(bodies) == 4
    with sf() as s:
        contact = s.scalars(select(Contact)).one()
        assert contact.opted_out_at is not None
        assert s.scalars(select(Conversation)).one().status == "stopped"
    text_in(dispatcher, sf, clock, "start")
    with sf() as s:
        assert s.scalars(select(Contact)).one().opted_out_at is None
    assert "Welcome back" in outbound(sf)[-1].body
    assert answers(sf) == {"attended": True}


def test_unknown_text_with_no_conversation_gets_a_polite_explanation(dispatcher, sf, clock) -> None:
    text_in(dispatcher, sf, clock, "hello who is this")
    [reply] = outbound(sf)
    assert "This number is for Testshire County Council SEND team" in reply.body
    assert "reply FEEDBACK" in reply.body


def test_help_gives_contact_details(dispatcher, sf, clock) -> None:
    text_in(dispatcher, sf, clock, "HELP")
    assert "call 01234 000000" in outbound(sf)[-1].body


def test_help_inside_a_flow_keeps_the_question(dispatcher, sf, clock) -> None:
    text_in(dispatcher, sf, clock, "FEEDBACK")
    text_in(dispatcher, sf, clock, "help")
    last = outbound(sf)[-1].body
    assert "call 01234 000000" in last
    assert "BACK" in last


def test_a_picture_is_thanked_and_the_question_repeated(dispatcher, sf, clock) -> None:
    text_in(dispatcher, sf, clock, "FEEDBACK")
    text_in(dispatcher, sf, clock, "", media=1)
    last = outbound(sf)[-1].body
    assert "can't read pictures" in last
    assert answers(sf) == {}
    with sf() as s:
        inbound = s.scalars(select(Message).where(Message.direction == "in")).all()
        assert inbound[-1].meta["media_count"] == 1


def test_back_replaces_the_stored_answer(dispatcher, sf, clock) -> None:
    for body in ["FEEDBACK", "1", "yes", "2", "back", "5"]:
        text_in(dispatcher, sf, clock, body)
    assert answers(sf) == {"attended": True, "rating": 5}


def test_privacy_notice_is_sent_only_once_per_person(dispatcher, sf, clock) -> None:
    text_in(dispatcher, sf, clock, "hello")
    text_in(dispatcher, sf, clock, "hello again")
    bodies = [m.body for m in outbound(sf)]
    assert sum("asks for your views" in b for b in bodies) == 1


def test_chat_channel_gets_buttons(dispatcher, sf, clock) -> None:
    text_in(dispatcher, sf, clock, "VOICE", channel="chatty", address="12345")
    messages = outbound(sf)
    with_buttons = [m for m in messages if m.meta.get("buttons")]
    assert with_buttons
    assert all(b["data"].startswith("a:") for row in with_buttons[0].meta["buttons"] for b in row)


def test_concurrent_messages_from_one_new_number_are_both_kept(dispatcher, sf, clock) -> None:
    text_in(dispatcher, sf, clock, "FEEDBACK", address="+447700900999")
    text_in(dispatcher, sf, clock, "1", address="+447700900999")
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def send(body: str, pid: str) -> None:
        try:
            barrier.wait()
            text_in(dispatcher, sf, clock, body, provider_id=pid, address="+447700900999")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [
        threading.Thread(target=send, args=(b, p)) for b, p in [("yes", "SMc1"), ("4", "SMc2")]
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    stored = answers(sf)
    # One of the two was handled first; the other answered the next question. Nothing is lost.
    assert stored.get("attended") is True
    with sf() as s:
        assert s.scalar(select(func.count(Message.id)).where(Message.direction == "in")) == 4


def test_each_inbound_message_is_kept_with_the_conversation_it_belongs_to(
    dispatcher, sf, clock
) -> None:
    text_in(dispatcher, sf, clock, "hello who is this")  # no conversation yet
    text_in(dispatcher, sf, clock, "FEEDBACK")  # starts one
    text_in(dispatcher, sf, clock, "yes")  # answers it
    text_in(dispatcher, sf, clock, "STOP")  # ends it
    text_in(dispatcher, sf, clock, "4")  # after STOP: nothing is open
    with sf() as s:
        conversation = s.scalars(select(Conversation)).one()
        inbound = s.scalars(
            select(Message).where(Message.direction == "in").order_by(Message.id)
        ).all()
    links = [(m.body, m.conversation_id) for m in inbound]
    assert links == [
        ("hello who is this", None),
        ("FEEDBACK", conversation.id),
        ("yes", conversation.id),
        ("STOP", conversation.id),
        ("4", None),
    ]

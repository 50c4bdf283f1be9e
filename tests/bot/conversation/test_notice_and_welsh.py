"""What a person is told first, what PRIVACY and HELP send, and Welsh readers' names and words."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import FrozenClock
from bot.config import Settings
from bot.conversation.dispatch import Dispatcher
from flows.gsm import count_segments
from flows.library import FlowLibrary
from storage import contacts as contacts_repo
from storage import events as events_repo
from storage.models import Conversation
from tests.bot.conversation.test_dispatch import answers, outbound, text_in

WELSH_NUMBER = "+447700900456"


def start_for(
    dispatcher: Dispatcher,
    sf: sessionmaker[Session],
    clock: FrozenClock,
    flow_id: str,
    *,
    language: str,
    title: str = "Moving on coffee morning",
    title_cy: str | None = None,
    channel: str = "sms",
) -> None:
    with sf.begin() as session:
        event = events_repo.create(
            session,
            title=title,
            title_cy=title_cy,
            kind="coffee_morning",
            starts_at=clock() - timedelta(days=1, hours=2),
            ends_at=clock() - timedelta(days=1),
            flow_id=flow_id,
            now=clock(),
        )
        contact, identity, _ = contacts_repo.find_or_create(
            session, channel, WELSH_NUMBER, clock(), role="parent", language=language
        )
        context = dispatcher.context_for(contact, events_repo.names(event))
        flow = dispatcher.library.get(flow_id)
        dispatcher.start_flow(session, contact, identity, flow, context=context, event_id=event.id)


@pytest.fixture
def welsh_settings(settings: Settings) -> Settings:
    return settings.model_copy(
        update={
            "council_name_cy": "Cyngor Sir Profshire",
            "service_name_cy": "Tim AAA",
            "contact_details_cy": "ffoniwch 01234 000000",
            "privacy_notice_url": "https://example.gov.uk/privacy",
        }
    )


@pytest.fixture
def welsh(library: FlowLibrary, welsh_settings: Settings, clock: FrozenClock) -> Dispatcher:
    return Dispatcher(library, welsh_settings, {"sms": "sms", "chatty": "chat"}, clock)


def test_the_first_text_says_how_to_stop_once_and_fits_two_segments(dispatcher, sf, clock) -> None:
    text_in(dispatcher, sf, clock, "FEEDBACK")
    [first] = outbound(sf)
    assert first.body.count("STOP") == 1
    assert first.body.rstrip().endswith("Reply STOP to opt out.")
    assert "PRIVACY" in first.body
    assert count_segments(first.body).segments <= 2


def test_privacy_sends_the_full_notice_and_leaves_the_question_open(dispatcher, sf, clock) -> None:
    for body in ["FEEDBACK", "1", "yes", "privacy"]:
        text_in(dispatcher, sf, clock, body)
    notice = outbound(sf)[-1].body
    assert "2 years" in notice
    assert "public task" in notice
    assert "call 01234 000000" in notice
    assert "ICO" in notice
    assert count_segments(notice).segments <= 3
    assert answers(sf) == {"attended": True}  # "privacy" was not taken as an answer
    text_in(dispatcher, sf, clock, "4")
    assert answers(sf) == {"attended": True, "rating": 4}


def test_privacy_as_the_first_message_is_the_notice_itself(welsh, sf, clock) -> None:
    text_in(welsh, sf, clock, "PREIFATRWYDD")
    [reply] = outbound(sf)
    assert "asks for your views" not in reply.body  # not the short notice as well
    assert "https://example.gov.uk/privacy" in reply.body


def test_help_in_a_conversation_by_sms_explains_and_fits_two_segments(
    dispatcher, sf, clock
) -> None:
    text_in(dispatcher, sf, clock, "FEEDBACK")
    text_in(dispatcher, sf, clock, "help")
    reply = outbound(sf)[-1].body
    assert "call 01234 000000" in reply
    assert "REPEAT" in reply
    assert "Did you go to" not in reply  # it is in the text before; REPEAT sends it again
    assert count_segments(reply).segments <= 2


def test_chat_notice_names_no_phone_number_and_says_how_to_stop_there(
    dispatcher, sf, clock
) -> None:
    text_in(dispatcher, sf, clock, "VOICE", channel="chatty", address="12345")
    first = outbound(sf)[0].body
    assert "/stop" in first
    assert "number" not in first
    assert "Reply STOP" not in first


def test_welsh_reader_gets_the_welsh_title_and_council_name_end_to_end(welsh, sf, clock) -> None:
    start_for(welsh, sf, clock, "post_event", language="cy", title_cy="Bore coffi Symud Ymlaen")
    first = outbound(sf)[0].body
    assert first.startswith("Tim AAA Cyngor Sir Profshire:")
    assert "Pwy sy'n ateb?" in first  # who is answering, before the first question
    assert "Moving on" not in first
    assert "Helo" in first
    assert first.count("STOP") == 1
    for body in ["1", "do", "2"]:
        text_in(welsh, sf, clock, body, address=WELSH_NUMBER)
    texts = [m.body for m in outbound(sf)]
    assert "Bore coffi Symud Ymlaen: fuoch chi yno?" in texts[1]
    assert "At ei gilydd, sut oedd Bore coffi Symud Ymlaen?" in texts[2]
    assert "Moving on" not in " ".join(texts)
    text_in(welsh, sf, clock, "cymorth", address=WELSH_NUMBER)
    assert "ffoniwch 01234 000000" in outbound(sf)[-1].body
    assert answers(sf)["rating"] == 2


def test_welsh_reader_without_a_welsh_title_reads_the_title_in_a_welsh_sentence(
    welsh, sf, clock
) -> None:
    start_for(welsh, sf, clock, "post_event", language="cy")
    text_in(welsh, sf, clock, "1", address=WELSH_NUMBER)
    texts = " ".join(m.body for m in outbound(sf))
    assert "Moving on coffee morning: fuoch chi yno?" in texts
    assert " i y " not in texts
    assert "helpu y " not in texts


def test_welsh_reader_of_an_english_only_flow_is_told_so_in_welsh_first(welsh, sf, clock) -> None:
    start_for(welsh, sf, clock, "ehcp_experience", language="cy")
    first = outbound(sf)[0].body
    lines = first.splitlines()
    assert lines[0] == "Saesneg yn unig, sori."
    assert "asks for your views" in first  # the notice in the questions' language
    assert "Can we ask 9 short questions" in first  # asked before who is answering
    assert count_segments(first).segments <= 2
    text_in(welsh, sf, clock, "yes", address=WELSH_NUMBER)
    assert "Who is answering?" in outbound(sf)[-1].body
    with sf() as session:
        conversation = session.scalars(select(Conversation)).one()
        assert conversation.language == "en"

"""What a person tells us, and their name, are unreadable in the database outside encrypted columns."""

from __future__ import annotations

import asyncio
import csv
import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import JSON, MetaData, create_engine, select

from bot.clock import FrozenClock
from bot.conversation.inbound import InboundMessage
from bot.followups.attendees import import_attendees
from bot.followups.runner import FollowUpRunner
from bot.privacy.keys import rotate
from bot.services import build_services
from storage import contacts as contacts_repo
from storage.conversations import state_of
from storage.crypto import IdentifierCipher, generate_key
from storage.db import make_engine, make_session_factory
from storage.models import Conversation
from tests.bot.followups.conftest import EVENT_END, EVENT_START, World, world_settings
from tests.fakes.telegram import FakeTelegram
from tests.fakes.twilio import FakeTwilio

NUMBER = "+447700900431"
NAME = "Gwenllian Prosser"
FREE_TEXT = "Parking near the Zanzibar hall was impossible"
NEXT_DAY_NOON = EVENT_END + timedelta(hours=24)

NAMED_FLOW = """
format: 1
id: named_feedback
version: 1
title: Feedback that greets people by name
audience: parent
languages: [en]
expires_after: 3d
steps:
  - id: hello
    type: message
    say: {en: "Hi {first_name}, thanks for coming to {event_name}."}
  - id: comments
    type: text
    ask: {en: "What could we do better?"}
  - id: again
    type: yes_no
    ask: {en: "Would you come again, {first_name}?"}
    next:
      - if: '"parking" in comments'
        go: end
"""


@pytest.fixture
def world(database_url: str, tmp_path: Path) -> Iterator[World]:
    flows = tmp_path / "flows"
    flows.mkdir()
    (flows / "named_feedback.yaml").write_text(NAMED_FLOW, encoding="utf-8")
    with FakeTwilio() as twilio, FakeTelegram() as telegram:
        settings = world_settings(database_url, twilio, telegram)
        settings.flow_paths = str(flows)
        clock = FrozenClock(EVENT_END)
        services = build_services(settings, clock=clock)
        yield World(services, FollowUpRunner(services), clock, twilio, telegram)
        asyncio.run(services.aclose())
        services.close()


# Where a person's words are kept on purpose in clear: nowhere. The answer and the message are
# kept until retention or erasure, encrypted (see test_red_team for the raw file's bytes).
WORDS_KEPT_IN: set[tuple[str, str]] = set()


def raw_rows(database_url: str) -> tuple[str, str]:
    """Every column of every row read past the application (but those in WORDS_KEPT_IN), as text,
    and the JSON columns' text on their own."""
    engine = create_engine(database_url)
    metadata = MetaData()
    metadata.reflect(engine)
    everything, json_columns = [], []
    with engine.connect() as connection:
        for table in metadata.sorted_tables:
            for row in connection.execute(table.select()).mappings():
                for column in table.columns:
                    if (table.name, column.name) in WORDS_KEPT_IN:
                        continue
                    text = json.dumps(row[column.name], default=str, ensure_ascii=False)
                    everything.append(text)
                    if isinstance(column.type, JSON):
                        json_columns.append(text)
    engine.dispose()
    return "\n".join(everything), "\n".join(json_columns)


def test_names_and_free_text_never_sit_in_clear_in_state_or_any_json_column(
    world: World, database_url: str, tmp_path: Path
) -> None:
    """Failed before the fix: the state held "first_name" and the typed words verbatim."""
    event_id = world.event("named_feedback", title="the sensory play morning")
    people = tmp_path / "attendees.csv"
    with people.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["name", "phone", "telegram", "role", "language", "consent"])
        writer.writerow([NAME, "07700 900431", "", "parent", "en", "yes"])
    report = import_attendees(
        world.services.session_factory,
        event_id,
        people,
        region="GB",
        now=EVENT_START - timedelta(days=1),
    )
    assert report.problems == []
    assert world.at(NEXT_DAY_NOON).sent == 1
    world.clock.now = NEXT_DAY_NOON + timedelta(minutes=1)
    world.services.dispatcher.handle(
        world.services.session_factory,
        InboundMessage("sms", NUMBER, FREE_TEXT, "SM-free-text", world.clock.now),
    )
    asyncio.run(world.services.outbox.deliver_due())

    sent = world.texts_to(NUMBER)
    # The person is still greeted by name, in the SMS itself and in a later question.
    assert "Hi Gwenllian, thanks for coming to the sensory play morning." in sent[0]
    assert "Would you come again, Gwenllian?" in sent[-1]

    everything, json_columns = raw_rows(database_url)
    # The conversation's state reads back whole through the application ...
    with world.services.session_factory() as s:
        conversation = s.scalars(select(Conversation)).one()
        assert state_of(s, conversation)["values"]["comments"] == FREE_TEXT
        stored = json.dumps(conversation.state)
    # ... but not to anyone reading the table.
    for words in ("Gwenllian", "Prosser", "Zanzibar"):
        assert words not in stored
        assert words not in json_columns
        assert words not in everything
    assert "first_name" not in stored
    assert json_columns  # the check did read the JSON columns (state, meta, audit detail)


def test_a_name_changed_after_the_start_is_used_from_then_on(world: World) -> None:
    """The name is read when a text needs it, so a corrected name is not overridden by the state."""
    event_id = world.event("named_feedback", title="the sensory play morning")
    world.attend(event_id, NUMBER)
    with world.services.session_factory.begin() as s:
        contact = contacts_repo.find_by_address(s, "sms", NUMBER)[0]  # type: ignore[index]
        contact.set_display_name("Gwen", s.info["identifier_cipher"])
    world.at(NEXT_DAY_NOON)
    assert "Hi Gwen, thanks" in world.texts_to(NUMBER)[0]
    with world.services.session_factory.begin() as s:
        contact = contacts_repo.find_by_address(s, "sms", NUMBER)[0]  # type: ignore[index]
        contact.set_display_name("Gwenda", s.info["identifier_cipher"])
    world.clock.now = NEXT_DAY_NOON + timedelta(minutes=1)
    world.services.dispatcher.handle(
        world.services.session_factory,
        InboundMessage("sms", NUMBER, "More seats", "SM-more-seats", world.clock.now),
    )
    asyncio.run(world.services.outbox.deliver_due())
    assert "Would you come again, Gwenda?" in world.texts_to(NUMBER)[-1]


def test_rotating_the_key_reseals_conversations_so_the_old_key_can_go(
    world: World, database_url: str
) -> None:
    event_id = world.event("named_feedback", title="the sensory play morning")
    world.attend(event_id, NUMBER)
    world.at(NEXT_DAY_NOON)
    world.clock.now = NEXT_DAY_NOON + timedelta(minutes=1)
    world.services.dispatcher.handle(
        world.services.session_factory,
        InboundMessage("sms", NUMBER, FREE_TEXT, "SM-rotate", world.clock.now),
    )
    [old] = world.services.settings.encryption_keys()
    new = generate_key()
    engine = make_engine(database_url)
    try:
        both = IdentifierCipher([new, old])
        with make_session_factory(engine, both).begin() as s:
            rotate(s, both, actor="cli", now=world.clock.now)
        with make_session_factory(engine, IdentifierCipher([new]))() as s:
            conversation = s.scalars(select(Conversation)).one()
            assert state_of(s, conversation)["values"] == {"comments": FREE_TEXT}
    finally:
        engine.dispose()


def test_rotating_the_key_seals_conversations_stored_in_clear_by_earlier_versions(
    world: World, database_url: str
) -> None:
    event_id = world.event("named_feedback", title="the sensory play morning")
    world.attend(event_id, NUMBER)
    world.at(NEXT_DAY_NOON)
    legacy = {
        "v": 1,
        "flow_id": "named_feedback",
        "flow_version": 1,
        "language": "en",
        "context": {"first_name": "Gwenllian", "event_name": "the sensory play morning"},
        "status": "active",
        "step": "again",
        "seq": 2,
        "reprompts": 0,
        "values": {"comments": FREE_TEXT},
        "specials": {"comments": None},
        "path": ["comments"],
        "expires_at": None,
    }
    with world.services.session_factory.begin() as s:
        s.scalars(select(Conversation)).one().state = legacy
    [key] = world.services.settings.encryption_keys()
    with world.services.session_factory.begin() as s:
        rotate(s, IdentifierCipher([key]), actor="cli", now=world.clock.now)
    _, json_columns = raw_rows(database_url)
    assert "Gwenllian" not in json_columns
    assert "Zanzibar" not in json_columns
    with world.services.session_factory() as s:
        state = state_of(s, s.scalars(select(Conversation)).one())
    assert state["values"] == {"comments": FREE_TEXT}
    assert state["context"] == {"event_name": "the sensory play morning"}
    # ... and the conversation carries on, greeting them by the name on their record.
    world.clock.now = NEXT_DAY_NOON + timedelta(minutes=1)
    world.services.dispatcher.handle(
        world.services.session_factory,
        InboundMessage("sms", NUMBER, "repeat", "SM-legacy", world.clock.now),
    )
    asyncio.run(world.services.outbox.deliver_due())
    assert world.texts_to(NUMBER)[-1].startswith("Would you come again")

"""Follow-ups and flow versions: a request starts on the newest version, and its reminder asks
again in the words of the version the conversation began on."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from storage import flow_versions
from storage.models import Conversation
from tests.bot.followups.conftest import EVENT_END, World
from tests.storage.flow_texts import V1, V2

BEN, CAT = "+447700900102", "+447700900103"
NEXT_DAY_NOON = EVENT_END + timedelta(hours=24)


def _publish(world: World, text: str) -> None:
    with world.services.session_factory.begin() as s:
        flow_versions.publish(s, "coffee_morning", text, None, "editor", now=world.clock())


def test_a_reminder_asks_in_the_words_of_the_version_the_conversation_began_on(
    world: World,
) -> None:
    _publish(world, V1)
    event = world.event("coffee_morning", reminders=(timedelta(hours=48),))
    world.attend(event, BEN)
    world.at(NEXT_DAY_NOON)
    assert "How useful was the coffee morning?" in world.texts_to(BEN)[-1]

    _publish(world, V2)
    world.attend(event, CAT)  # asked after version 2 was published
    world.at(NEXT_DAY_NOON + timedelta(hours=1))
    assert "Was the coffee morning useful to you?" in world.texts_to(CAT)[-1]

    world.at(NEXT_DAY_NOON + timedelta(hours=48))
    reminder = world.texts_to(BEN)[-1]
    assert "A quick reminder" in reminder
    assert "How useful was the coffee morning?" in reminder
    with world.services.session_factory() as s:
        versions = s.scalars(select(Conversation.flow_version).order_by(Conversation.id)).all()
    assert versions == [1, 2]

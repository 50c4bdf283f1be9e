"""A preview shows what the scheduler would do at a time, and changes and sends nothing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from bot.clock import FrozenClock
from bot.followups.preview import Preview, preview
from bot.services import Services, build_services
from storage.models import Contact, Conversation, FollowUp, Message
from tests.bot.followups.conftest import EVENT_END, World

ANN, BEN, CAT = "+447700900101", "+447700900102", "+447700900103"
NEXT_DAY_NOON = EVENT_END + timedelta(hours=24)


@pytest.fixture
def look(world: World) -> Iterator[object]:
    built: list[Services] = []

    def at(when: datetime) -> Preview:
        services = build_services(world.services.settings, clock=FrozenClock(when), senders={})
        built.append(services)
        return preview(services, when)

    yield at
    for services in built:
        services.close()


def everything(world: World) -> tuple[object, ...]:
    """Every row the scheduler could touch, as stored."""
    with world.services.session_factory() as s:
        return (
            [
                (f.id, f.status, f.due_at, f.reason, f.updated_at)
                for f in s.scalars(select(FollowUp))
            ],
            s.scalar(select(func.count()).select_from(Conversation)),
            s.scalar(select(func.count()).select_from(Message)),
        )


def pseudonyms(world: World, contact_ids: list[int]) -> list[str]:
    with world.services.session_factory() as s:
        return sorted(s.get_one(Contact, c).pseudonym for c in contact_ids)


def test_a_preview_says_who_would_be_asked_and_changes_nothing(world: World, look) -> None:
    event = world.event()
    people = [world.attend(event, number) for number in (ANN, BEN, CAT)]
    before = everything(world)

    seen = look(NEXT_DAY_NOON)

    assert (seen.report.sent, seen.messages_queued) == (3, 3)
    [group] = seen.groups
    assert (group.event_id, group.kind, group.outcome) == (event, "initial", "sent")
    assert group.pseudonyms == pseudonyms(world, people)
    assert everything(world) == before
    assert world.twilio.messages == []
    # Nothing was spent: the real pass at that time still finds all three due.
    assert world.at(NEXT_DAY_NOON).sent == 3


def test_a_preview_in_quiet_hours_shows_the_wait_and_its_reason(world: World, look) -> None:
    event = world.event()
    world.attend(event, ANN)
    seen = look(NEXT_DAY_NOON.replace(hour=22))
    [group] = seen.groups
    assert (group.outcome, group.reason) == ("postponed", "quiet hours")
    assert seen.messages_queued == 0


def test_a_preview_of_reminders_counts_what_the_real_pass_would(world: World, look) -> None:
    event = world.event()
    for number in (ANN, BEN):
        world.attend(event, number)
    world.at(NEXT_DAY_NOON)
    before = everything(world)
    sent = len(world.twilio.messages)
    later = NEXT_DAY_NOON + timedelta(days=3)
    seen = look(later)
    assert everything(world) == before
    assert len(world.twilio.messages) == sent
    assert world.at(later).sent == seen.report.sent > 0


def test_a_preview_refuses_services_that_could_send(world: World) -> None:
    with pytest.raises(ValueError, match="nothing to send"):
        preview(world.services, NEXT_DAY_NOON)

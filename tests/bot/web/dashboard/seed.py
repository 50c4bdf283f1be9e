"""Responses seeded the way they really arrive: an event, its follow-ups sent by the scheduler,
and every reply through the dispatcher."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bot.clock import FrozenClock
from bot.conversation.inbound import InboundMessage
from bot.followups.runner import FollowUpRunner
from bot.services import Services
from storage import contacts as contacts_repo
from storage import events as events_repo
from storage import followups as followups_repo

EVENT_START = datetime(2026, 3, 14, 10, 0, tzinfo=UTC)
EVENT_END = EVENT_START + timedelta(hours=2)
REQUESTS_DUE = EVENT_END + timedelta(hours=24)  # Sunday noon
SCRIPT = "<script>alert(1)</script>"
TYPED_NUMBER = "07700 900999"

_ids = itertools.count(1)


def north_number(i: int) -> str:
    return f"+4477009002{i:02d}"


def south_number(i: int) -> str:
    return f"+4477009003{i:02d}"


# Fourteen parents at the north coffee morning: (rating, worked well, stay in touch).
NORTH = [
    ("5", "The speakers were brilliant", "news"),
    ("5", "Meeting other parents", "news"),
    ("5", "The speakers knew their stuff", "both"),
    ("5", "Childcare on site", "news"),
    ("5", "Meeting other parents like me", "no thanks"),
    ("5", "The SENDIASS stall", "news"),
    ("4", SCRIPT, "news"),
    ("4", f"Call me on {TYPED_NUMBER} about the forum", "both"),
    ("4", "Parking was easy", "news"),
    ("4", "The handouts", "no thanks"),
    ("4", "Short and to the point", "news"),
    ("3", "The room was too small", "news"),
    ("3", "Not enough time for questions", "no thanks"),
]
ABSENT = 1  # one more parent did not go
# Who answered, north parent by parent (the absent one last): most alone, three with help,
# one who would not say. The south panel: one answered for, one alone.
NORTH_WHO = ["1"] * 9 + ["2"] * 3 + ["skip"] + ["1"]
SOUTH_WHO = ["3", "1"]


@dataclass
class Seeded:
    north: int
    south: int
    north_numbers: list[str]
    south_numbers: list[str]


def reply(services: Services, clock: FrozenClock, number: str, text: str) -> None:
    clock.now = clock.now + timedelta(seconds=30)
    services.dispatcher.handle(
        services.session_factory,
        InboundMessage("sms", number, text, f"SM{next(_ids):032d}", clock.now),
    )


def _event(services: Services, title: str, area: str, numbers: list[str]) -> int:
    now = EVENT_START - timedelta(days=7)
    with services.session_factory.begin() as s:
        event = events_repo.create(
            s,
            title=title,
            kind="coffee_morning",
            starts_at=EVENT_START,
            ends_at=EVENT_END,
            flow_id="post_event",
            area=area,
            now=now,
        )
        for number in numbers:
            contact, _, _ = contacts_repo.find_or_create(s, "sms", number, now, role="parent")
            events_repo.add_attendee(
                s, event, contact, role="parent", consent=True, source="import", now=now
            )
            followups_repo.plan(s, event, contact.id, now)
        return event.id


def seed(services: Services, clock: FrozenClock) -> Seeded:
    north_numbers = [north_number(i) for i in range(len(NORTH) + ABSENT)]
    south_numbers = [south_number(i) for i in range(2)]
    north = _event(services, "North coffee morning", "north", north_numbers)
    south = _event(services, "South parent panel", "south", south_numbers)
    clock.now = REQUESTS_DUE
    FollowUpRunner(services).run_due()
    for number, who in zip(north_numbers, NORTH_WHO, strict=True):
        reply(services, clock, number, who)
    for number, (rating, worked, stay) in zip(north_numbers, NORTH, strict=False):
        for text in ("yes", rating, worked, "skip", "yes", "yes", stay):
            reply(services, clock, number, text)
    reply(services, clock, north_numbers[-1], "no")
    reply(services, clock, north_numbers[-1], "It was in school hours")
    # The tiny group: two parents from the south, one of whom stops half way.
    for number, who in zip(south_numbers, SOUTH_WHO, strict=True):
        reply(services, clock, number, who)
    for text in ("yes", "2", "Too noisy", "yes", "Quieter room", "no", "no", "news"):
        reply(services, clock, south_numbers[0], text)
    for text in ("yes", "4"):
        reply(services, clock, south_numbers[1], text)
    return Seeded(north, south, north_numbers, south_numbers)

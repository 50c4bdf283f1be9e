"""`privacy forget` leaves no copy of a person's identifiers or words anywhere in the database."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.clock import FrozenClock
from bot.config import Settings
from bot.conversation.inbound import InboundMessage
from bot.privacy.forgetting import FLAG_WORDS_ERASED, find_person, forget
from bot.services import Services, build_services
from storage import answers as answers_repo
from storage import contacts as contacts_repo
from storage import conversations as conversations_repo
from storage import events as events_repo
from storage import followups as followups_repo
from storage.dashboard_models import Coding, Theme
from storage.models import Answer, Contact, Conversation, FollowUp, Message, SafeguardingFlag
from tests.helpers import readable_dump

NOW = datetime(2026, 3, 16, 12, 0, tzinfo=UTC)
NUMBER, OTHER = "+447700900555", "+447700900556"
CHAT_ID = "987650001"
NAME = "Zebedee Quartermaine"
WORKED_WELL = "Meeting Zebedee's new keyworker"
REVIEW_WORDS = "my son Zebedee was scared of the hand dryers"
DISCLOSURE = "my dad hits me when he is drunk"
RETIRED_WORDS = "Zebedee liked the old sensory tent best"
OTHERS_WORDS = "The Ystradgynlais venue was lovely"
SECRETS = [
    NUMBER,
    NUMBER[1:],
    "7700900555",
    CHAT_ID,
    "Zebedee",
    "Quartermaine",
    "keyworker",
    "hand dryers",
    "drunk",
    "hits me",
    "sensory tent",
]


@pytest.fixture
def services(database_url: str) -> Iterator[Services]:
    settings = Settings(_env_file=None, database_url=database_url)  # type: ignore[call-arg]
    svc = build_services(settings, clock=FrozenClock(NOW))
    yield svc
    svc.close()


def say(services: Services, number: str, replies: list[str], start: int = 0) -> None:
    for i, body in enumerate(replies, start=start):
        services.clock.now = NOW + timedelta(minutes=i)  # type: ignore[attr-defined]
        services.dispatcher.handle(
            services.session_factory,
            InboundMessage("sms", number, body, f"SM-{number}-{i}", services.clock()),
        )


def a_whole_life(services: Services) -> None:
    """A person who did everything: answered in words, was noted and flagged, was invited to an
    event, had their words tagged by an officer, and answered a survey since retired."""
    say(services, NUMBER, ["FEEDBACK", "1", "yes", "4", WORKED_WELL, REVIEW_WORDS, DISCLOSURE])
    say(services, OTHER, ["FEEDBACK", "1", "yes", "5", OTHERS_WORDS], start=10)
    with services.session_factory.begin() as s:
        contact = contacts_repo.find_by_address(s, "sms", NUMBER)[0]  # type: ignore[index]
        contact.set_display_name(NAME, s.info["identifier_cipher"])
        contacts_repo.link_identity(s, contact, "telegram", CHAT_ID, NOW)
        event = events_repo.create(
            s,
            title="the spring workshop",
            kind="workshop",
            starts_at=NOW + timedelta(days=5),
            ends_at=NOW + timedelta(days=5, hours=2),
            flow_id="post_event",
            now=NOW,
        )
        events_repo.add_attendee(
            s, event, contact, role="parent", consent=True, source="import", now=NOW
        )
        followups_repo.plan(s, event, contact.id, NOW)
        theme = Theme(flow_id="post_event", name="staff", created_at=NOW)
        s.add(theme)
        s.flush()
        worked_well = s.scalars(
            select(Answer).where(Answer.contact_id == contact.id, Answer.step_id == "worked_well")
        ).one()
        s.add(Coding(answer_id=worked_well.id, theme_id=theme.id, at=NOW))
        retired = conversations_repo.create(
            s,
            contact_id=contact.id,
            flow_id="retired_survey",
            flow_version=1,
            language="en",
            channel="sms",
            state={},
            status="completed",
            now=NOW - timedelta(days=90),
            wake_at=None,
        )
        answers_repo.record(
            s,
            conversation=retired,
            step_id="thoughts",
            value=RETIRED_WORDS,
            special=None,
            raw_text=RETIRED_WORDS,
            message_id=None,
            now=NOW - timedelta(days=90),
        )


def test_forget_leaves_no_copy_of_their_identifiers_or_words(
    services: Services, database_url: str
) -> None:
    """Failed before: the flags kept the words and quoted excerpts, the retired survey's answer
    kept its words, the officer's tags and the planned requests stayed."""
    a_whole_life(services)
    before = readable_dump(database_url)
    assert all(secret in before for secret in ["Zebedee", "drunk", "sensory tent", "keyworker"])
    with services.session_factory.begin() as s:
        contact = find_person(s, "07700 900555", "GB")
        assert contact is not None
        contact_id = contact.id
        report = forget(s, services.library, contact, delete_answers=False, actor="cli", now=NOW)

    after = readable_dump(database_url)
    for secret in SECRETS:
        assert secret not in after, secret
    assert OTHERS_WORDS in after  # someone else's words are untouched
    assert (report.identities, report.flags) == (2, 2)
    assert report.free_text_answers == 3  # two answers in words, one from the retired survey
    assert report.follow_ups >= 1
    with services.session_factory() as s:
        flags = s.scalars(
            select(SafeguardingFlag).where(SafeguardingFlag.contact_id == contact_id)
        ).all()
        # The safeguarding record stays: what kind, when; only the words are gone.
        assert sorted(f.category for f in flags) == ["abuse_physical", "needs_review"]
        assert {f.text for f in flags} == {FLAG_WORDS_ERASED}
        assert all(f.reasons == [] for f in flags)
        assert s.scalars(select(Message).where(Message.contact_id == contact_id)).all() == []
        assert s.scalars(select(FollowUp).where(FollowUp.contact_id == contact_id)).all() == []
        assert s.scalars(select(Coding)).all() == []
        conversations = s.scalars(
            select(Conversation).where(Conversation.contact_id == contact_id)
        ).all()
        assert all(c.state == {} for c in conversations)
        assert {c.flow_id: c.status for c in conversations} == {
            "post_event": "stopped",  # it was paused by the flag: nothing more will happen
            "retired_survey": "completed",  # what happened stays countable
        }
        answers = {
            a.step_id: (a.value, a.raw_text)
            for a in s.scalars(select(Answer).where(Answer.contact_id == contact_id))
        }
        assert answers["rating"] == (4, None)
        assert answers["thoughts"] == (None, None)
        assert s.get_one(Contact, contact_id).erased_at is not None


def test_forget_with_delete_answers_leaves_no_answers_or_plans(
    services: Services, database_url: str
) -> None:
    a_whole_life(services)
    with services.session_factory.begin() as s:
        contact = find_person(s, CHAT_ID, "GB")
        assert contact is not None
        report = forget(s, services.library, contact, delete_answers=True, actor="cli", now=NOW)
    assert report.answers_deleted == 5
    after = readable_dump(database_url)
    for secret in SECRETS:
        assert secret not in after, secret

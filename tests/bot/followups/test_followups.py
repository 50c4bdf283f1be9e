"""Follow-ups after events: the clock moves, requests and reminders go out once, in allowed hours."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.conversation.inbound import InboundMessage
from storage import contacts as contacts_repo
from storage import events as events_repo
from storage.conversations import state_of
from storage.models import Contact, Conversation, Event, FollowUp
from tests.bot.followups.conftest import EVENT_END, World

ANN, BEN, CAT = "+447700900101", "+447700900102", "+447700900103"
NEXT_DAY_NOON = EVENT_END + timedelta(hours=24)  # 12:00 Sunday, inside the allowed hours


def rows(world: World, contact_id: int | None = None) -> list[FollowUp]:
    with world.services.session_factory() as s:
        query = select(FollowUp).order_by(FollowUp.contact_id, FollowUp.due_at)
        if contact_id is not None:
            query = query.where(FollowUp.contact_id == contact_id)
        return list(s.scalars(query))


def reply(world: World, number: str, text: str) -> None:
    world.services.dispatcher.handle(
        world.services.session_factory,
        InboundMessage(
            "sms", number, text, f"SM{abs(hash((number, text, world.clock.now)))}", world.clock.now
        ),
    )


def test_nothing_goes_out_before_the_plan_says(world: World) -> None:
    event = world.event()
    world.attend(event, ANN)
    report = world.at(NEXT_DAY_NOON - timedelta(minutes=1))
    assert report.sent == 0
    assert world.twilio.messages == []


def test_each_attendee_gets_the_request_once(world: World) -> None:
    event = world.event()
    for number in (ANN, BEN):
        world.attend(event, number)
    assert world.at(NEXT_DAY_NOON).sent == 2
    assert world.at(NEXT_DAY_NOON + timedelta(minutes=5)).sent == 0
    for number in (ANN, BEN):
        [text] = world.texts_to(number)
        assert "Who is answering?" in text  # asked once, before the first question
        assert text.rstrip().endswith("Reply STOP to opt out.")
    with world.services.session_factory() as s:
        conversations = s.scalars(select(Conversation)).all()
        assert {c.event_id for c in conversations} == {event}


def test_quiet_hours_hold_requests_until_morning_in_the_persons_time_zone(world: World) -> None:
    event = world.event(followup_delay=timedelta(hours=11))  # due 23:00
    contact = world.attend(event, ANN)
    late = EVENT_END + timedelta(hours=11)
    report = world.at(late)
    assert (report.sent, report.postponed) == (0, 1)
    [initial] = [r for r in rows(world, contact) if r.kind == "initial"]
    assert initial.reason == "quiet hours"
    assert initial.due_at == datetime(2026, 3, 15, 9, 0, tzinfo=UTC)
    assert world.at(datetime(2026, 3, 15, 8, 59, tzinfo=UTC)).sent == 0
    assert world.at(datetime(2026, 3, 15, 9, 0, tzinfo=UTC)).sent == 1


def test_quiet_hours_follow_british_summer_time(world: World) -> None:
    from bot.followups.quiet_hours import parse_clock, quiet_until

    # 19:30 UTC on 1 July is 20:30 in London: quiet until 09:00 BST, which is 08:00 UTC.
    until = quiet_until(
        datetime(2026, 7, 1, 19, 30, tzinfo=UTC),
        "Europe/London",
        parse_clock("20:00"),
        parse_clock("09:00"),
    )
    assert until == datetime(2026, 7, 2, 8, 0, tzinfo=UTC)
    assert (
        quiet_until(
            datetime(2026, 7, 1, 12, 0, tzinfo=UTC),
            "Europe/London",
            parse_clock("20:00"),
            parse_clock("09:00"),
        )
        is None
    )


def test_reminders_go_only_to_those_who_have_not_finished(world: World) -> None:
    event = world.event()
    ann = world.attend(event, ANN)
    world.attend(event, BEN)
    world.at(NEXT_DAY_NOON)
    for text in ["1", "no", "It clashed with school pick-up"]:
        world.clock.now += timedelta(minutes=2)
        reply(world, ANN, text)
    asyncio_deliver(world)
    report = world.at(NEXT_DAY_NOON + timedelta(hours=48))
    assert report.sent == 1
    assert "A quick reminder" in world.texts_to(BEN)[-1]
    assert "Who is answering?" in world.texts_to(BEN)[-1]
    reminder = next(r for r in rows(world, ann) if r.kind == "reminder_1")
    assert (reminder.status, reminder.reason) == ("skipped", "already completed")


def test_a_reminder_reopens_an_expired_conversation_where_it_stopped(world: World) -> None:
    event = world.event(reminders=(timedelta(days=7),))
    world.attend(event, BEN)
    world.at(NEXT_DAY_NOON)
    for text in ("1", "yes"):
        world.clock.now += timedelta(minutes=1)
        reply(world, BEN, text)
    world.at(NEXT_DAY_NOON + timedelta(days=4))  # post_event expires after 3 days
    with world.services.session_factory() as s:
        assert s.scalars(select(Conversation)).one().status == "expired"
    world.at(NEXT_DAY_NOON + timedelta(days=7))
    last = world.texts_to(BEN)[-1]
    assert "A quick reminder" in last
    assert "Overall, how was the EHCP coffee morning?" in last
    world.clock.now += timedelta(minutes=1)
    reply(world, BEN, "5")
    with world.services.session_factory() as s:
        conversation = s.scalars(select(Conversation)).one()
        assert conversation.status == "active"
        assert state_of(s, conversation)["values"]["rating"] == 5


def test_frequency_cap_postpones_a_third_request_within_seven_days(world: World) -> None:
    first, second = world.event(title="workshop one"), world.event(title="workshop two")
    third = world.event(title="workshop three")
    contact = None
    for event in (first, second, third):
        contact = world.attend(event, ANN)
    for i in range(3):
        world.at(NEXT_DAY_NOON + timedelta(hours=i))
        with world.services.session_factory.begin() as s:  # finish whatever is open
            for c in s.scalars(select(Conversation).where(Conversation.status == "active")):
                c.status = "completed"
                c.wake_at = None
    initials = [r for r in rows(world, contact) if r.kind == "initial"]
    assert sorted(r.status for r in initials) == ["pending", "sent", "sent"]
    waiting = next(r for r in initials if r.status == "pending")
    assert waiting.reason == "frequency cap"
    assert waiting.due_at >= NEXT_DAY_NOON + timedelta(days=7)


def test_someone_in_a_conversation_is_not_interrupted(world: World) -> None:
    first, second = world.event(title="the first panel"), world.event(title="the second panel")
    world.attend(first, ANN)
    world.at(NEXT_DAY_NOON)
    contact = world.attend(second, ANN)
    report = world.at(NEXT_DAY_NOON + timedelta(minutes=10))
    assert report.postponed == 1
    [waiting] = [r for r in rows(world, contact) if r.event_id == second and r.kind == "initial"]
    assert waiting.reason == "waiting for another conversation to end"
    assert len(world.texts_to(ANN)) == 1


def test_opting_out_cancels_everything_planned_with_the_reason(world: World) -> None:
    event = world.event()
    contact = world.attend(event, ANN)
    reply(world, ANN, "STOP")
    report = world.at(NEXT_DAY_NOON)
    assert report.sent == 0
    assert {(r.status, r.reason) for r in rows(world, contact)} == {("cancelled", "opted out")}
    assert all("unsubscribed" in t for t in world.texts_to(ANN))


def test_conversations_expire_quietly_keeping_answers(world: World) -> None:
    event = world.event(reminders=())
    world.attend(event, ANN)
    world.at(NEXT_DAY_NOON)
    for text in ("2", "yes"):
        world.clock.now += timedelta(minutes=1)
        reply(world, ANN, text)
    asyncio_deliver(world)
    sent_before = len(world.twilio.messages)
    world.at(NEXT_DAY_NOON + timedelta(days=3, minutes=2))
    with world.services.session_factory() as s:
        conversation = s.scalars(select(Conversation)).one()
        assert (conversation.status, conversation.answered_by) == ("expired", "with_help")
        assert state_of(s, conversation)["values"] == {"answered_by": "with_help", "attended": True}
    assert len(world.twilio.messages) == sent_before


def test_requests_expire_if_they_could_never_be_sent(world: World) -> None:
    event = world.event()
    contact = world.attend(event, ANN)
    report = world.at(NEXT_DAY_NOON + timedelta(days=20))
    assert report.expired >= 1
    assert {r.status for r in rows(world, contact)} == {"expired"}
    assert world.texts_to(ANN) == []


def test_young_people_are_asked_on_telegram(world: World) -> None:
    event = world.event("young_person_voice", title="the youth forum")
    world.attend(event, "+447700900555", telegram=7001, role="young_person")
    assert world.at(NEXT_DAY_NOON).sent == 1
    sent = world.telegram.wait_for(2)
    assert "Is anyone helping you answer?" in sent[-1].text
    assert world.twilio.messages == []


def test_a_deep_link_start_means_no_second_request(world: World) -> None:
    event = world.event()
    contact = world.attend(event, ANN)
    with world.services.session_factory.begin() as s:
        from storage.models import Contact, Event

        c = s.get_one(Contact, contact)
        identity = contacts_repo.identity_for(s, contact, "sms")
        assert identity is not None
        world.services.dispatcher.start_flow(
            s,
            c,
            identity,
            world.services.library.get("post_event"),
            event_id=s.get_one(Event, event).id,
            now=world.clock(),
        )
    world.at(NEXT_DAY_NOON)
    [initial] = [r for r in rows(world, contact) if r.kind == "initial"]
    assert initial.status == "skipped"
    assert initial.reason.startswith("already started")


def asyncio_deliver(world: World) -> None:
    import asyncio

    asyncio.run(world.services.outbox.deliver_due())


def test_two_requests_due_together_for_one_person_send_one_and_hold_the_other(
    world: World,
) -> None:
    first, second = world.event(title="the first panel"), world.event(title="the second panel")
    world.attend(first, ANN)
    contact = world.attend(second, ANN)
    world.attend(first, BEN)
    report = world.at(NEXT_DAY_NOON)  # all three rows are claimed in one batch
    assert (report.sent, report.postponed) == (2, 1)
    assert len(world.texts_to(ANN)) == 1
    [held] = [r for r in rows(world, contact) if r.status == "pending" and r.kind == "initial"]
    assert held.reason == "waiting for another conversation to end"


def test_one_request_that_fails_does_not_hold_up_the_others(
    world: World, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    event = world.event()
    for number in (ANN, CAT):
        world.attend(event, number)
    ben = world.attend(event, BEN)
    context_for = world.services.dispatcher.context_for

    def broken_for_ben(contact: Contact, extra: Mapping[str, str] | None = None) -> dict[str, str]:
        if contact.id == ben:
            raise RuntimeError("a template this person's details break")
        return context_for(contact, extra)

    monkeypatch.setattr(world.services.dispatcher, "context_for", broken_for_ben)
    report = world.at(NEXT_DAY_NOON)
    assert report.sent == 2
    assert len(world.texts_to(ANN)) == len(world.texts_to(CAT)) == 1
    assert world.texts_to(BEN) == []
    [failed] = [r for r in rows(world, ben) if r.kind == "initial"]
    assert (failed.status, failed.reason) == ("pending", "error: RuntimeError")
    assert failed.due_at > NEXT_DAY_NOON  # tried again later, not in a tight loop
    assert BEN not in caplog.text

    monkeypatch.setattr(world.services.dispatcher, "context_for", context_for)
    world.at(failed.due_at)
    assert len(world.texts_to(BEN)) == 1
    assert len(world.texts_to(ANN)) == 1


def test_a_paused_event_sends_nothing_until_it_is_resumed(world: World) -> None:
    from bot.followups import event_plans
    from storage.models import Event

    event = world.event()
    world.attend(event, ANN)
    with world.services.session_factory.begin() as s:
        assert event_plans.pause(s, s.get_one(Event, event), world.clock())
    assert world.at(NEXT_DAY_NOON).sent == 0
    assert world.at(NEXT_DAY_NOON + timedelta(hours=1)).sent == 0
    assert world.texts_to(ANN) == []
    with world.services.session_factory.begin() as s:
        assert event_plans.resume(s, s.get_one(Event, event), world.clock())
    # What fell due while paused goes on the first pass after resuming, once.
    assert world.at(NEXT_DAY_NOON + timedelta(hours=1, minutes=5)).sent == 1
    assert world.at(NEXT_DAY_NOON + timedelta(hours=1, minutes=10)).sent == 0
    [text] = world.texts_to(ANN)
    assert "Who is answering?" in text  # the flow's start, once


def test_cancelling_an_event_stops_its_requests_and_reminders(world: World) -> None:
    from bot.followups import event_plans
    from storage.models import Event

    event = world.event()
    contact = world.attend(event, ANN)
    assert world.at(NEXT_DAY_NOON).sent == 1
    with world.services.session_factory.begin() as s:
        assert event_plans.cancel(s, s.get_one(Event, event), world.clock()) == 2  # reminders
    assert world.at(NEXT_DAY_NOON + timedelta(days=8)).sent == 0
    assert len(world.texts_to(ANN)) == 1
    assert {r.status for r in rows(world, contact) if r.kind != "initial"} == {"cancelled"}


def test_a_batch_of_requests_files_each_conversation_under_the_area_of_the_persons_last_event(
    world: World,
) -> None:
    """The event asked about names no area, so each family's words go under the area of the
    last event they attended (read for the whole batch at once), or none if they never did."""
    earlier = world.event(title="the north workshop", area="north")
    event = world.event()
    ann = world.attend(event, ANN)
    ben = world.attend(event, BEN)
    with world.services.session_factory.begin() as s:
        contact = s.get_one(Contact, ann)
        events_repo.add_attendee(
            s,
            s.get_one(Event, earlier),
            contact,
            role="parent",
            consent=True,
            source="import",
            now=EVENT_END,
        )
    assert world.at(NEXT_DAY_NOON).sent == 2
    with world.services.session_factory() as s:
        areas = {c: a for c, a in s.execute(select(Conversation.contact_id, Conversation.area))}
    assert areas == {ann: "north", ben: None}

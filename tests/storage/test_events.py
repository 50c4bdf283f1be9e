from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage import contacts, events, followups
from storage.models import Contact, Event, FollowUp

STARTS = datetime(2026, 3, 14, 10, 0, tzinfo=UTC)
ENDS = datetime(2026, 3, 14, 12, 0, tzinfo=UTC)


def _event(session: Session, now: datetime, **kw: Any) -> Event:
    fields: dict[str, Any] = {
        "title": "Preparing for Adulthood workshop",
        "kind": "workshop",
        "starts_at": STARTS,
        "ends_at": ENDS,
        "flow_id": "post_event",
        "now": now,
    }
    return events.create(session, **(fields | kw))


def _person(session: Session, now: datetime, number: int = 123) -> Contact:
    contact, _, _ = contacts.find_or_create(
        session, "sms", f"+447700900{number:03d}", now, role="parent"
    )
    return contact


def _due(session: Session, event: Event) -> dict[str, datetime]:
    return {row.kind: row.due_at for row in followups.for_event(session, event.id)}


def test_create_stores_the_plan_in_seconds_with_the_standard_defaults(
    session: Session, now: datetime
) -> None:
    event = _event(session, now, area="north", location="Town Hall")
    assert event.id is not None
    assert len(event.code) >= 8
    assert (event.followup_delay_s, event.reminder_1_s, event.reminder_2_s) == (
        24 * 3600,
        48 * 3600,
        7 * 24 * 3600,
    )
    assert event.request_expires_s == 14 * 24 * 3600
    assert (event.area, event.location, event.created_at) == ("north", "Town Hall", now)


def test_default_plan_asks_a_day_after_the_end_then_reminds_after_2_and_7_days(
    session: Session, now: datetime
) -> None:
    event = _event(session, now)
    person = _person(session, now)
    assert followups.plan(session, event, person.id, now) == 3
    initial = ENDS + timedelta(hours=24)
    assert _due(session, event) == {
        "initial": initial,
        "reminder_1": initial + timedelta(hours=48),
        "reminder_2": initial + timedelta(days=7),
    }


def test_the_plan_is_configurable_and_reminders_are_kept_earliest_first(
    session: Session, now: datetime
) -> None:
    event = _event(
        session,
        now,
        followup_delay=timedelta(hours=2),
        reminders=(timedelta(days=5), timedelta(days=1)),
        request_expires=timedelta(days=10),
    )
    followups.plan(session, event, _person(session, now).id, now)
    initial = ENDS + timedelta(hours=2)
    assert _due(session, event) == {
        "initial": initial,
        "reminder_1": initial + timedelta(days=1),
        "reminder_2": initial + timedelta(days=5),
    }


def test_an_event_without_reminders_plans_only_the_first_request(
    session: Session, now: datetime
) -> None:
    event = _event(session, now, reminders=())
    followups.plan(session, event, _person(session, now).id, now)
    assert list(_due(session, event)) == ["initial"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"ends_at": STARTS}, "must end after it starts"),
        ({"ends_at": STARTS - timedelta(hours=1)}, "must end after it starts"),
        ({"kind": "party"}, "unknown event kind 'party'"),
        ({"title": "  "}, "needs a title"),
        ({"title": "x" * 201}, "title is longer than 200"),
        ({"reminders": (timedelta(days=1),) * 3}, "at most 2 reminders"),
        ({"reminders": (timedelta(days=2), timedelta(days=2))}, "the same reminder twice"),
        ({"reminders": (timedelta(days=14),)}, "before the request expires"),
        ({"reminders": (timedelta(0),)}, "some time after the first request"),
        ({"followup_delay": timedelta(hours=-1)}, "cannot be negative"),
        ({"starts_at": datetime(2026, 3, 14, 10)}, "timezone-aware"),
    ],
)
def test_create_refuses_a_plan_that_cannot_work(
    session: Session, now: datetime, change: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        _event(session, now, **change)
    assert session.scalar(select(func.count()).select_from(Event)) == 0


def test_events_are_found_by_id_and_code_and_listed_latest_first(
    session: Session, now: datetime
) -> None:
    older = _event(session, now, title="Older")
    later = _event(
        session,
        now,
        title="Later",
        starts_at=STARTS + timedelta(days=7),
        ends_at=ENDS + timedelta(days=7),
    )
    assert events.get(session, older.id) is older
    assert events.by_code(session, later.code) is later
    assert events.get(session, 999) is None
    assert events.by_code(session, "nope") is None
    assert [e.title for e in events.list_all(session)] == ["Later", "Older"]


def test_adding_the_same_attendee_twice_records_them_once(session: Session, now: datetime) -> None:
    event = _event(session, now)
    person = _person(session, now)
    first, created = events.add_attendee(
        session, event, person, role="parent", consent=True, source="import", now=now
    )
    again, created_again = events.add_attendee(
        session, event, person, role="young_person", consent=False, source="deep_link", now=now
    )
    assert (created, created_again) == (True, False)
    assert again.id == first.id
    assert (again.role, again.consent, again.source) == ("parent", True, "import")
    assert [a.contact_id for a in events.attendees(session, event.id)] == [person.id]


def test_bulk_attendance_and_planning_count_only_what_is_new(
    session: Session, now: datetime
) -> None:
    event = _event(session, now)
    people = [_person(session, now, n) for n in range(3)]
    ids = [p.id for p in people]
    events.add_attendee(session, event, people[0], role="parent", consent=True, source="x", now=now)
    followups.plan(session, event, ids[0], now)
    pairs = [(i, "parent") for i in ids]
    assert events.add_attendees(session, event, pairs, consent=True, source="import", now=now) == 2
    assert events.add_attendees(session, event, pairs, consent=True, source="import", now=now) == 0
    assert followups.plan_many(session, event, ids, now) == 6
    assert followups.plan_many(session, event, ids, now) == 0
    # The bulk plan is the same schedule `followups.plan` makes, person by person.
    for row in followups.for_event(session, event.id):
        assert row.due_at == followups.planned_times(event)[row.kind]
        assert (row.flow_id, row.status) == ("post_event", "pending")


def test_counts_give_attendees_and_every_follow_up_status(session: Session, now: datetime) -> None:
    event = _event(session, now)
    other = _event(session, now, title="Other")
    people = [_person(session, now, n) for n in range(2)]
    for person in people:
        events.add_attendee(
            session, event, person, role="parent", consent=True, source="import", now=now
        )
        followups.plan(session, event, person.id, now)
    first, second = followups.for_event(session, event.id)[:2]
    followups.settle(session, first, "skipped", "opted out", now)
    followups.hold(session, second, "held: Telegram cannot send", now)
    assert events.counts(session, event.id) == {
        "attendees": 2,
        "pending": 4,
        "held": 1,
        "sent": 0,
        "skipped": 1,
        "cancelled": 0,
        "expired": 0,
    }
    assert events.counts(session, other.id)["attendees"] == 0
    assert set(events.counts_by_event(session, [event.id, other.id])) == {event.id, other.id}


def test_followup_rows_name_people_by_pseudonym_and_filter_by_status(
    session: Session, now: datetime
) -> None:
    event = _event(session, now)
    person = _person(session, now)
    followups.plan(session, event, person.id, now)
    first = followups.for_event(session, event.id)[0]
    followups.settle(session, first, "skipped", "already answered", now)
    rows = events.followup_rows(session, event.id)
    assert [(r.kind, who) for r, who in rows] == [
        ("initial", person.pseudonym),
        ("reminder_1", person.pseudonym),
        ("reminder_2", person.pseudonym),
    ]
    skipped = events.followup_rows(session, event.id, statuses=["skipped"])
    assert [(r.kind, r.reason) for r, _ in skipped] == [("initial", "already answered")]
    assert len(events.followup_rows(session, event.id, limit=2)) == 2
    assert session.scalar(select(func.count()).select_from(FollowUp)) == 3


def test_event_codes_are_safe_to_print_type_and_pass_on_a_command_line() -> None:
    from storage.models import new_event_code

    codes = {new_event_code() for _ in range(2000)}
    assert len(codes) == 2000
    allowed = set("abcdefghjkmnpqrstuvwxyz23456789")
    assert all(len(c) == 10 and set(c) <= allowed for c in codes)


def test_release_returns_only_rows_held_for_the_given_reasons(
    session: Session, now: datetime
) -> None:
    event = _event(session, now)
    person = _person(session, now)
    followups.plan(session, event, person.id, now)
    first, second, third = followups.for_event(session, event.id)
    followups.hold(session, first, "held: Telegram cannot send", now)
    followups.hold(session, second, "held: SMS cannot send", now)
    later = now + timedelta(hours=1)
    assert followups.release(session, [], later) == 0
    assert followups.release(session, ["held: Telegram cannot send"], later) == 1
    session.expire_all()
    assert [(r.status, r.reason) for r in (first, second, third)] == [
        ("pending", None),
        ("held", "held: SMS cannot send"),
        ("pending", None),
    ]
    assert first.due_at == followups.planned_times(event)["initial"]  # due when it always was
    # Held rows are still to be sent: opting out cancels them with the pending ones.
    assert followups.cancel_open(session, person.id, "opted out", later) == 3


def test_a_paused_events_due_rows_are_not_claimed_until_it_resumes(
    session: Session, now: datetime
) -> None:
    paused, running = _event(session, now), _event(session, now, title="Other")
    person = _person(session, now)
    for event in (paused, running):
        followups.plan(session, event, person.id, now)
    paused.paused_at = now
    session.flush()
    late = ENDS + timedelta(days=30)
    assert {row.event_id for row in followups.claim_due(session, late, limit=10)} == {running.id}
    paused.paused_at = None
    session.flush()
    assert paused.id in {row.event_id for row in followups.claim_due(session, late, limit=10)}


def test_update_says_what_changed_and_retime_moves_only_what_is_still_to_send(
    session: Session, now: datetime
) -> None:
    event = _event(session, now)
    ann, ben = _person(session, now, 1), _person(session, now, 2)
    followups.plan_many(session, event, [ann.id, ben.id], now)
    sent = next(r for r in followups.for_event(session, event.id) if r.contact_id == ann.id)
    followups.settle(session, sent, "sent", "sent", now)
    changed = events.update(
        session,
        event,
        title=event.title,
        kind=event.kind,
        starts_at=STARTS,
        ends_at=ENDS + timedelta(hours=1),
        flow_id=event.flow_id,
        location=None,
        area=None,
        followup_delay=timedelta(hours=24),
        reminders=[timedelta(hours=48)],
        request_expires=timedelta(days=14),
        now=now,
    )
    assert changed == ["ends_at", "reminder_2_s"]
    followups.retime(session, event, now)
    rows = {(r.contact_id, r.kind): r for r in followups.for_event(session, event.id)}
    assert rows[ann.id, "initial"].due_at == ENDS + timedelta(hours=24)  # sent: history
    assert rows[ben.id, "initial"].due_at == ENDS + timedelta(hours=25)
    assert rows[ben.id, "reminder_2"].status == "cancelled"


def test_set_consent_changes_only_the_answers_that_differ(session: Session, now: datetime) -> None:
    event = _event(session, now)
    ann, ben = _person(session, now, 1), _person(session, now, 2)
    events.add_attendees(
        session, event, [(ann.id, "parent"), (ben.id, "parent")], consent=True, source="x", now=now
    )
    assert events.set_consent(session, event.id, [ann.id, ben.id], True) == []
    assert events.set_consent(session, event.id, [ben.id], False) == [ben.id]
    assert {a.contact_id: a.consent for a in events.attendees(session, event.id)} == {
        ann.id: True,
        ben.id: False,
    }

"""The "to read" list in storage: riskiest first, by area, read once, timed for the committee."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from storage import contacts, events, messages, to_read
from storage.models import ChannelIdentity, Contact, ReadItem

DAY = timedelta(days=1)


def _item(
    session: Session,
    now: datetime,
    *,
    number: str,
    words: str,
    score: float,
    role: str = "parent",
    area: str | None = None,
    ago: timedelta = timedelta(0),
) -> ReadItem:
    contact, identity, _ = contacts.find_or_create(session, "sms", number, now, role=role)
    if area is not None:
        event = events.create(
            session,
            title=f"{area} coffee morning",
            kind="coffee_morning",
            starts_at=now - 2 * DAY,
            ends_at=now - 2 * DAY + timedelta(hours=2),
            flow_id="post_event",
            area=area,
            now=now,
        )
        events.add_attendee(
            session, event, contact, role=role, consent=True, source="import", now=now
        )
    message = messages.record_inbound(
        session,
        channel="sms",
        provider_id=f"SM{number}",
        body=words,
        contact_id=contact.id,
        identity_id=identity.id,
        meta={},
        now=now - ago,
    )
    assert message is not None
    item = to_read.record(
        session,
        kind="message",
        contact_id=contact.id,
        conversation_id=None,
        message_id=message.id,
        answer_id=None,
        role=role,
        score=score,
        now=now - ago,
    )
    session.flush()
    return item


def _words(rows: list[to_read.Unread]) -> list[str]:
    return [r.words for r in rows]


def test_riskiest_first_then_oldest_with_young_people_first(
    session: Session, now: datetime
) -> None:
    _item(session, now, number="+447700900001", words="low old", score=0.1, ago=2 * DAY)
    _item(session, now, number="+447700900002", words="high", score=0.8)
    _item(session, now, number="+447700900003", words="low new", score=0.1)
    _item(session, now, number="+447700900004", words="young", score=0.05, role="young_person")
    everyone = {"scope": None, "lead": False}
    young_first = to_read.unread(session, young_first=True, **everyone)  # type: ignore[arg-type]
    assert _words(young_first) == ["young", "high", "low old", "low new"]
    by_risk = to_read.unread(session, young_first=False, **everyone)  # type: ignore[arg-type]
    assert _words(by_risk) == ["high", "low old", "low new", "young"]


def test_an_officer_reads_only_their_areas(session: Session, now: datetime) -> None:
    north = _item(session, now, number="+447700900011", words="north", score=0.2, area="north")
    south = _item(session, now, number="+447700900012", words="south", score=0.9, area="south")
    nowhere = _item(session, now, number="+447700900013", words="nowhere", score=0.5)
    scope = frozenset({"north"})
    mine = to_read.unread(session, scope=scope, lead=False, young_first=True)
    assert _words(mine) == ["north"]
    lead = to_read.unread(session, scope=scope, lead=True, young_first=True)
    assert _words(lead) == ["south", "nowhere", "north"]
    [(area, count)] = [(b.area, b.count) for b in to_read.backlog(session, scope=scope, lead=False)]
    assert (area, count) == ("north", 1)
    # Marking another area's item does nothing; its own is marked once, with who and when.
    ids = [north.id, south.id, nowhere.id]
    assert to_read.mark_read(session, ids, "officer:7", now, scope=scope, lead=False) == [north.id]
    assert to_read.mark_read(session, ids, "officer:7", now, scope=scope, lead=False) == []
    session.expire_all()
    assert (north.read_by, north.read_at) == ("officer:7", now)
    assert south.read_at is None


def test_past_the_deadline_each_item_is_reminded_about_once(
    session: Session, now: datetime
) -> None:
    within = timedelta(hours=72)
    _item(session, now, number="+447700900021", words="old", score=0.1, ago=4 * DAY)
    _item(session, now, number="+447700900022", words="new", score=0.1, ago=DAY)
    assert to_read.overdue_count(session, now, within) == 1
    [due] = to_read.reminders_due(session, now, within)
    due.reminded_at = now
    session.flush()
    assert to_read.reminders_due(session, now, within) == []
    later = now + 3 * DAY
    assert [i.arrived_at for i in to_read.reminders_due(session, later, within)] == [now - DAY]
    assert to_read.overdue_count(session, later, within) == 2


def test_figures_count_what_was_read_and_how_soon(session: Session, now: datetime) -> None:
    within = timedelta(hours=72)
    items = [
        _item(session, now, number=f"+4477009000{30 + n}", words=str(n), score=0, ago=5 * DAY)
        for n in range(4)
    ]
    for item, hours in zip(items, (1, 3, 100), strict=False):
        item.read_at = item.arrived_at + timedelta(hours=hours)
        item.read_by = "officer:1"
    session.flush()
    got = to_read.figures(session, within)
    assert (got.total, got.read, got.unread, got.read_within) == (4, 3, 1, 2)
    assert got.median_hours == 3
    assert got.max_hours == 100
    assert to_read.figures(session, within, kind="answer").total == 0


def test_erasing_the_message_leaves_nothing_to_read(session: Session, now: datetime) -> None:
    item = _item(session, now, number="+447700900041", words="words", score=0.1)
    message_id = item.message_id
    session.execute(select(ReadItem)).all()
    from storage.models import Message

    session.delete(session.get(Message, message_id))
    session.flush()
    session.expire_all()
    assert to_read.unread(session, scope=None, lead=True, young_first=True) == []


ITEMS = st.lists(
    st.tuples(
        st.floats(min_value=0, max_value=1, allow_nan=False),
        st.sampled_from(["young_person", "parent", "unknown"]),
        st.integers(min_value=0, max_value=500),  # hours waiting
    ),
    max_size=12,
)
_sids = itertools.count(1)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(specs=ITEMS, young_first=st.booleans())
def test_the_order_is_always_risk_then_age_with_young_people_first_when_set(
    session: Session,
    parent: tuple[Contact, ChannelIdentity],
    now: datetime,
    specs: list[tuple[float, str, int]],
    young_first: bool,
) -> None:
    contact, identity = parent
    nested = session.begin_nested()
    try:
        made = []
        for score, role, hours in specs:
            at = now - timedelta(hours=hours)
            message = messages.record_inbound(
                session,
                channel="sms",
                provider_id=f"SMp{next(_sids)}",
                body=f"{score} {role} {hours}",
                contact_id=contact.id,
                identity_id=identity.id,
                meta={},
                now=at,
            )
            assert message is not None
            made.append(
                to_read.record(
                    session,
                    kind="message",
                    contact_id=contact.id,
                    conversation_id=None,
                    message_id=message.id,
                    answer_id=None,
                    role=role,
                    score=score,
                    now=at,
                )
            )
        session.flush()
        got = [
            u.item.id
            for u in to_read.unread(session, scope=None, lead=True, young_first=young_first)
        ]
        expected = sorted(
            made,
            key=lambda i: (
                young_first and i.role != "young_person",
                -i.score,
                i.arrived_at,
                i.id,
            ),
        )
        assert got == [i.id for i in expected]
    finally:
        nested.rollback()

"""Sending "you said, we did" back to the people who asked to hear what changed."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage import events as events_repo
from storage import followups
from storage.models import Answer, Contact, Conversation, Event

FLOW_ID = "you_said_we_did"
KIND = "you_said_we_did"
# Which answers mean "yes, tell me what happens next". post_event's stay_in_touch offers news
# (updates), the forum, both, or neither: only news covers hearing back from the council; "forum"
# asked for the parent carer forum to be in touch, which is a different thing. Flows without such
# a question (ehcp_experience, young_person_voice) have nobody who asked, so nobody is sent it.
HEAR_BACK: dict[str, tuple[str, frozenset[str]]] = {
    "post_event": ("stay_in_touch", frozenset({"updates", "both"})),
}


def consenting(session: Session, event_id: int) -> list[int]:
    """Contacts who answered the event's flow asking to hear back and have not opted out since."""
    event = session.get(Event, event_id)
    if event is None or event.flow_id not in HEAR_BACK:
        return []
    step_id, values = HEAR_BACK[event.flow_id]
    rows = session.execute(
        select(Contact.id, Answer.value)
        .join(Conversation, Conversation.contact_id == Contact.id)
        .join(Answer, Answer.conversation_id == Conversation.id)
        .where(
            Conversation.event_id == event_id,
            Answer.step_id == step_id,
            Answer.special.is_(None),
            Contact.opted_out_at.is_(None),
        )
        .order_by(Contact.id)
    ).all()
    return sorted({contact_id for contact_id, value in rows if value in values})


def send(session: Session, source: Event, summary: str, now: dt.datetime) -> tuple[Event, int]:
    """A new event that sends the you_said_we_did flow to those who asked, now; (event, people).

    Built here rather than through `events.create`: this kind is never typed by an officer, and
    the request is due at once (no delay, no reminders: an update should not nag).
    """
    summary = " ".join(summary.split())
    if not summary:
        raise ValueError("say what was done: the message reads 'Here is what we did: ...'")
    contact_ids = consenting(session, source.id)
    event = Event(
        title=source.title,  # the flow's help names the event it follows
        title_cy=source.title_cy,
        kind=KIND,
        starts_at=now,
        ends_at=now,
        location=None,
        area=source.area,
        flow_id=FLOW_ID,
        followup_delay_s=0,
        reminder_1_s=None,
        reminder_2_s=None,
        request_expires_s=14 * 24 * 3600,
        variables={"actions_summary": summary},
        created_at=now,
        updated_at=now,
    )
    session.add(event)
    session.flush()
    roles = dict(
        session.execute(select(Contact.id, Contact.role).where(Contact.id.in_(contact_ids))).all()
    )
    events_repo.add_attendees(
        session,
        event,
        [(cid, roles[cid]) for cid in contact_ids],
        consent=True,
        source="dashboard",
        now=now,
    )
    followups.plan_many(session, event, contact_ids, now)
    return event, len(contact_ids)


def sent_for(session: Session, source: Event) -> list[Event]:
    """Earlier updates for the same event (same title and area), newest first, to warn before a
    second one goes out."""
    same_area = Event.area.is_(None) if source.area is None else Event.area == source.area
    return list(
        session.scalars(
            select(Event)
            .where(Event.kind == KIND, Event.title == source.title, same_area)
            .order_by(Event.created_at.desc(), Event.id.desc())
        )
    )

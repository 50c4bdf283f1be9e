"""Sending "you said, we did" back to the people who asked to hear what changed.

An update is recorded against the event it is about (`YouSaidUpdate`), and its requests are that
event's follow-up rows of kind "update_<id>" with the you_said_we_did flow: no second event is
made, so the events list, the picker and the report show only events that happened."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage import dialect
from storage.dashboard_models import YouSaidUpdate
from storage.models import Answer, Contact, Conversation, Event, FollowUp

FLOW_ID = "you_said_we_did"
# Events of this kind were made by earlier versions to carry an update; none are made now.
KIND = "you_said_we_did"
# An update not sent within this long (quiet hours, a busy conversation) is not sent at all.
EXPIRES = dt.timedelta(days=14)
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
            Conversation.flow_id == event.flow_id,
            Answer.step_id == step_id,
            Answer.special.is_(None),
            Contact.opted_out_at.is_(None),
        )
        .order_by(Contact.id)
    ).all()
    return sorted({contact_id for contact_id, value in rows if value in values})


def kind_of(update: YouSaidUpdate) -> str:
    return f"update_{update.id}"


def send(
    session: Session,
    event: Event,
    summary: str,
    now: dt.datetime,
    *,
    officer_id: int | None = None,
) -> tuple[YouSaidUpdate, int]:
    """Record the update against the event and plan it, due now, for those who asked;
    (update, people). No reminders: an update should not nag."""
    summary = " ".join(summary.split())
    if not summary:
        raise ValueError("say what was done: the message reads 'Here is what we did: ...'")
    contact_ids = consenting(session, event.id)
    update = YouSaidUpdate(
        event_id=event.id,
        summary=summary,
        people=len(contact_ids),
        officer_id=officer_id,
        created_at=now,
    )
    session.add(update)
    session.flush()
    rows = [
        {
            "event_id": event.id,
            "contact_id": contact_id,
            "flow_id": FLOW_ID,
            "kind": kind_of(update),
            "update_id": update.id,
            "due_at": now,
            "status": "pending",
            "created_at": now,
            "updated_at": now,
        }
        for contact_id in contact_ids
    ]
    if rows:
        session.execute(
            dialect.insert(session, FollowUp).on_conflict_do_nothing(
                index_elements=["event_id", "contact_id", "kind"]
            ),
            rows,
        )
    return update, len(contact_ids)


def sent_for(session: Session, event: Event) -> list[tuple[YouSaidUpdate, int]]:
    """Earlier updates about the event, newest first, each with how many have gone out so far:
    to warn before a second one goes to the same people."""
    sent = (
        select(FollowUp.update_id, func.count())
        .where(FollowUp.event_id == event.id, FollowUp.status == "sent")
        .group_by(FollowUp.update_id)
    )
    counts = {update_id: int(n) for update_id, n in session.execute(sent)}
    updates = session.scalars(
        select(YouSaidUpdate)
        .where(YouSaidUpdate.event_id == event.id)
        .order_by(YouSaidUpdate.created_at.desc(), YouSaidUpdate.id.desc())
    )
    return [(u, counts.get(u.id, 0)) for u in updates]


def get_update(session: Session, update_id: int) -> YouSaidUpdate | None:
    return session.get(YouSaidUpdate, update_id)

"""Which area a family's words belong to: one answer for every page that scopes by area.

A conversation's area is fixed when it starts: the area of the event it came from, else of the last
event the person attended (a family that texted a keyword after a north workshop is a north family).
The responses list, transcripts, the to-read list and the safeguarding queue all read it from here,
so an officer who is shown an item can always open its transcript.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Attendee, Conversation, Event


def for_new_conversation(session: Session, contact_id: int, event_id: int | None) -> str | None:
    if event_id is not None:
        area = session.scalar(select(Event.area).where(Event.id == event_id))
        if area:
            return area
    return last_attended(session, contact_id)


def last_attended(session: Session, contact_id: int) -> str | None:
    return session.scalar(
        select(Event.area)
        .join(Attendee, Attendee.event_id == Event.id)
        .where(Attendee.contact_id == contact_id, Event.area.is_not(None))
        .order_by(Event.starts_at.desc(), Event.id.desc())
        .limit(1)
    )


def area_of(session: Session, contact_id: int | None, conversation_id: int | None) -> str | None:
    """The conversation's area when the words belong to one, else the person's last event's; None
    when neither is known (then only leads and all-area officers see them)."""
    if conversation_id is not None:
        return session.scalar(select(Conversation.area).where(Conversation.id == conversation_id))
    if contact_id is None:
        return None
    return last_attended(session, contact_id)

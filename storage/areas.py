"""Which area a family's words belong to: one answer for every page that scopes by area.

A conversation's area is fixed when it starts: the area of the event it came from, else of the last
event the person attended (a family that texted a keyword after a north workshop is a north family).
The responses list, transcripts, the to-read list and the safeguarding queue all read it from here,
so an officer who is shown an item can always open its transcript.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from contextlib import contextmanager

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Attendee, Conversation, Event


def for_new_conversation(session: Session, contact_id: int, event_id: int | None) -> str | None:
    # Without flushing: a batch of follow-ups writes its rows in one flush at its end, and a
    # flush here for every conversation it starts made that one INSERT a row. Nothing pending
    # changes an event's area or who attended.
    with session.no_autoflush:
        known = session.info.get(_KNOWN)
        if event_id is not None:
            event = session.get(Event, event_id)  # already loaded by whoever started it
            if event is not None and event.area:
                return event.area
        if known is not None and contact_id in known:
            return known[contact_id]  # type: ignore[no-any-return]
        return last_attended(session, contact_id)


_KNOWN = "sendvoice.last_areas"


def last_attended_many(session: Session, contact_ids: Collection[int]) -> dict[int, str | None]:
    """`last_attended` for many people in one query (a batch of follow-ups)."""
    found: dict[int, str | None] = dict.fromkeys(contact_ids)
    if not found:
        return found
    rows = session.execute(
        select(Attendee.contact_id, Event.area)
        .join(Attendee, Attendee.event_id == Event.id)
        .where(Attendee.contact_id.in_(list(found)), Event.area.is_not(None))
        .order_by(Attendee.contact_id, Event.starts_at.desc(), Event.id.desc())
    )
    for contact_id, area in rows:
        if found[contact_id] is None:
            found[contact_id] = area
    return found


@contextmanager
def known(session: Session, last_areas: Mapping[int, str | None]) -> Iterator[None]:
    """While the block runs, new conversations of these people take their area from here
    (read beforehand in one query) instead of asking the database one by one."""
    before = session.info.get(_KNOWN)
    session.info[_KNOWN] = last_areas
    try:
        yield
    finally:
        session.info[_KNOWN] = before


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

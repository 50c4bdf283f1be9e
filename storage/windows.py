"""WhatsApp's 24-hour window, per person: when they last wrote, and the messages waiting for it."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import ChannelIdentity, Conversation, Message

WINDOW = timedelta(hours=24)
# Our clock and Meta's differ a little, and a send takes a moment: stop a few minutes early.
MARGIN = timedelta(minutes=5)


def is_open(identity: ChannelIdentity, now: datetime) -> bool:
    last = identity.last_inbound_at
    return last is not None and now < last + WINDOW - MARGIN


def asked_since_last_message(identity: ChannelIdentity, now: datetime) -> bool:
    """A template went to reopen the window within the day, and they have not written since (a
    reminder days later asks again)."""
    asked, last = identity.window_asked_at, identity.last_inbound_at
    return asked is not None and (last is None or asked > last) and now < asked + WINDOW


def note_inbound(identity: ChannelIdentity, now: datetime) -> None:
    if identity.last_inbound_at is None or identity.last_inbound_at < now:
        identity.last_inbound_at = now


def close(identity: ChannelIdentity) -> None:
    """The provider says the window is shut (its clock is the one that counts)."""
    identity.last_inbound_at = None


def release_held(session: Session, identity_id: int, now: datetime) -> int:
    """Everything held for this person goes now, in the order it was queued; what belonged to a
    conversation that has ended meanwhile (expired, stopped) is cancelled, not sent late."""
    held = session.scalars(
        select(Message).where(
            Message.identity_id == identity_id,
            Message.direction == "out",
            Message.status == "held",
        )
    ).all()
    ended = {
        c.id
        for c in session.scalars(
            select(Conversation).where(
                Conversation.id.in_({m.conversation_id for m in held if m.conversation_id}),
                Conversation.status != "active",
            )
        )
    }
    released = 0
    for message in held:
        message.status_updated_at = now
        if message.conversation_id in ended:
            message.status = "cancelled"
            message.error_message = "the conversation ended before they wrote"
            continue
        message.status = "queued"
        message.next_attempt_at = now
        released += 1
    session.flush()
    return released


def held_count(session: Session, identity_id: int) -> int:
    return len(
        session.scalars(
            select(Message.id).where(
                Message.identity_id == identity_id,
                Message.direction == "out",
                Message.status == "held",
            )
        ).all()
    )


def consented_identity(session: Session, contact_id: int, channel: str) -> ChannelIdentity | None:
    """The person's identity on `channel` if they agreed to be messaged there."""
    return session.scalars(
        select(ChannelIdentity)
        .where(
            ChannelIdentity.contact_id == contact_id,
            ChannelIdentity.channel == channel,
            ChannelIdentity.opted_in_at.is_not(None),
        )
        .order_by(ChannelIdentity.id)
        .limit(1)
    ).first()

"""WhatsApp's 24-hour window, per person: when they last wrote, and the messages waiting for it."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from storage.models import ChannelIdentity, Message

WINDOW = timedelta(hours=24)
# Our clock and Meta's differ a little, and a send takes a moment: stop a few minutes early.
MARGIN = timedelta(minutes=5)


def is_open(identity: ChannelIdentity, now: datetime) -> bool:
    last = identity.last_inbound_at
    return last is not None and now < last + WINDOW - MARGIN


def asked_since_last_message(identity: ChannelIdentity) -> bool:
    """A template already went to reopen the window, and they have not written since."""
    asked, last = identity.window_asked_at, identity.last_inbound_at
    return asked is not None and (last is None or asked > last)


def note_inbound(identity: ChannelIdentity, now: datetime) -> None:
    if identity.last_inbound_at is None or identity.last_inbound_at < now:
        identity.last_inbound_at = now


def close(identity: ChannelIdentity) -> None:
    """The provider says the window is shut (its clock is the one that counts)."""
    identity.last_inbound_at = None


def release_held(session: Session, identity_id: int, now: datetime) -> int:
    """Everything held for this person goes now, in the order it was queued."""
    result = session.execute(
        update(Message)
        .where(
            Message.identity_id == identity_id,
            Message.direction == "out",
            Message.status == "held",
        )
        .values(status="queued", next_attempt_at=now, status_updated_at=now)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


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

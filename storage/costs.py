"""What the messages behind a report cost, per channel: SMS by the segment, WhatsApp by the message."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
from sqlalchemy.orm import Session

from storage.models import Conversation, Message
from storage.reporting import Filters, conversations_query

SENT = ("sent", "delivered", "read", "undelivered")  # what a provider took (and charges for)


@dataclass(frozen=True)
class ChannelCost:
    channel: str
    messages: int
    segments: int


def by_channel(session: Session, f: Filters) -> list[ChannelCost]:
    """Outbound messages the provider took for the conversations these filters pick."""
    query = (
        conversations_query(
            f,
            Message.channel,
            func.count(Message.id),
            func.coalesce(func.sum(func.coalesce(Message.segments, 1)), 0),
        )
        .join(Message, Message.conversation_id == Conversation.id)
        .where(Message.direction == "out", Message.status.in_(SENT))
        .group_by(Message.channel)
        .order_by(Message.channel)
    )
    return [ChannelCost(str(c), int(n), int(s)) for c, n, s in session.execute(query)]

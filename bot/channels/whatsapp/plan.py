"""At the moment of sending, what a WhatsApp message can be: free-form inside the person's
24-hour window; outside it, an approved template that asks them to reply (the message waits for
that reply), SMS if they agreed to it, or nothing until they write."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from bot.channels.whatsapp.content import Template, template_for
from bot.config import Settings
from storage import events as events_repo
from storage import windows
from storage.models import ChannelIdentity, Contact, Conversation, Event, Message


class Way(enum.StrEnum):
    FREE = "free"  # inside the window
    TEMPLATE = "template"  # send the template; the message waits for the reply it asks for
    HOLD = "hold"  # a template already asked (or none fits): wait for them to write
    SMS = "sms"  # they agreed to SMS: send it that way instead
    GONE = "gone"  # the row or its person is gone


@dataclass(frozen=True)
class Plan:
    way: Way
    template: Template | None = None
    variables: str = "{}"
    conversation_id: int | None = None


def plan(
    session: Session,
    message_id: int,
    now: datetime,
    settings: Settings,
    templates: Mapping[tuple[str, str, str], Template],
    *,
    window_closed: bool = False,
) -> Plan:
    row = session.get(Message, message_id)
    if row is None or row.identity_id is None:
        return Plan(Way.GONE)
    identity = session.get(ChannelIdentity, row.identity_id)
    if identity is None:
        return Plan(Way.GONE)
    if window_closed:
        windows.close(identity)
    elif windows.is_open(identity, now):
        return Plan(Way.FREE)
    conversation = session.get(Conversation, row.conversation_id) if row.conversation_id else None
    if conversation is not None and conversation.status == "active":
        if windows.asked_since_last_message(identity, now):
            return Plan(Way.HOLD, conversation_id=conversation.id)
        kind = "reminder" if _has_gone_before(session, conversation.id, row.id) else "followup"
        template = template_for(templates, conversation.flow_id, conversation.language, kind)
        if template is not None:
            values = settings.names_in(conversation.language)
            event = session.get(Event, conversation.event_id) if conversation.event_id else None
            values["event_name"] = (
                events_repo.name_in(event, conversation.language) if event is not None else ""
            )
            return Plan(
                Way.TEMPLATE,
                template,
                template.content_variables(values),
                conversation_id=conversation.id,
            )
    if _may_text(session, row.contact_id):
        return Plan(Way.SMS)
    return Plan(Way.HOLD)


def _has_gone_before(session: Session, conversation_id: int, message_id: int) -> bool:
    return bool(
        session.scalar(
            select(
                exists().where(
                    Message.conversation_id == conversation_id,
                    Message.direction == "out",
                    Message.id != message_id,
                    Message.status.in_(("sent", "delivered", "read")),
                )
            )
        )
    )


def _may_text(session: Session, contact_id: int | None) -> bool:
    if contact_id is None:
        return False
    contact = session.get(Contact, contact_id)
    if contact is None or contact.opted_out_at is not None:
        return False
    return windows.consented_identity(session, contact_id, "sms") is not None


def record_template(
    session: Session,
    message_id: int,
    plan_: Plan,
    provider_id: str,
    now: datetime,
) -> None:
    """The template that went, as an outbound message of its own, and the window asked for."""
    row = session.get(Message, message_id)
    if row is None or row.identity_id is None or plan_.template is None:
        return
    identity = session.get(ChannelIdentity, row.identity_id)
    if identity is not None:
        identity.window_asked_at = now
    session.add(
        Message(
            channel=row.channel,
            direction="out",
            identity_id=row.identity_id,
            contact_id=row.contact_id,
            conversation_id=row.conversation_id,
            body=f"[WhatsApp template {plan_.template.sid}]",
            meta={"template": plan_.template.sid, "kinds": ["template"]},
            provider_id=provider_id,
            status="sent",
            attempts=1,
            segments=1,
            created_at=now,
            sent_at=now,
            status_updated_at=now,
        )
    )
    session.flush()

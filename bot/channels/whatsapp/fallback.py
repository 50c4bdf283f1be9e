"""A WhatsApp message that cannot go by WhatsApp goes by SMS, but only to someone who agreed to SMS."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from bot.channels.whatsapp.content import flatten, numbered, plain_commands
from bot.channels.whatsapp.errors import NOT_ON_WHATSAPP
from flows.gsm import count_segments, to_gsm7
from storage import messages as messages_repo
from storage import windows
from storage.models import Contact, Message


def to_sms(session: Session, row: Message, now: datetime) -> bool:
    if row.contact_id is None:
        return False
    contact = session.get(Contact, row.contact_id)
    if contact is None or contact.opted_out_at is not None:
        return False
    identity = windows.consented_identity(session, row.contact_id, "sms")
    if identity is None:
        return False
    code = int(row.error_code) if row.error_code and row.error_code.isdigit() else None
    if code in NOT_ON_WHATSAPP and contact.preferred_channel == "whatsapp":
        # Not a WhatsApp user: their next follow-up goes by text from the start.
        contact.preferred_channel = "sms"
        contact.updated_at = now
    meta = dict(row.meta or {})
    body = to_gsm7(plain_commands(numbered(row.body, flatten(meta.pop("buttons", None) or []))))
    messages_repo.queue_outbound(
        session,
        channel="sms",
        identity_id=identity.id,
        contact_id=row.contact_id,
        conversation_id=row.conversation_id,
        body=body,
        meta={**meta, "fallback_from": row.id},
        segments=count_segments(body).segments,
        now=now,
    )
    return True

"""One inbound message, one transaction: dedupe, contact, keywords, engine, answers, outbox.

Nothing is sent here. Replies are queued in the outbox and delivered after commit, so a crash at any
point leaves either nothing (the provider redelivers) or everything (the outbox delivers).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from bot.channels.base import Style
from bot.clock import Clock, system_clock
from bot.config import Settings
from flows.library import FlowLibrary
from flows.outcome import Prompt
from flows.schema import Flow
from storage import contacts as contacts_repo
from storage import messages as messages_repo
from storage.models import ChannelIdentity, Contact, Conversation, Message


@dataclass(frozen=True)
class InboundMessage:
    """A message as every channel adapter hands it over, whatever the provider's wire format."""

    channel: str
    address: str  # E.164 number, Telegram chat id, console session
    text: str
    provider_id: str  # the provider's id for this delivery: redeliveries carry the same one
    received_at: datetime
    button: tuple[int, str] | None = None  # (prompt seq, option key) from a chat button
    media_count: int = 0
    meta: Mapping[str, Any] = field(default_factory=dict)


@dataclass
class DispatchResult:
    duplicate: bool = False
    contact_id: int | None = None
    conversation: Conversation | None = None
    queued: list[Message] = field(default_factory=list)
    events: list[str] = field(default_factory=list)

    @property
    def conversation_id(self) -> int | None:
        """Known once the conversation is written: at once, or when a batch flushes."""
        return self.conversation.id if self.conversation is not None else None


class Dispatcher:
    def __init__(
        self,
        library: FlowLibrary,
        settings: Settings,
        styles: Mapping[str, Style],
        clock: Clock = system_clock,
    ) -> None:
        self.library = library
        self.settings = settings
        self.styles = dict(styles)
        self.clock = clock

    # -- inbound

    def handle(self, session_factory: sessionmaker[Session], msg: InboundMessage) -> DispatchResult:
        with session_factory.begin() as session:
            return self.handle_in(session, msg)

    def handle_in(self, session: Session, msg: InboundMessage) -> DispatchResult:
        """The whole of `handle` inside a transaction the caller owns."""
        from bot.turn import Turn  # the turn needs the dispatcher's types; import late

        now = self.clock()
        # Locked now: everything this message changes about the person happens one at a time.
        contact, identity, _ = contacts_repo.find_or_create(
            session, msg.channel, msg.address, now, lock=True
        )
        meta: dict[str, Any] = dict(msg.meta)
        if msg.media_count:
            meta["media_count"] = msg.media_count
        if msg.button:
            meta["button"] = list(msg.button)
        inbound = messages_repo.record_inbound(
            session,
            channel=msg.channel,
            provider_id=msg.provider_id,
            body=msg.text,
            contact_id=contact.id,
            identity_id=identity.id,
            meta=meta,
            now=now,
        )
        result = DispatchResult(contact_id=contact.id)
        if inbound is None:
            result.duplicate = True
            return result
        turn = Turn(self, session, contact, identity, now, result, inbound.id)
        turn.run(msg)
        return result

    # -- starting a flow (keywords here; follow-ups and the demo call it too)

    def start_flow(
        self,
        session: Session,
        contact: Contact,
        identity: ChannelIdentity,
        flow: Flow,
        *,
        context: Mapping[str, str] | None = None,
        event_id: int | None = None,
        now: datetime | None = None,
        lead: Sequence[Prompt] = (),
    ) -> DispatchResult:
        """Start `flow` for a contact who has no active conversation; the caller holds the lock."""
        from bot.turn import Turn

        now = now or self.clock()
        result = DispatchResult(contact_id=contact.id)
        turn = Turn(self, session, contact, identity, now, result, None)
        turn.start(flow, context or {}, event_id, list(lead))
        return result

    def context_for(
        self, contact: Contact, extra: Mapping[str, str] | None = None
    ) -> dict[str, str]:
        values = {
            "council_name": self.settings.council_name,
            "service_name": self.settings.service_name,
            "contact_details": self.settings.contact_details,
        }
        if contact.display_name:
            values["first_name"] = contact.display_name.split()[0]
        values.update(extra or {})
        return values

"""One inbound message, one transaction: dedupe, contact, keywords, engine, answers, outbox.

Nothing is sent here. Replies are queued in the outbox and delivered after commit, so a crash at any
point leaves either nothing (the provider redelivers) or everything (the outbox delivers).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from bot.channels.base import Style
from bot.clock import Clock, system_clock
from bot.config import Settings
from bot.keywords import Keyword, keyword
from bot.replies import privacy_notice, reply
from flows import engine
from flows.library import FlowLibrary
from flows.outcome import Event, Outcome, Prompt, PromptKind, Reply, Status
from flows.render import render
from flows.schema import Flow
from storage import answers as answers_repo
from storage import contacts as contacts_repo
from storage import conversations as conversations_repo
from storage import messages as messages_repo
from storage.models import ChannelIdentity, Contact, Conversation

log = logging.getLogger(__name__)


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
    conversation_id: int | None = None
    queued: list[int] = field(default_factory=list)
    events: list[str] = field(default_factory=list)


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
        now = self.clock()
        contact, identity, _ = contacts_repo.find_or_create(session, msg.channel, msg.address, now)
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
        contact = contacts_repo.lock(session, contact.id)
        turn = _Turn(self, session, contact, identity, now, result, inbound.id)
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
        now = now or self.clock()
        result = DispatchResult(contact_id=contact.id)
        turn = _Turn(self, session, contact, identity, now, result, None)
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


class _Turn:
    """Everything one inbound message (or one flow start) changes, inside one transaction."""

    def __init__(
        self,
        dispatcher: Dispatcher,
        session: Session,
        contact: Contact,
        identity: ChannelIdentity,
        now: datetime,
        result: DispatchResult,
        inbound_id: int | None,
    ) -> None:
        self.d = dispatcher
        self.session = session
        self.contact = contact
        self.identity = identity
        self.now = now
        self.result = result
        self.inbound_id = inbound_id

    @property
    def lang(self) -> str:
        return self.contact.preferred_language or self.d.settings.default_language

    def say(self, key: str, **extra: str) -> Prompt:
        return Prompt(
            kind=PromptKind.INFO,
            text=reply(self.d.settings, self.lang, key, **extra),
            language=self.lang,
        )

    def run(self, msg: InboundMessage) -> None:
        word = None if msg.button else keyword(msg.text)
        if word is Keyword.STOP:
            self.opt_out()
            return
        if word is Keyword.START and self.contact.opted_out_at is not None:
            contacts_repo.opt_in(self.session, self.contact, self.now)
            self.result.events.append("opted_in")
            self.queue([self.say("opted_in")], None)
            return
        if self.contact.opted_out_at is not None:
            return  # stored, never answered: they asked us to stop
        lead = [self.say("media")] if msg.media_count else []
        conversation = conversations_repo.active_for(self.session, self.contact.id)
        if conversation is not None:
            flow = self.flow_of(conversation)
            if flow is not None:
                if word is Keyword.HELP:
                    lead.append(self.say("help"))
                reply_ = Reply.button(*msg.button) if msg.button else Reply(msg.text)
                if msg.media_count and not msg.text.strip():
                    reply_ = Reply("repeat")
                outcome = engine.step(flow, conversation.state, reply_, self.now)
                if outcome.status is not Status.EXPIRED or outcome.prompts:
                    self.apply(conversation, outcome, lead, first=False)
                    return
                self.apply(conversation, outcome, [], first=False)
            else:
                self.close_orphan(conversation)
        if word is Keyword.HELP:
            self.queue([*lead, self.say("help")], None)
            return
        flow = self.d.library.by_keyword(msg.text) if word is None and not msg.button else None
        if flow is not None:
            self.start(flow, self.d.context_for(self.contact), None, lead)
            return
        hint = ""
        if self.d.library.by_keyword(self.d.settings.fallback_keyword) is not None:
            hint = reply(
                self.d.settings,
                self.lang,
                "keywords",
                keyword=self.d.settings.fallback_keyword.upper(),
            )
        self.queue([*lead, self.say("fallback", keywords=hint + " " if hint else "")], None)

    def flow_of(self, conversation: Conversation) -> Flow | None:
        if conversation.flow_id in self.d.library:
            return self.d.library.get(conversation.flow_id)
        return None

    def close_orphan(self, conversation: Conversation) -> None:
        # The flow was removed from the library: keep what was answered, end the conversation.
        log.warning(
            "conversation %s uses missing flow %s; closing it",
            conversation.id,
            conversation.flow_id,
        )
        self.end(conversation, "completed")

    def end(self, conversation: Conversation, status: str) -> None:
        """End a conversation outside the engine; its answers so far are kept."""
        conversations_repo.update(
            self.session,
            conversation,
            state=conversation.state,
            status=status,
            now=self.now,
            wake_at=None,
        )

    def opt_out(self) -> None:
        conversation = conversations_repo.active_for(self.session, self.contact.id)
        if conversation is not None:
            self.end(conversation, "stopped")
        already = self.contact.opted_out_at is not None
        contacts_repo.opt_out(self.session, self.contact, self.identity.channel, self.now)
        self.result.events.append("opted_out")
        if not already:
            self.queue([self.say("opted_out")], None, confirmation=True)

    def start(
        self, flow: Flow, context: Mapping[str, str], event_id: int | None, lead: list[Prompt]
    ) -> None:
        outcome = engine.start(flow, context, self.now, self.lang)
        conversation = conversations_repo.create(
            self.session,
            contact_id=self.contact.id,
            flow_id=flow.id,
            flow_version=flow.version,
            language=outcome.state["language"],
            channel=self.identity.channel,
            state=outcome.state,
            status=outcome.status.value,
            now=self.now,
            wake_at=outcome.wake_at,
            event_id=event_id,
        )
        self.result.events.append("started")
        self.apply(conversation, outcome, lead, first=True, created=True)

    def apply(
        self,
        conversation: Conversation,
        outcome: Outcome,
        lead: list[Prompt],
        *,
        first: bool,
        created: bool = False,
    ) -> None:
        self.result.conversation_id = conversation.id
        self.result.events += [e.value for e in outcome.events]
        if not created:
            conversations_repo.update(
                self.session,
                conversation,
                state=outcome.state,
                status=outcome.status.value,
                now=self.now,
                wake_at=outcome.wake_at,
            )
        if outcome.retracted:
            answers_repo.retract(self.session, conversation.id, outcome.retracted)
        for answer in outcome.answers:
            answers_repo.record(
                self.session,
                conversation=conversation,
                step_id=answer.step_id,
                value=answer.value,
                special=answer.special.value if answer.special else None,
                raw_text=answer.raw,
                message_id=self.inbound_id,
                now=self.now,
            )
        if Event.OPTED_OUT in outcome.events:
            self.opt_out()
            return
        self.queue([*lead, *outcome.prompts], conversation, first=first)

    def queue(
        self,
        prompts: list[Prompt],
        conversation: Conversation | None,
        *,
        first: bool = False,
        confirmation: bool = False,
    ) -> None:
        if not prompts:
            return
        style = self.d.styles.get(self.identity.channel, "sms")
        if self.contact.notice_sent_at is None and not confirmation:
            notice = Prompt(
                kind=PromptKind.INFO,
                text=privacy_notice(self.d.settings, self.lang),
                language=self.lang,
            )
            prompts = [notice, *prompts]
            self.contact.notice_sent_at = self.now
        for rendered in render(style, prompts, opt_out_notice=first):
            meta: dict[str, Any] = {"kinds": sorted({p.kind.value for p in prompts})}
            if rendered.buttons:
                meta["buttons"] = [
                    [{"text": b.text, "data": b.data} for b in row] for row in rendered.buttons
                ]
            if confirmation:
                meta["opt_out_confirmation"] = True
            message = messages_repo.queue_outbound(
                self.session,
                channel=self.identity.channel,
                identity_id=self.identity.id,
                contact_id=self.contact.id,
                conversation_id=conversation.id if conversation else None,
                body=rendered.body,
                meta=meta,
                segments=rendered.segments,
                now=self.now,
            )
            self.result.queued.append(message.id)

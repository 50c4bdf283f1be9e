"""One inbound message, one transaction: read, decide, write.

1. Read: the person (locked, so their messages are handled one at a time), the message itself
   (a redelivery stops here), and their open conversation.
2. Decide, with the pure parts only: keywords, the safeguarding finding, the engine's step.
3. Write the decision: conversations, answers, flags, and replies queued in the outbox.

Nothing is sent here. Replies are delivered after commit, so a crash at any point leaves either
nothing (the provider redelivers) or everything (the outbox delivers).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from bot.channels.base import Style
from bot.clock import Clock, system_clock
from bot.config import Settings
from bot.conversation import disclosure, joining, unread
from bot.conversation.context import ConversationContext
from bot.conversation.decide import Action, Decision, Seen, decide
from bot.conversation.inbound import InboundMessage
from bot.conversation.turn import DispatchResult, Turn
from bot.versions.live import refresh
from flows.library import FlowLibrary
from flows.outcome import Prompt
from flows.schema import Flow
from storage import contacts as contacts_repo
from storage import conversations as conversations_repo
from storage import messages as messages_repo
from storage.models import ChannelIdentity, Contact


class Dispatcher:
    def __init__(
        self,
        library: FlowLibrary,
        settings: Settings,
        styles: Mapping[str, Style],
        clock: Clock = system_clock,
        *,
        age_checked: frozenset[str] | None = None,
    ) -> None:
        self.ctx = ConversationContext(library, settings, dict(styles))
        if age_checked is not None:
            self.ctx = ConversationContext(library, settings, dict(styles), age_checked)
        self.clock = clock

    @property
    def library(self) -> FlowLibrary:
        return self.ctx.library

    @property
    def settings(self) -> Settings:
        return self.ctx.settings

    def handle(self, session_factory: sessionmaker[Session], msg: InboundMessage) -> DispatchResult:
        with session_factory.begin() as session:
            return self.handle_in(session, msg)

    def handle_in(self, session: Session, msg: InboundMessage) -> DispatchResult:
        """The whole of `handle` inside a transaction the caller owns."""
        now = self.clock()
        refresh(self.ctx.library, session)
        contact, identity, created = contacts_repo.find_or_create(
            session, msg.channel, msg.address, now, lock=True
        )
        # Read under the person's lock, before the message is stored, so the message is written
        # with the conversation it answers (one statement, not an insert and an update).
        conversation = None if created else conversations_repo.active_for(session, contact.id)
        inbound = messages_repo.record_inbound(
            session,
            channel=msg.channel,
            provider_id=msg.provider_id,
            body=msg.text,
            contact_id=contact.id,
            identity_id=identity.id,
            meta=_inbound_meta(msg),
            now=now,
            conversation_id=conversation.id if conversation is not None else None,
        )
        result = DispatchResult(contact_id=contact.id)
        if inbound is None:
            result.duplicate = True
            return result
        turn = Turn(self.ctx, session, contact, identity, now, result, inbound.id)
        turn.seen_open(conversation)
        seen = Seen(
            channel=identity.channel,
            opted_out=contact.opted_out_at is not None,
            age_band=contact.age_band,
            state=turn.state_of(conversation) if conversation is not None else None,
            flow=self.ctx.flow_of(conversation) if conversation is not None else None,
            personal=turn.personal,
            age_checked=identity.channel in self.ctx.age_checked,
        )
        decision = decide(
            msg,
            seen,
            library=self.ctx.library,
            min_age=self.ctx.settings.telegram_min_age,
            now=now,
            threshold=self.ctx.settings.safeguarding_threshold,
            review_threshold=self.ctx.settings.safeguarding_review_threshold,
        )
        _write(turn, msg, decision)
        # The words belong with the conversation they answered, or the one they started: the
        # last one this turn wrote to, else the one open when they arrived.
        messages_repo.belongs_to(inbound, result.conversation or conversation)
        return result

    # -- starting a flow (follow-ups and the demo)

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
        turn = Turn(self.ctx, session, contact, identity, now, result, None)
        turn.seen_open(None)
        turn.start(flow, context or {}, event_id, list(lead))
        return result

    def context_for(
        self, contact: Contact, extra: Mapping[str, str] | None = None
    ) -> dict[str, str]:
        return self.ctx.variables_for(contact, extra)


def _inbound_meta(msg: InboundMessage) -> dict[str, Any]:
    meta: dict[str, Any] = dict(msg.meta)
    if msg.media_count:
        meta["media_count"] = msg.media_count
    if msg.button:
        meta["button"] = list(msg.button)
    return meta


def _write(turn: Turn, msg: InboundMessage, decision: Decision) -> None:
    """Carry out a decision: the only place a reply's writes are chosen."""
    if decision.action is Action.FLAG:
        assert decision.assessment is not None
        disclosure.raise_flag(turn, decision.assessment, msg.text)
        return
    if decision.for_review:
        assert decision.assessment is not None
        disclosure.note_for_review(turn, decision.assessment, msg.text)
    if decision.opt_in:
        contacts_repo.opt_in(turn.session, turn.contact, turn.now)
        turn.result.events.append("opted_in")
    conversation = turn.open_conversation()
    if conversation is not None and decision.orphan:
        turn.close_orphan(conversation)
    elif conversation is not None and decision.close is not None:
        turn.apply(conversation, decision.close, [], first=False)
    lead = [turn.say("media")] if decision.media else []
    match decision.action:
        case Action.OPT_OUT:
            turn.opt_out()
        case Action.OPTED_IN:
            turn.queue([turn.say("opted_in")], None)
        case Action.IGNORE:
            pass  # stored, never answered: they asked us to stop
        case Action.AGE_GATE:
            joining.age_gate(turn, msg)
        case Action.LANGUAGE:
            joining.change_language(turn, msg.meta.get("language"))
        case Action.START_COMMAND:
            joining.start_command(turn, msg.meta.get("payload"), welcome_back=decision.opt_in)
        case Action.CONTINUE:
            assert conversation is not None
            assert decision.outcome is not None
            turn.apply(conversation, decision.outcome, lead, first=False)
        case Action.HELP:
            turn.queue([*lead, turn.say("help")], None)
        case Action.PRIVACY:
            turn.privacy(lead)
        case Action.START_FLOW:
            assert decision.flow is not None
            turn.start(decision.flow, turn.ctx.variables_for(turn.contact), None, lead)
        case Action.FALLBACK:
            turn.fallback(lead)
    unread.note(turn, msg, decision)

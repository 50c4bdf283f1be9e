"""The writing half of a turn: what one inbound message (or one flow start) changes, in one transaction.

`decide` has already chosen what to do; a Turn stores it: conversations, answers, the person's
opt-out and notice, and the messages queued for the outbox (never sent here).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from bot.conversation.context import ConversationContext, PersonalValues
from bot.conversation.replies import full_privacy_notice, privacy_notice, reply
from flows import engine, who_answered
from flows.outcome import Event, Outcome, Prompt, PromptKind
from flows.render import ChatButton, Rendered, render
from flows.schema import Flow, StepType
from storage import answers as answers_repo
from storage import contacts as contacts_repo
from storage import conversations as conversations_repo
from storage import messages as messages_repo
from storage.models import Answer, ChannelIdentity, Contact, Conversation, Message

log = logging.getLogger(__name__)


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


class Turn:
    """Everything one inbound message (or one flow start) changes, inside one transaction."""

    def __init__(
        self,
        ctx: ConversationContext,
        session: Session,
        contact: Contact,
        identity: ChannelIdentity,
        now: datetime,
        result: DispatchResult,
        inbound_id: int | None,
    ) -> None:
        self.ctx = ctx
        self.session = session
        self.contact = contact
        self.identity = identity
        self.now = now
        self.result = result
        self.inbound_id = inbound_id
        self._open: Conversation | None = None
        self._open_read = False
        # Free-text answers this message gave: each waits to be read by a person.
        self.text_answers: list[tuple[Conversation, Answer]] = []
        # Read from the encrypted column only if a text names it; never part of a stored state.
        self.personal = PersonalValues(contact)
        # The notice goes in the language of the flow being started, if it lacks theirs.
        self._notice_language: str | None = None

    def open_conversation(self) -> Conversation | None:
        """The person's active conversation, read once a turn and kept current as the turn writes."""
        if not self._open_read:
            self.seen_open(conversations_repo.active_for(self.session, self.contact.id))
        return self._open

    def state_of(self, conversation: Conversation) -> dict[str, Any]:
        return conversations_repo.state_of(self.session, conversation)

    def seen_open(self, conversation: Conversation | None) -> None:
        self._open, self._open_read = conversation, True

    @property
    def lang(self) -> str:
        return self.contact.preferred_language or self.ctx.settings.default_language

    def say(self, key: str, **extra: str) -> Prompt:
        return Prompt(
            kind=PromptKind.INFO,
            text=reply(self.ctx.settings, self.lang, key, **extra),
            language=self.lang,
        )

    def fallback(self, lead: list[Prompt]) -> None:
        hint = ""
        if self.ctx.library.by_keyword(self.ctx.settings.fallback_keyword) is not None:
            hint = reply(
                self.ctx.settings,
                self.lang,
                "keywords",
                keyword=self.ctx.settings.fallback_keyword.upper(),
            )
        self.queue([*lead, self.say("fallback", keywords=hint + " " if hint else "")], None)

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
        if conversation is self._open:
            self._open = None

    def opt_out(self) -> None:
        conversation = self.open_conversation()
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
        outcome = engine.start(flow, context, self.now, self.lang, personal=self.personal)
        language = outcome.state["language"]
        if language != self.lang:
            # Said in their language, first; the notice and the questions follow in the flow's.
            lead = [self.say("language_unavailable_first"), *lead]
        self._notice_language = language
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
        self.seen_open(conversation)
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
        self.result.conversation = conversation
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
            if conversation is self._open and conversation.status != "active":
                self._open = None
        if outcome.answered_by is not None:
            conversations_repo.set_answered_by(conversation, outcome.answered_by)
        elif who_answered.STEP_ID in outcome.retracted:
            conversations_repo.set_answered_by(conversation, None)
        if outcome.retracted:
            answers_repo.retract(self.session, conversation.id, outcome.retracted)
        flow = self.ctx.flow_of(conversation) if outcome.answers else None
        for answer in outcome.answers:
            stored = answers_repo.record(
                self.session,
                conversation=conversation,
                step_id=answer.step_id,
                value=answer.value,
                special=answer.special.value if answer.special else None,
                raw_text=answer.raw,
                message_id=self.inbound_id,
                now=self.now,
            )
            if (
                self.inbound_id is not None
                and answer.special is None
                and answer.raw is not None
                and flow is not None
                and flow.has_step(answer.step_id)
                and flow.step(answer.step_id).type is StepType.TEXT
            ):
                self.text_answers.append((conversation, stored))
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
        noticed = False
        if not confirmation:
            before = len(prompts)
            prompts = self.with_notice(prompts)
            noticed = len(prompts) > before
        style = self.ctx.style(self.identity.channel)
        kinds = sorted({p.kind.value for p in prompts})
        # By SMS the notice is followed by how to stop; so is the first text of every flow.
        rendered = render(style, prompts, opt_out_notice=first or noticed)
        self.queue_rendered(rendered, conversation, kinds=kinds, confirmation=confirmation)

    def privacy(self, lead: list[Prompt]) -> None:
        """PRIVACY: the full notice. It says all the short one would, so that one is not sent."""
        self.notice_given()
        text = full_privacy_notice(self.ctx.settings, self.lang)
        self.queue([*lead, Prompt(kind=PromptKind.INFO, text=text, language=self.lang)], None)

    def notice_given(self) -> None:
        self.contact.notice_sent_at = self.now
        # What we rely on to hold their data, and how they came to us, recorded per person.
        self.contact.lawful_basis = self.contact.lawful_basis or self.ctx.settings.lawful_basis
        self.contact.consent_source = (
            self.contact.consent_source or f"{self.identity.channel}_first_contact"
        )

    def with_notice(self, prompts: list[Prompt]) -> list[Prompt]:
        """Before anything else, once per person on any channel: who we are, why, and where the
        full notice is (chat: and how to stop; by SMS the renderer adds that line)."""
        if self.contact.notice_sent_at is not None:
            return prompts
        self.notice_given()
        language = self._notice_language or self.lang
        style = self.ctx.style(self.identity.channel)
        notice = Prompt(
            kind=PromptKind.INFO,
            text=privacy_notice(self.ctx.settings, language, style),
            language=language,
        )
        # A line in the person's own language ("only in English") stays first.
        lead = [p for p in prompts[:1] if p.language != language]
        return [*lead, notice, *prompts[len(lead) :]]

    def queue_rendered(
        self,
        rendered: list[Rendered],
        conversation: Conversation | None,
        *,
        kinds: list[str],
        confirmation: bool = False,
    ) -> None:
        for item in rendered:
            meta: dict[str, Any] = {"kinds": kinds}
            if item.buttons:
                meta["buttons"] = [
                    [{"text": b.text, "data": b.data} for b in row] for row in item.buttons
                ]
            if confirmation:
                meta["opt_out_confirmation"] = True
            message = messages_repo.queue_outbound(
                self.session,
                channel=self.identity.channel,
                identity_id=self.identity.id,
                contact_id=self.contact.id,
                conversation=conversation,
                body=item.body,
                meta=meta,
                segments=item.segments,
                now=self.now,
            )
            self.result.queued.append(message)

    def queue_raw(self, text: str, buttons: list[list[tuple[str, str]]]) -> None:
        """A chat message with buttons that are not answers to a question (age, language)."""
        notice = self.with_notice([])
        if notice:
            self.queue_rendered([Rendered(body=notice[0].text)], None, kinds=["info"])
        rows = tuple(tuple(ChatButton(label, data) for label, data in row) for row in buttons)
        self.queue_rendered([Rendered(body=text, buttons=rows)], None, kinds=["info"])

"""One turn: everything one inbound message (or one flow start) changes, inside one transaction."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from bot import joining, safeguarding
from bot.keywords import Keyword, keyword
from bot.replies import privacy_notice, reply
from flows import engine
from flows.outcome import Event, Outcome, Prompt, PromptKind, Reply, Status
from flows.render import ChatButton, Rendered, render
from flows.schema import Flow
from storage import answers as answers_repo
from storage import contacts as contacts_repo
from storage import conversations as conversations_repo
from storage import messages as messages_repo
from storage.models import ChannelIdentity, Contact, Conversation

if TYPE_CHECKING:
    from bot.dispatch import Dispatcher, DispatchResult, InboundMessage

log = logging.getLogger(__name__)

# Set by chat adapters for commands and non-answer buttons; such messages are never keywords.
CHAT_ACTIONS = ("command", "age_band", "language")


class Turn:
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
        command = msg.meta.get("command")
        chat_action = any(key in msg.meta for key in CHAT_ACTIONS)
        if not msg.button and not chat_action and safeguarding.raise_flag(self, msg.text):
            return
        word = None if msg.button or chat_action else keyword(msg.text)
        if command in ("stop", "help"):
            word = Keyword(command)
        if word is Keyword.STOP:
            self.opt_out()
            return
        opted_back_in = False
        if self.contact.opted_out_at is not None and (word is Keyword.START or command == "start"):
            contacts_repo.opt_in(self.session, self.contact, self.now)
            self.result.events.append("opted_in")
            opted_back_in = True
            if command != "start":
                self.queue([self.say("opted_in")], None)
                return
        if self.contact.opted_out_at is not None:
            return  # stored, never answered: they asked us to stop
        if joining.age_gate(self, msg):
            return
        if "language" in msg.meta or command == "language":
            joining.change_language(self, msg.meta.get("language"))
            return
        if command == "start":
            joining.start_command(self, msg.meta.get("payload"), welcome_back=opted_back_in)
            return
        lead = [self.say("media")] if msg.media_count else []
        conversation = conversations_repo.active_for(self.session, self.contact.id)
        if conversation is not None and self.continue_conversation(conversation, msg, word, lead):
            return
        if word is Keyword.HELP:
            self.queue([*lead, self.say("help")], None)
            return
        flow = self.d.library.by_keyword(msg.text) if word is None and not msg.button else None
        if flow is not None:
            self.start(flow, self.d.context_for(self.contact), None, lead)
            return
        self.fallback(lead)

    def continue_conversation(
        self,
        conversation: Conversation,
        msg: InboundMessage,
        word: Keyword | None,
        lead: list[Prompt],
    ) -> bool:
        """Feed the reply to the engine; False if the conversation turned out to be over."""
        flow = self.flow_of(conversation)
        if flow is None:
            self.close_orphan(conversation)
            return False
        if word is Keyword.HELP:
            lead.append(self.say("help"))
        reply_ = Reply.button(*msg.button) if msg.button else Reply(msg.text)
        if msg.media_count and not msg.text.strip():
            reply_ = Reply("repeat")
        outcome = engine.step(flow, conversation.state, reply_, self.now)
        if outcome.status is Status.EXPIRED and not outcome.prompts:
            # It ran out of time before the scheduler noticed: close it, then treat the message
            # as if no conversation were open.
            self.apply(conversation, outcome, [], first=False)
            return False
        self.apply(conversation, outcome, lead, first=False)
        return True

    def fallback(self, lead: list[Prompt]) -> None:
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
        if not confirmation:
            prompts = self.with_notice(prompts)
        style = self.d.styles.get(self.identity.channel, "sms")
        kinds = sorted({p.kind.value for p in prompts})
        rendered = render(style, prompts, opt_out_notice=first)
        self.queue_rendered(rendered, conversation, kinds=kinds, confirmation=confirmation)

    def with_notice(self, prompts: list[Prompt]) -> list[Prompt]:
        """Before anything else, once per person on any channel: who we are, what we keep, how to stop."""
        if self.contact.notice_sent_at is not None:
            return prompts
        self.contact.notice_sent_at = self.now
        # What we rely on to hold their data, and how they came to us, recorded per person.
        self.contact.lawful_basis = self.contact.lawful_basis or self.d.settings.lawful_basis
        self.contact.consent_source = (
            self.contact.consent_source or f"{self.identity.channel}_first_contact"
        )
        notice = Prompt(
            kind=PromptKind.INFO,
            text=privacy_notice(self.d.settings, self.lang),
            language=self.lang,
        )
        return [notice, *prompts]

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

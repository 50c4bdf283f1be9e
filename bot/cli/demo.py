"""`sendvoice demo`: a whole conversation in the terminal, through the same dispatch path as SMS.

By SMS the flow starts as a follow-up would; in chat style it starts as Telegram does: from a
poster's link, with the privacy notice for chat and the age question first.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable, Mapping
from datetime import timedelta
from typing import Any, TextIO

from sqlalchemy import make_url
from sqlalchemy.orm import Session, sessionmaker

from bot.channels.base import Style
from bot.channels.console import CHANNEL, ConsoleSender
from bot.clock import system_clock
from bot.config import Settings
from bot.conversation import disclosure
from bot.conversation.dispatch import Dispatcher
from bot.conversation.inbound import InboundMessage
from bot.delivery.outbox import Outbox
from bot.privacy.keys import demo_cipher, demo_keys
from bot.reports.questions import answer_label
from flows.library import FlowLibrary
from flows.schema import Audience, Flow
from storage import answers as answers_repo
from storage import contacts as contacts_repo
from storage import events as events_repo
from storage.db import make_engine, make_session_factory
from storage.migrate import ensure_schema
from storage.models import Contact, Conversation, Event

DEMO_EVENT = "the Preparing for Adulthood workshop"
PROMPT = "> "
ACTIONS_SUMMARY = "we added an evening session, and we now send the agenda a week before"
LANGUAGE_NAMES = {"en": "English", "cy": "Welsh"}


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


async def run_demo(
    library: FlowLibrary,
    settings: Settings,
    *,
    flow_id: str,
    language: str,
    style: Style,
    stdin: TextIO,
    write: Callable[[str], None],
    name: str | None,
    event_name: str,
    echo: bool,
    interactive: bool = False,
) -> int:
    flow = library.get(flow_id)
    if language not in flow.languages:
        names = " and ".join(LANGUAGE_NAMES.get(lang, lang) for lang in flow.languages)
        write(
            f"({flow.id} is written in {names} only: a {LANGUAGE_NAMES.get(language, language)} "
            f"reader is told so, then gets the questions in {names}.)\n"
        )
    url = settings.database_url
    # Upgrading may encrypt what an earlier version stored: with the demo's own key too.
    await asyncio.to_thread(ensure_schema, url, demo_keys(settings))
    engine = make_engine(url)
    try:
        cipher = demo_cipher(settings)
        session_factory = make_session_factory(engine, cipher)
        # In chat style the console stands in for Telegram, whose terms need the age asked first.
        checked = frozenset({CHANNEL}) if style == "chat" else frozenset()
        dispatcher = Dispatcher(library, settings, {CHANNEL: style}, age_checked=checked)
        sender = ConsoleSender(style, write)
        outbox = Outbox(session_factory, {CHANNEL: sender}, settings)
        address = f"demo-{uuid.uuid4().hex[:12]}"
        role = "young_person" if flow.audience is Audience.YOUNG_PERSON else "parent"
        with session_factory.begin() as session:
            contact, identity, _ = contacts_repo.find_or_create(
                session, CHANNEL, address, system_clock(), role=role, language=language
            )
            contact.set_display_name(name, cipher)
            contact_id = contact.id
            extra = {"event_name": event_name, "actions_summary": ACTIONS_SUMMARY}
            if style == "chat":
                code = _event_for(session, flow, event_name, extra).code
                conversation_id = None
            else:
                context = dispatcher.context_for(contact, extra)
                started = dispatcher.start_flow(session, contact, identity, flow, context=context)
                conversation_id = started.conversation_id
        if style == "chat":
            # What a young person's phone sends when they open the poster's Telegram link.
            opened = _inbound(address, f"/start {code}", {"command": "start", "payload": code})
            result = await asyncio.to_thread(dispatcher.handle, session_factory, opened)
            conversation_id = result.conversation_id
        await outbox.deliver_due()
        flagged = False
        while _waiting(session_factory, contact_id, conversation_id):
            if interactive:
                write(PROMPT)
            line = await asyncio.to_thread(stdin.readline)
            if not line:
                write("(end of input: the conversation stays open until it expires)\n")
                break
            text = line.rstrip("\r\n")
            if echo:
                write(f"{PROMPT}{text}\n")
            result = await asyncio.to_thread(
                dispatcher.handle, session_factory, _inbound(address, text, sender.pressed(text))
            )
            conversation_id = conversation_id or result.conversation_id
            await outbox.deliver_due()
            if disclosure.EVENT in result.events:
                flagged = True
                break
        if flagged:
            write(
                "\n(A safeguarding flag was raised: in the service the designated safeguarding "
                "lead is alerted at once, and no more questions are sent until a person has read "
                "the message. Officers see it on the dashboard's Safeguarding page.)\n"
            )
        write(_summary(session_factory, library, conversation_id, url))
        return 0
    finally:
        engine.dispose()


def _inbound(address: str, text: str, meta: Mapping[str, Any] | None) -> InboundMessage:
    return InboundMessage(
        channel=CHANNEL,
        address=address,
        text=text,
        provider_id=f"console-in-{uuid.uuid4().hex}",
        received_at=system_clock(),
        meta=dict(meta or {}),
    )


def _event_for(session: Session, flow: Flow, title: str, variables: dict[str, str]) -> Event:
    """An event for the demo's link, as an officer would record one for a poster."""
    now = system_clock()
    event = events_repo.create(
        session,
        title=title,
        kind="other",
        starts_at=now - timedelta(hours=2),
        ends_at=now - timedelta(hours=1),
        flow_id=flow.id,
        reminders=(),
        now=now,
    )
    event.variables = {k: v for k, v in variables.items() if k in flow.variables}
    return event


def _waiting(
    session_factory: sessionmaker[Session], contact_id: int, conversation_id: int | None
) -> bool:
    """Still going: the conversation is open, or (chat) the age question is still unanswered."""
    with session_factory() as session:
        if conversation_id is None:
            contact = session.get(Contact, contact_id)
            return contact is not None and contact.age_band is None
        conversation = session.get(Conversation, conversation_id)
        return conversation is not None and conversation.status == "active"


def _summary(
    session_factory: sessionmaker[Session],
    library: FlowLibrary,
    conversation_id: int | None,
    url: str,
) -> str:
    if conversation_id is None:
        return "\n=== No questions were asked, so no answers were stored ===\n"
    with session_factory() as session:
        conversation = session.get_one(Conversation, conversation_id)
        stored = answers_repo.for_conversation(session, conversation_id)
        where = make_url(url).render_as_string(hide_password=True)
        flow = library.get(conversation.flow_id) if conversation.flow_id in library else None
        lines = [
            "",
            f"=== Conversation {conversation_id}: {conversation.flow_id}, "
            f"{conversation.status}; {plural(len(stored), 'answer')} stored in {where} ===",
        ]
        width = max((len(a.step_id) for a in stored), default=0)
        for a in stored:
            step = flow.step(a.step_id) if flow is not None and flow.has_step(a.step_id) else None
            shown = answer_label(step, a.value, a.special)
            typed = step is not None and not step.options and not step.points
            if a.special is None and isinstance(a.value, str) and typed:
                shown = f'"{shown}"'  # their own words
            lines.append(f"  {a.step_id.ljust(width)}  {shown}")
        return "\n".join(lines) + "\n"

"""`sendvoice demo`: a whole conversation in the terminal, through the same dispatch path as SMS."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from typing import TextIO

from sqlalchemy import make_url

from bot.channels.base import Style
from bot.channels.console import CHANNEL, ConsoleSender
from bot.clock import system_clock
from bot.config import Settings
from bot.conversation.dispatch import Dispatcher
from bot.conversation.inbound import InboundMessage
from bot.delivery.outbox import Outbox
from bot.privacy.keys import demo_cipher, demo_keys
from flows.library import FlowLibrary
from flows.schema import Audience
from storage import answers as answers_repo
from storage import contacts as contacts_repo
from storage.db import make_engine, make_session_factory
from storage.migrate import ensure_schema
from storage.models import Conversation

DEMO_EVENT = "the Preparing for Adulthood workshop"


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
) -> int:
    flow = library.get(flow_id)
    url = settings.database_url
    # Upgrading may encrypt what an earlier version stored: with the demo's own key too.
    await asyncio.to_thread(ensure_schema, url, demo_keys(settings))
    engine = make_engine(url)
    try:
        cipher = demo_cipher(settings)
        session_factory = make_session_factory(engine, cipher)
        dispatcher = Dispatcher(library, settings, {CHANNEL: style})
        outbox = Outbox(session_factory, {CHANNEL: ConsoleSender(style, write)}, settings)
        address = f"demo-{uuid.uuid4().hex[:12]}"
        role = "young_person" if flow.audience is Audience.YOUNG_PERSON else "parent"
        with session_factory.begin() as session:
            contact, identity, _ = contacts_repo.find_or_create(
                session, CHANNEL, address, system_clock(), role=role, language=language
            )
            contact.set_display_name(name, cipher)
            context = dispatcher.context_for(
                contact,
                {
                    "event_name": event_name,
                    "actions_summary": (
                        "we added an evening session, and we now send the agenda a week before"
                    ),
                },
            )
            started = dispatcher.start_flow(session, contact, identity, flow, context=context)
        conversation_id = started.conversation_id
        await outbox.deliver_due()
        while _active(session_factory, conversation_id):
            line = await asyncio.to_thread(stdin.readline)
            if not line:
                write("(end of input: the conversation stays open until it expires)\n")
                break
            text = line.rstrip("\r\n")
            if echo:
                write(f"> {text}\n")
            inbound = InboundMessage(
                channel=CHANNEL,
                address=address,
                text=text,
                provider_id=f"console-in-{uuid.uuid4().hex}",
                received_at=system_clock(),
            )
            await asyncio.to_thread(dispatcher.handle, session_factory, inbound)
            await outbox.deliver_due()
        write(_summary(session_factory, conversation_id, url))
        return 0
    finally:
        engine.dispose()


def _active(session_factory: Callable[[], object], conversation_id: int | None) -> bool:
    if conversation_id is None:
        return False
    with session_factory() as session:  # type: ignore[attr-defined]
        conversation = session.get(Conversation, conversation_id)
        return conversation is not None and conversation.status == "active"


def _summary(session_factory: Callable[[], object], conversation_id: int | None, url: str) -> str:
    if conversation_id is None:
        return ""
    with session_factory() as session:  # type: ignore[attr-defined]
        conversation = session.get_one(Conversation, conversation_id)
        stored = answers_repo.for_conversation(session, conversation_id)
        where = make_url(url).render_as_string(hide_password=True)
        lines = [
            "",
            f"=== Conversation {conversation_id}: {conversation.flow_id}, "
            f"{conversation.status}; {len(stored)} answers stored in {where} ===",
        ]
        width = max((len(a.step_id) for a in stored), default=0)
        for a in stored:
            shown = a.special.replace("_", " ").upper() if a.special else repr(a.value)
            lines.append(f"  {a.step_id.ljust(width)}  {shown}")
        return "\n".join(lines) + "\n"

"""How people join by chat: deep links to an event, the age check, and choosing a language."""

from __future__ import annotations

from sqlalchemy import select

from bot.conversation.ages import AGE_BANDS, band_from_text, under_age
from bot.conversation.inbound import InboundMessage
from bot.conversation.replies import reply
from bot.conversation.turn import Turn
from flows import engine
from flows.outcome import Prompt, PromptKind
from storage import events as events_repo
from storage import followups as followups_repo
from storage.models import Event, Message

LANGUAGES = {"en": "English", "cy": "Cymraeg"}


def _under_age(turn: Turn, band: str) -> bool:
    return under_age(band, turn.ctx.settings.telegram_min_age)


def age_gate(turn: Turn, msg: InboundMessage) -> None:
    """Ask the age once on age-checked channels, or answer someone under the channel's age."""
    contact = turn.contact
    if contact.age_band is not None:
        turn.queue([turn.say("under_age_again")], None)
        return
    band = msg.meta.get("age_band")
    if band not in AGE_BANDS:
        # A command's payload (a deep-link code) can contain digits: it is never an age.
        band = None if "command" in msg.meta else band_from_text(msg.text)
    payload = str(msg.meta.get("payload") or "") or _pending_code(turn)
    if band is None:
        ask_age(turn, payload)
        return
    contact.age_band = band
    turn.result.events.append("age_recorded")
    if _under_age(turn, band):
        followups_repo.cancel_open(
            turn.session, contact.id, "under the channel's minimum age", turn.now
        )
        text = turn.ctx.settings.under_age_message.format(
            council_name=turn.ctx.settings.council_name,
            service_name=turn.ctx.settings.service_name,
            contact_details=turn.ctx.settings.contact_details,
        )
        turn.queue([Prompt(kind=PromptKind.INFO, text=text, language=turn.lang)], None)
        return
    start_command(turn, payload or None, welcome_back=False)


def _pending_code(turn: Turn) -> str:
    """The deep-link code of the /start that led here, when the age was typed, not pressed."""
    recent = turn.session.scalars(
        select(Message.meta)
        .where(Message.contact_id == turn.contact.id, Message.direction == "in")
        .order_by(Message.id.desc())
        .limit(10)
    )
    for meta in recent:
        if (meta or {}).get("command") == "start" and meta.get("payload"):
            return str(meta["payload"])
    return ""


def ask_age(turn: Turn, payload: str) -> None:
    labels = {
        "en": ["Under 16", "16 or 17", "18 to 25", "Over 25"],
        "cy": ["Dan 16", "16 neu 17", "18 i 25", "Dros 25"],
    }.get(turn.lang)
    labels = labels or ["Under 16", "16 or 17", "18 to 25", "Over 25"]
    buttons = [
        [(label, f"age:{band}:{payload}"[:64])]
        for label, band in zip(labels, AGE_BANDS, strict=True)
    ]
    turn.queue_raw(reply(turn.ctx.settings, turn.lang, "age_question"), buttons)


def start_command(turn: Turn, payload: str | None, *, welcome_back: bool) -> None:
    """/start, with or without a deep-link code."""
    if payload:
        event = events_repo.by_code(turn.session, payload)
        if event is None:
            turn.queue([turn.say("bad_link")], None)
            return
        join_event(turn, event)
        return
    conversation = turn.open_conversation()
    if conversation is not None and (flow := turn.ctx.flow_of(conversation)) is not None:
        turn.apply(
            conversation,
            engine.step(
                flow, turn.state_of(conversation), "repeat", turn.now, personal=turn.personal
            ),
            [],
            first=False,
        )
        return
    turn.queue([turn.say("opted_in" if welcome_back else "welcome_chat")], None)


def join_event(turn: Turn, event: Event) -> None:
    contact = turn.contact
    if event.flow_id not in turn.ctx.library:
        turn.queue([turn.say("bad_link")], None)
        return
    flow = turn.ctx.library.get(event.flow_id)
    if contact.role == "unknown" and flow.audience.value != "any":
        contact.role = flow.audience.value
    if contact.consent_at is None:
        contact.consent_at = turn.now
        contact.consent_source = f"{turn.identity.channel}_deep_link"
    events_repo.add_attendee(
        turn.session,
        event,
        contact,
        role=contact.role,
        consent=True,
        source="deep_link",
        now=turn.now,
    )
    conversation = turn.open_conversation()
    if conversation is not None and (current := turn.ctx.flow_of(conversation)) is not None:
        # Never interrupt one set of questions with another: finish this one first.
        lead = [] if conversation.event_id == event.id else [turn.say("busy")]
        turn.apply(
            conversation,
            engine.step(
                current, turn.state_of(conversation), "repeat", turn.now, personal=turn.personal
            ),
            lead,
            first=False,
        )
        return
    context = turn.ctx.variables_for(
        contact, {**(event.variables or {}), **events_repo.names(event)}
    )
    turn.start(flow, context, event.id, [])


def change_language(turn: Turn, language: str | None) -> None:
    if language not in LANGUAGES:
        buttons = [[(name, f"lang:{code}")] for code, name in LANGUAGES.items()]
        turn.queue_raw(reply(turn.ctx.settings, turn.lang, "language_question"), buttons)
        return
    turn.contact.preferred_language = language
    conversation = turn.open_conversation()
    flow = turn.ctx.flow_of(conversation) if conversation is not None else None
    if conversation is None or flow is None:
        turn.queue([turn.say("language_set")], None)
        return
    if language not in flow.languages:
        turn.queue([turn.say("language_unavailable")], None)
        return
    state = {**turn.state_of(conversation), "language": language}
    turn.apply(
        conversation,
        engine.step(flow, state, "repeat", turn.now, personal=turn.personal),
        [turn.say("language_set")],
        first=False,
    )

"""Try a flow as a family would see it: the real engine and the live path's decision, nothing kept.

The whole conversation (engine state and the bubbles so far) travels in the page as one signed
field, so no row is written, no message is queued, and any number of officers can preview at once.
A reply is read exactly as the live path reads it (`bot.conversation.decide`), including the
safeguarding detector; what would have been written or sent is described in a note instead.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any, Literal

from itsdangerous import BadData, URLSafeSerializer

from bot.channels.sms.webhooks import MAX_BODY
from bot.channels.telegram.updates import MAX_TEXT
from bot.config import Settings
from bot.conversation.ages import band_for_age
from bot.conversation.decide import Action, Seen, decide
from bot.conversation.inbound import InboundMessage, clean_text
from bot.conversation.replies import privacy_notice, reply
from bot.safeguarding.alerts import CATEGORY_WORDS
from flows import engine
from flows.library import FlowLibrary
from flows.outcome import Event, Prompt, PromptKind, Status
from flows.render import parse_callback_data, render_chat, render_sms
from flows.schema import Flow, StepType

Channel = Literal["sms", "telegram"]
CHANNELS: dict[str, str] = {"sms": "SMS", "telegram": "Telegram chat"}
ADDRESS = "preview"  # never a real number or chat: nothing leaves this module
SALT = "sendvoice.flow-preview"
# A pasted essay is kept whole for the engine (up to the channel's own limit) but shown cut.
SHOWN_REPLY = 600

# Long, real-looking values, so an officer sees what a full-length text costs.
SAMPLE_CONTEXT = {
    "council_name": "Rhondda Cynon Taf County Borough Council",
    "event_name": "the Preparing for Adulthood: Moving On to College workshop",
    "event_date": "Tuesday 14 April",
    "actions_summary": "we added an evening session, and we now send the agenda a week before",
}
SAMPLE_PERSONAL = {"first_name": "Bethan"}
LIMITS: dict[str, int] = {"sms": MAX_BODY, "telegram": MAX_TEXT}


class PreviewError(ValueError):
    """The page's preview field was changed, or belongs to another flow: a 400, never a 500."""


@dataclass
class Bubble:
    side: Literal["out", "in", "note"]
    text: str
    segments: int | None = None
    encoding: str | None = None
    characters: int | None = None
    buttons: list[list[tuple[str, str]]] = field(default_factory=list)  # rows of (label, data)
    alert: bool = False  # a note about safeguarding


@dataclass
class Preview:
    flow_id: str
    version: int
    language: str
    channel: Channel
    state: dict[str, Any]  # the engine's, kept after the end to show what was answered
    bubbles: list[Bubble] = field(default_factory=list)
    ended: str | None = None  # why there is nothing more to answer

    @property
    def style(self) -> Literal["sms", "chat"]:
        return "sms" if self.channel == "sms" else "chat"

    @property
    def live_buttons(self) -> int | None:
        """The bubble whose buttons can still be pressed: the last one sent, while it waits."""
        if self.ended is not None or self.channel != "telegram":
            return None
        for i in range(len(self.bubbles) - 1, -1, -1):
            bubble = self.bubbles[i]
            if bubble.side == "in":
                return None
            if bubble.side == "out" and bubble.buttons:
                return i
        return None


def context_for(flow: Flow, settings: Settings) -> dict[str, str]:
    values = {
        "service_name": settings.service_name,
        "contact_details": settings.contact_details,
        **SAMPLE_CONTEXT,
    }
    for name in sorted(flow.variables - values.keys()):
        values[name] = f"[{name.replace('_', ' ')}]"
    return values


# --- signing ------------------------------------------------------------------------------


def _serializer(secret: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret, salt=SALT)


def dump(preview: Preview, secret: str) -> str:
    data = asdict(preview)
    return str(_serializer(secret).dumps(data))


def load(token: str, secret: str, flow: Flow) -> Preview:
    try:
        data = _serializer(secret).loads(token)
        bubbles = [
            Bubble(
                side=b["side"],
                text=str(b["text"]),
                segments=b.get("segments"),
                encoding=b.get("encoding"),
                characters=b.get("characters"),
                buttons=[[(str(label), str(d)) for label, d in row] for row in b["buttons"]],
                alert=bool(b.get("alert")),
            )
            for b in data["bubbles"]
        ]
        preview = Preview(
            flow_id=str(data["flow_id"]),
            version=int(data["version"]),
            language=str(data["language"]),
            channel=data["channel"],
            state=data["state"],
            bubbles=bubbles,
            ended=data.get("ended"),
        )
    except (BadData, KeyError, TypeError, ValueError) as exc:
        raise PreviewError("this preview was changed on its way back; start it again") from exc
    if not isinstance(preview.state, dict) or preview.language not in flow.languages:
        raise PreviewError("this preview was changed on its way back; start it again")
    if preview.flow_id != flow.id or preview.channel not in CHANNELS:
        raise PreviewError("this preview belongs to another flow; start it again")
    if preview.version != flow.version:
        raise PreviewError("the flow has changed since this preview began; start it again")
    return preview


# --- talking ------------------------------------------------------------------------------


def _send(preview: Preview, prompts: list[Prompt], *, first: bool = False) -> None:
    if not prompts:
        return
    if preview.style == "sms":
        for sms in render_sms(prompts, opt_out_notice=first):
            info = sms.segments
            preview.bubbles.append(
                Bubble("out", sms.text, info.segments, info.encoding, info.characters)
            )
        return
    for chat in render_chat(prompts):
        rows = [[(b.text, b.data) for b in row] for row in chat.buttons]
        preview.bubbles.append(Bubble("out", chat.text, buttons=rows))


def _note(preview: Preview, text: str, *, alert: bool = False) -> None:
    preview.bubbles.append(Bubble("note", text, alert=alert))


def _info(language: str, text: str) -> Prompt:
    return Prompt(kind=PromptKind.INFO, text=text, language=language)


def start(
    flow: Flow, language: str, channel: Channel, settings: Settings, now: datetime
) -> Preview:
    outcome = engine.start(
        flow, context_for(flow, settings), now, language, personal=SAMPLE_PERSONAL
    )
    lang = str(outcome.state["language"])
    preview = Preview(flow.id, flow.version, lang, channel, outcome.state)
    # As for someone we have never messaged: the privacy notice comes first, once.
    _send(preview, [_info(lang, privacy_notice(settings, lang)), *outcome.prompts], first=True)
    _settle(preview, outcome.status)
    return preview


def _settle(preview: Preview, status: Status) -> None:
    if status is not Status.ACTIVE:
        preview.ended = status.value


def _pressed(preview: Preview, data: str) -> str:
    for bubble in reversed(preview.bubbles):
        for row in bubble.buttons:
            for label, sent in row:
                if sent == data:
                    return label
    return data


def answer(
    preview: Preview,
    flow: Flow,
    library: FlowLibrary,
    settings: Settings,
    now: datetime,
    *,
    text: str = "",
    button: str | None = None,
) -> Preview:
    """One reply, typed or a pressed chat button, read and answered as the live path would."""
    if preview.ended is not None:
        return preview
    lang = preview.language
    if button is not None and preview.channel == "telegram":
        data = clean_text(button, MAX_TEXT)
        parsed = parse_callback_data(data) or (-1, "")  # a forged button, as Telegram's adapter
        msg = InboundMessage(preview.channel, ADDRESS, parsed[1], "preview", now, button=parsed)
        preview.bubbles.append(Bubble("in", f"Pressed: {_pressed(preview, data)}"))
    else:
        whole = clean_text(text, len(text))
        typed = whole[: LIMITS[preview.channel]]
        msg = InboundMessage(preview.channel, ADDRESS, typed, "preview", now)
        shown = typed if len(typed) <= SHOWN_REPLY else typed[:SHOWN_REPLY] + "…"
        preview.bubbles.append(Bubble("in", shown, characters=len(typed)))
        if len(whole) > len(typed):
            name = CHANNELS[preview.channel]
            _note(preview, f"{name} keeps only the first {len(typed):,} characters of a message.")
    seen = Seen(
        channel=preview.channel,
        opted_out=False,
        age_band=band_for_age(min(settings.telegram_min_age, 120)),  # old enough
        state=preview.state,
        flow=flow,
        personal=SAMPLE_PERSONAL,
    )
    decision = decide(
        msg,
        seen,
        library=library,
        min_age=settings.telegram_min_age,
        now=now,
        threshold=settings.safeguarding_threshold,
        review_threshold=settings.safeguarding_review_threshold,
    )
    found = decision.assessment
    if decision.action is Action.FLAG and found is not None:
        _send(preview, [_info(lang, settings.safeguarding_reply_in(lang))])
        what = CATEGORY_WORDS.get(found.category or "", found.category or "a risk of harm")
        _note(
            preview,
            f"A safeguarding flag would be raised ({what}). The safeguarding lead would be "
            "alerted, the message would wait in the safeguarding queue, and the survey would "
            "pause until a person has read it. In this preview nothing was stored or sent.",
            alert=True,
        )
        preview.ended = "paused"
        return preview
    if decision.for_review:
        _note(
            preview,
            "The wider safeguarding net would put this message in the safeguarding queue for a "
            "person to glance at; the survey carries on.",
            alert=True,
        )
    if decision.action is Action.OPT_OUT:
        _send(preview, [_info(lang, reply(settings, lang, "opted_out"))])
        _note(preview, "They would be opted out: no more surveys until they send START.")
        preview.ended = "stopped"
        return preview
    if decision.action is not Action.CONTINUE or decision.outcome is None:
        _note(preview, "The live service would not take this as an answer to the flow.")
        return preview
    outcome = decision.outcome
    if Event.OPTED_OUT in outcome.events:
        _send(preview, [_info(lang, reply(settings, lang, "opted_out"))])
        _note(preview, "They would be opted out: no more surveys until they send START.")
        preview.ended = "stopped"
        return preview
    if any(
        a.special is None
        and flow.has_step(a.step_id)
        and flow.step(a.step_id).type is StepType.TEXT
        for a in outcome.answers
    ):
        _note(preview, "Their own words: a person would read this answer in the To read list.")
    _send(preview, list(outcome.prompts))
    preview.state = outcome.state
    _settle(preview, outcome.status)
    return preview


def answers(preview: Preview) -> list[tuple[str, Any, str | None]]:
    """(step id, value, special) recorded so far, for the page's "what would be stored" list."""
    values = preview.state.get("values") or {}
    specials = preview.state.get("specials") or {}
    return [(step, values.get(step), specials.get(step)) for step in values]

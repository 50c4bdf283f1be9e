"""What the engine returns: plain data for the caller to store, send and schedule."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flows.schema import Special, StepType


class Status(enum.StrEnum):
    ACTIVE = "active"
    COMPLETED = "completed"
    STOPPED = "stopped"
    EXPIRED = "expired"


class PromptKind(enum.StrEnum):
    QUESTION = "question"  # a step's question, first time
    MESSAGE = "message"  # a message step
    REPROMPT = "reprompt"  # the reply didn't fit; says what would
    REPEAT = "repeat"  # the question again, because they asked (REPEAT, BACK, RESTART, old button)
    HELP = "help"
    INFO = "info"  # short engine notes: "OK, skipped.", "That was an earlier question."
    GOODBYE = "goodbye"  # flow finished, stopped or expired


class Event(enum.StrEnum):
    """Things the caller may want to act on or count; the engine never acts on them itself."""

    OPTED_OUT = "opted_out"  # STOP inside a conversation: the caller records the opt-out
    RESTARTED = "restarted"
    WENT_BACK = "went_back"
    HELP_REQUESTED = "help_requested"
    REPEATED = "repeated"
    REPROMPTED = "reprompted"
    GAVE_UP_ON_STEP = "gave_up_on_step"
    STALE_BUTTON = "stale_button"
    COMPLETED = "completed"
    EXPIRED = "expired"


@dataclass(frozen=True)
class PromptOption:
    key: str  # what to type: "1", "2", ... (SMS) and what the button sends back
    value: str  # stored value: option value, scale point as str, "yes"/"no"
    label: str  # words in the conversation's language
    emoji: str | None = None


@dataclass(frozen=True)
class Prompt:
    """A message to send, structured but not yet rendered for a channel."""

    kind: PromptKind
    text: str  # already translated and with variables filled in
    step_id: str | None = None
    step_type: StepType | None = None
    options: tuple[PromptOption, ...] = ()
    multi: bool = False
    specials: tuple[Special, ...] = ()  # which of SKIP / DON'T KNOW / PREFER NOT TO SAY are allowed
    hint: str | None = None  # "Reply with a number from 1 to 5", in the conversation's language
    seq: int = 0  # which asking this is; buttons carry it so an old button can be recognised
    language: str = "en"


@dataclass(frozen=True)
class RecordedAnswer:
    step_id: str
    value: Any  # JSON-serialisable: str, int, float, bool, list[str], ISO date str, or None
    special: Special | None
    raw: str | None


@dataclass(frozen=True)
class Outcome:
    state: dict[str, Any]  # JSON-serialisable; feed it back to step() / timeout()
    status: Status
    prompts: tuple[Prompt, ...] = ()
    answers: tuple[RecordedAnswer, ...] = ()
    events: tuple[Event, ...] = ()
    retracted: tuple[str, ...] = ()  # step ids whose stored answers no longer stand (BACK, RESTART)
    wake_at: datetime | None = None  # when to call timeout(); None once the conversation has ended
    # Set when the built-in "who is answering?" question was answered (or skipped) by this call:
    # self, with_help, for_them, or unknown. Never among `answers`.
    answered_by: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Reply:
    """What a person sent: typed text, or a button press carrying the prompt `seq` it belonged to."""

    text: str
    seq: int | None = None
    key: str | None = None

    @classmethod
    def button(cls, seq: int, key: str) -> Reply:
        return cls(text=key, seq=seq, key=key)

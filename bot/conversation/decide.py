"""What one inbound message calls for, decided from what was read, before anything is written.

Pure: the caller reads the person and their open conversation, this module decides (keywords, the
safeguarding finding, the engine's step), and the caller writes the decision in one place.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.conversation.ages import gate_applies, under_age
from bot.conversation.inbound import InboundMessage
from bot.conversation.keywords import Keyword, keyword
from flows import engine
from flows.library import FlowLibrary
from flows.outcome import Outcome, Reply, Status
from flows.safeguarding.assess import Assessment, assess
from flows.schema import Flow


class Action(enum.StrEnum):
    FLAG = "flag"  # a disclosure: pause, answer calmly, alert a person
    OPT_OUT = "opt_out"
    OPTED_IN = "opted_in"  # START after STOP: say welcome back, nothing more
    IGNORE = "ignore"  # they asked us to stop: stored, never answered
    AGE_GATE = "age_gate"
    LANGUAGE = "language"
    START_COMMAND = "start_command"
    CONTINUE = "continue"  # the engine's step for the open conversation
    HELP = "help"
    PRIVACY = "privacy"  # the full privacy notice; an open question stays open
    START_FLOW = "start_flow"  # a start keyword
    FALLBACK = "fallback"


@dataclass(frozen=True)
class Seen:
    """What was read about the sender before deciding."""

    channel: str
    opted_out: bool
    age_band: str | None
    state: Mapping[str, Any] | None = None  # the open conversation's, if any
    flow: Flow | None = None  # the open conversation's flow; None if it was removed
    personal: Mapping[str, str] = field(default_factory=dict)  # the name, never stored
    age_checked: bool = False  # the channel's terms set a minimum age (Telegram)


@dataclass(frozen=True)
class Decision:
    action: Action
    # The detector's view of every message with words, flagged or not: FLAG raises it, a review
    # item goes to the queue, and the "to read" list orders by its score.
    assessment: Assessment | None = None
    opt_in: bool = False  # START from someone opted out: opt back in before the action
    outcome: Outcome | None = None  # CONTINUE: the engine's step
    close: Outcome | None = None  # an open conversation that ran out of time: close it first
    orphan: bool = False  # an open conversation whose flow is gone: close it first
    flow: Flow | None = None  # START_FLOW
    media: bool = False  # a picture or file came with it: say we can't read those

    @property
    def for_review(self) -> bool:
        """Only the wider net caught it: a person glances, nothing stops."""
        return self.assessment is not None and self.assessment.review


def decide(
    msg: InboundMessage,
    seen: Seen,
    *,
    library: FlowLibrary,
    min_age: int,
    now: datetime,
    threshold: float | None = None,
    review_threshold: float | None = None,
) -> Decision:
    command = msg.command
    words_count = not msg.button and not msg.is_chat_action
    found = None
    if words_count and msg.text.strip():
        found = assess(msg.text, threshold=threshold, review_threshold=review_threshold)
        if found.flagged:
            return Decision(Action.FLAG, assessment=found)

    def then(action: Action, **kw: Any) -> Decision:
        return Decision(action, assessment=found, **kw)

    word = keyword(msg.text) if words_count else None
    if command in ("stop", "help"):
        word = Keyword(command)
    if word is Keyword.STOP:
        return then(Action.OPT_OUT)
    opt_in = seen.opted_out and (word is Keyword.START or command == "start")
    if opt_in and command != "start":
        return then(Action.OPTED_IN, opt_in=True)
    if seen.opted_out and not opt_in:
        return then(Action.IGNORE)
    if word is Keyword.PRIVACY:
        # Before the age question too: anyone may ask what happens to what they tell us.
        return then(Action.PRIVACY, opt_in=opt_in)
    if (
        (seen.age_checked or gate_applies(seen.channel, min_age))
        and min_age > 0
        and (seen.age_band is None or under_age(seen.age_band, min_age))
    ):
        return then(Action.AGE_GATE, opt_in=opt_in)
    if "language" in msg.meta or command == "language":
        return then(Action.LANGUAGE, opt_in=opt_in)
    if command == "start":
        return then(Action.START_COMMAND, opt_in=opt_in)
    media = bool(msg.media_count)
    close, orphan = None, False
    if seen.state is not None:
        if seen.flow is None:
            orphan = True
        else:
            reply = Reply.button(*msg.button) if msg.button else Reply(msg.text)
            if msg.media_count and not msg.text.strip():
                reply = Reply("repeat")
            outcome = engine.step(seen.flow, seen.state, reply, now, personal=seen.personal)
            if outcome.status is not Status.EXPIRED or outcome.prompts:
                return then(Action.CONTINUE, outcome=outcome, media=media)
            # It ran out of time before the scheduler noticed: close it, then read the message
            # as if no conversation were open.
            close = outcome
    if word is Keyword.HELP:
        return then(Action.HELP, close=close, orphan=orphan, media=media)
    flow = library.by_keyword(msg.text) if word is None and not msg.button else None
    if flow is not None:
        return then(Action.START_FLOW, flow=flow, close=close, orphan=orphan, media=media)
    return then(Action.FALLBACK, close=close, orphan=orphan, media=media)

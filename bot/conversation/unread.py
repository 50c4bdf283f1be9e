"""No free text goes unread: a family's own words wait, with their risk score, for a person to read.

Written in the same transaction as the message. A flagged message is not added: the safeguarding
queue already holds it until the lead acknowledges it.
"""

from __future__ import annotations

from bot.conversation.decide import Action, Decision
from bot.conversation.inbound import InboundMessage
from bot.conversation.keywords import keyword
from bot.conversation.turn import Turn
from flows.outcome import Event
from storage import to_read

# Free words that became no answer (as do replies that fit no question's choices, below).
# A keyword, a command or a button is not free text.
UNANSWERED = frozenset({Action.FALLBACK, Action.IGNORE})


def note(turn: Turn, msg: InboundMessage, decision: Decision) -> None:
    if turn.inbound_id is None or decision.action is Action.FLAG:
        return
    if msg.button or msg.is_chat_action or msg.command or not msg.text.strip():
        return
    score = decision.assessment.score if decision.assessment is not None else 0.0
    if turn.text_answers:
        for conversation, answer in turn.text_answers:
            to_read.record(
                turn.session,
                kind="answer",
                contact_id=turn.contact.id,
                conversation_id=conversation.id,
                message_id=turn.inbound_id,
                answer_id=answer.id,
                role=turn.contact.role,
                score=score,
                now=turn.now,
            )
    elif _unfitting(decision) or (decision.action in UNANSWERED and keyword(msg.text) is None):
        where = turn.result.conversation if decision.action is Action.CONTINUE else None
        to_read.record(
            turn.session,
            kind="message",
            contact_id=turn.contact.id,
            conversation_id=where.id if where is not None else None,
            message_id=turn.inbound_id,
            answer_id=None,
            role=turn.contact.role,
            score=score,
            now=turn.now,
        )


def _unfitting(decision: Decision) -> bool:
    """A reply that fitted no question's choices: words that became no answer."""
    if decision.action is not Action.CONTINUE or decision.outcome is None:
        return False
    return bool({Event.REPROMPTED, Event.GAVE_UP_ON_STEP} & set(decision.outcome.events))

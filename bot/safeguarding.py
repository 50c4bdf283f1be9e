"""When someone discloses harm: pause the survey, answer calmly, keep the words, alert a person."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flows.outcome import Prompt, PromptKind
from flows.safeguarding import check
from flows.safeguarding_review import needs_review
from storage import conversations as conversations_repo
from storage import safeguarding as flags_repo

if TYPE_CHECKING:
    from bot.turn import Turn

EVENT = "safeguarding_flag"
REVIEW = flags_repo.REVIEW


def raise_flag(turn: Turn, text: str) -> bool:
    """Check every free-text message, in any flow, on any channel; True if it was flagged."""
    if not text.strip():
        return False
    finding = check(text)
    if not finding.flagged or finding.category is None:
        word = needs_review(text)
        if word is not None:
            # The wider net: a person glances at it; the conversation carries on undisturbed.
            flags_repo.record(
                turn.session,
                contact_id=turn.contact.id,
                conversation_id=None,
                message_id=turn.inbound_id,
                channel=turn.identity.channel,
                category=REVIEW,
                reasons=[f'contains "{word}"'],
                text=text,
                now=turn.now,
            )
            turn.result.events.append(REVIEW)
        return False
    conversation = conversations_repo.active_for(turn.session, turn.contact.id)
    flags_repo.record(
        turn.session,
        contact_id=turn.contact.id,
        conversation_id=conversation.id if conversation else None,
        message_id=turn.inbound_id,
        channel=turn.identity.channel,
        category=finding.category,
        reasons=finding.reasons,
        text=text,
        now=turn.now,
    )
    if conversation is not None:
        # No more questions until a person has read this; the answers so far are kept.
        turn.end(conversation, "paused")
    turn.result.events.append(EVENT)
    reply = Prompt(
        kind=PromptKind.INFO, text=turn.d.settings.safeguarding_reply, language=turn.lang
    )
    # Safety first: the signposting goes even to someone who had opted out of surveys.
    turn.queue([reply], conversation, confirmation=True)
    return True

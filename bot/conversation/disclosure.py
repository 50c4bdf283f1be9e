"""When someone discloses harm: pause the survey, answer calmly, keep the words, alert a person."""

from __future__ import annotations

from bot.conversation.turn import Turn
from flows.outcome import Prompt, PromptKind
from flows.safeguarding.assess import Assessment
from storage import safeguarding as flags_repo

EVENT = "safeguarding_flag"
REVIEW = flags_repo.REVIEW


def raise_flag(turn: Turn, finding: Assessment, text: str) -> None:
    """Checked on every free-text message, in any flow, on any channel, before anything else."""
    assert finding.category is not None
    conversation = turn.open_conversation()
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
        kind=PromptKind.INFO,
        text=turn.ctx.settings.safeguarding_reply_in(turn.lang),
        language=turn.lang,
    )
    # Safety first: the signposting goes even to someone who had opted out of surveys.
    turn.queue([reply], conversation, confirmation=True)


def note_for_review(turn: Turn, found: Assessment, text: str) -> None:
    """The wider net: a person glances at it; the conversation carries on undisturbed."""
    flags_repo.record(
        turn.session,
        contact_id=turn.contact.id,
        conversation_id=None,
        message_id=turn.inbound_id,
        channel=turn.identity.channel,
        category=REVIEW,
        reasons=list(found.reasons),
        text=text,
        now=turn.now,
    )
    turn.result.events.append(REVIEW)

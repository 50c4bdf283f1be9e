"""Where each person at an event stands in its follow-up plan, in words an officer reads.

One line a person (by pseudonym only): the status, when the next request is due, and why. It is
derived from the rows the scheduler works from, so it is what the scheduler will do.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Attendee, Contact, Conversation, Event, FollowUp

# In the order the counts are shown: from "nothing to do" to "cannot be reached".
STATUSES = {
    "waiting": "Waiting",
    "paused": "Paused",
    "sent": "Sent",
    "answered": "Answered",
    "no answer": "No answer",
    "held": "Held",
    "no channel": "No channel",
    "opted out": "Opted out",
    "no consent": "No consent",
    "cancelled": "Cancelled",
    "skipped": "Skipped",
}
_KIND_WORDS = {"initial": "first request", "reminder_1": "reminder", "reminder_2": "last reminder"}
_NO_WAY = "no way to reach them"


@dataclass(frozen=True)
class PersonStatus:
    pseudonym: str
    status: str  # a key of STATUSES
    due: datetime | None  # when the next request goes, if one is still to go
    why: str


@dataclass
class PlanStatus:
    people: list[PersonStatus] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return len(self.people)


def plan_status(session: Session, event: Event, now: datetime) -> PlanStatus:
    people = session.execute(
        select(Attendee.contact_id, Attendee.consent, Contact.pseudonym, Contact.opted_out_at)
        .join(Contact, Contact.id == Attendee.contact_id)
        .where(Attendee.event_id == event.id)
        .order_by(Contact.pseudonym)
    ).all()
    rows: dict[int, list[FollowUp]] = {}
    for row in session.scalars(
        select(FollowUp).where(FollowUp.event_id == event.id).order_by(FollowUp.due_at)
    ):
        rows.setdefault(row.contact_id, []).append(row)
    talks = dict(
        session.execute(
            select(Conversation.contact_id, Conversation.status).where(
                Conversation.event_id == event.id
            )
        ).all()
    )
    result = PlanStatus()
    for contact_id, consent, pseudonym, opted_out_at in people:
        status, due, why = _one(
            event, consent, opted_out_at, rows.get(contact_id, []), talks.get(contact_id), now
        )
        result.people.append(PersonStatus(pseudonym, status, due, why))
    counted = Counter(p.status for p in result.people)
    result.counts = {key: counted[key] for key in STATUSES if counted[key]}
    return result


def _one(
    event: Event,
    consent: bool,
    opted_out_at: datetime | None,
    rows: list[FollowUp],
    talk: str | None,
    now: datetime,
) -> tuple[str, datetime | None, str]:
    if not consent:
        return "no consent", None, "did not agree to be contacted: never sent anything"
    if opted_out_at is not None:
        return "opted out", None, "asked us to stop: never sent anything again"
    if talk == "completed":
        return "answered", None, "answered every question"
    following = next((r for r in rows if r.status in ("pending", "held")), None)
    if following is not None:
        kind = _KIND_WORDS.get(following.kind, following.kind)
        if following.status == "held":
            return "held", following.due_at, following.reason or "the channel cannot send"
        if event.paused_at is not None:
            return "paused", following.due_at, f"the plan is paused: the {kind} waits"
        late = " (goes on the next scheduler run)" if following.due_at <= now else ""
        if talk is not None:
            return "sent", following.due_at, f"no reply yet; {kind} due{late}"
        reason = f"; put back: {following.reason}" if following.reason else ""
        return "waiting", following.due_at, f"{kind} due{late}{reason}"
    if talk == "active":
        return "sent", None, "no reply yet; no more reminders"
    if talk in ("expired", "stopped"):
        return "no answer", None, f"the conversation {talk}"
    if not rows:
        return "skipped", None, "nothing planned"
    # The first request says why the rest did not go (a reminder only follows it).
    last = next((r for r in rows if r.kind == "initial"), rows[-1])
    if last.reason and last.reason.startswith(_NO_WAY):
        return "no channel", None, last.reason
    if last.status == "cancelled":
        return "cancelled", None, last.reason or "cancelled"
    if last.status == "sent":
        return "sent", None, last.reason or "sent"
    return "skipped", None, last.reason or last.status

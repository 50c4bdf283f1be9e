"""Trends: per month (UK time) and per event kind, how many were invited, started and completed,
the response rate and completion, and the flow's headline rating (its first scale question) as
an average. Ratings are encrypted, so they are averaged here after reading them.

A month's invitations are those sent (due) that month; its starts and completions are the
conversations begun that month. Every count is suppressed; a rate is given only between two
shown counts, and an average only over at least the threshold's number of ratings.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select, union_all
from sqlalchemy.orm import Session

from bot.reports.questions import question_text
from bot.web.dashboard.crosstab import answers_by_conversation
from bot.web.dashboard.suppress import Cell, one
from flows.schema import Flow, Step, StepType
from storage.models import Attendee, Contact, Conversation, Event, FollowUp
from storage.reporting import Filters, conversations_query, has_answer, invitation_conditions

UK = ZoneInfo("Europe/London")
NO_EVENT = "No event (started by keyword)"


def month_of(when: datetime) -> str:
    return f"{when.astimezone(UK):%Y-%m}"


def month_label(key: str) -> str:
    return datetime.strptime(key, "%Y-%m").strftime("%b %Y")


def headline(flow: Flow | None) -> Step | None:
    return next((s for s in flow.steps if s.type is StepType.SCALE), None) if flow else None


@dataclass
class Tally:
    invited: int = 0
    replied: int = 0  # started, from an invitation (not by keyword): what the rate is of
    started: int = 0
    completed: int = 0
    ratings: list[float] = field(default_factory=list)


@dataclass(frozen=True)
class Point:
    key: str
    label: str
    invited: Cell
    started: Cell
    completed: Cell
    response_rate: float | None  # percent, None when not shown
    completion: float | None
    rating: float | None
    ratings: Cell


@dataclass(frozen=True)
class Trends:
    by_month: list[Point]
    by_kind: list[Point]
    rating_question: str | None
    rating_top: int


def _percent(part: Cell, whole: Cell) -> float | None:
    if not (part.shown and whole.shown) or whole.value == 0:
        return None
    return round(100 * part.value / whole.value, 1)


def _points(tallies: dict[str, Tally], threshold: int, label: Callable[[str], str]) -> list[Point]:
    out = []
    for key in sorted(tallies):
        t = tallies[key]
        invited, replied, started, completed = (
            one(n, threshold) for n in (t.invited, t.replied, t.started, t.completed)
        )
        rated = one(len(t.ratings), threshold)
        mean = round(sum(t.ratings) / len(t.ratings), 2) if rated.shown and t.ratings else None
        out.append(
            Point(
                key,
                label(key),
                invited,
                started,
                completed,
                _percent(replied, invited) if t.invited else None,
                _percent(completed, started),
                mean,
                rated,
            )
        )
    return out


def trends(session: Session, flow: Flow | None, f: Filters, threshold: int) -> Trends:
    months: dict[str, Tally] = defaultdict(Tally)
    kinds: dict[str, Tally] = defaultdict(Tally)
    # An invitation has no channel, language or answerer: with one of those chosen (or an
    # answer filter), invitations cannot be told apart, and no response rate is given.
    per_reply = (f.channel, f.language, f.answered_by, f.status, f.conversation_ids)
    if all(v is None for v in per_reply):
        followed = select(
            FollowUp.contact_id, FollowUp.event_id, FollowUp.due_at.label("at")
        ).where(FollowUp.kind == "initial")
        joined = select(
            Attendee.contact_id, Attendee.event_id, Attendee.created_at.label("at")
        ).where(Attendee.source == "deep_link")
        pairs = union_all(followed, joined).subquery()
        rows = session.execute(
            select(pairs.c.contact_id, pairs.c.event_id, pairs.c.at, Event.kind)
            .select_from(pairs)
            .join(Event, Event.id == pairs.c.event_id)
            .join(Contact, Contact.id == pairs.c.contact_id)
            .where(*invitation_conditions(f))
        ).all()
        seen: set[tuple[int, int]] = set()
        for contact_id, event_id, at, kind in sorted(rows, key=lambda r: r[2]):
            if (contact_id, event_id) in seen:  # invited and joined by link: one invitation
                continue
            if (f.since and at < f.since) or (f.until and at >= f.until):
                continue
            seen.add((contact_id, event_id))
            months[month_of(at)].invited += 1
            kinds[kind].invited += 1
    conversations = session.execute(
        conversations_query(
            f,
            Conversation.id,
            Conversation.started_at,
            Conversation.status,
            Conversation.event_id,
            Event.kind,
        ).where(has_answer())
    ).all()
    step = headline(flow)
    ratings = answers_by_conversation(session, f, [step.id]).get(step.id, {}) if step else {}
    for conversation_id, started_at, status, event_id, kind in conversations:
        for tally in (months[month_of(started_at)], kinds[kind or NO_EVENT]):
            tally.started += 1
            tally.replied += event_id is not None
            tally.completed += status == "completed"
            rating = _number(ratings.get(conversation_id))
            if rating is not None:
                tally.ratings.append(rating)
    top = max((p.value for p in step.points), default=5) if step else 5
    return Trends(
        _points(months, threshold, month_label),
        _points(kinds, threshold, lambda k: k.replace("_", " ").capitalize()),
        question_text(step) if step else None,
        top,
    )


def _number(value: Any) -> float | None:
    if value is None or isinstance(value, bool | list):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None

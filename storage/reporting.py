"""Aggregates for the dashboard and the committee report, counted in SQL.

"Invited" is everyone sent an event's first request (a follow-up row of kind initial) plus everyone
who joined an event by its deep link; "started" is a conversation with at least one answer, or
with who is answering said (a request nobody replied to is not a start); "completed" is a started
conversation that reached the end.
Conversations started by keyword belong to no event: they count as started, never as invited.
Nothing here suppresses small numbers: that is the caller's job, on every number it shows.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import (
    ColumnElement,
    Select,
    case,
    exists,
    func,
    literal,
    or_,
    select,
    union,
)
from sqlalchemy.orm import Session

from storage.models import Answer, Attendee, Contact, Conversation, Event, FollowUp

SplitBy = Literal["channel", "role", "area", "language", "answered_by"]
SPLITS: tuple[SplitBy, ...] = ("channel", "role", "area", "language", "answered_by")
NO_AREA = "(no area)"
# Conversations whose flow did not ask who answered (or began before it did).
NOT_ASKED = "not_asked"


@dataclass(frozen=True)
class Filters:
    event_id: int | None = None
    flow_id: str | None = None
    since: datetime | None = None  # inclusive
    until: datetime | None = None  # exclusive
    role: str | None = None
    area: str | None = None
    language: str | None = None
    channel: str | None = None
    status: str | None = None
    answered_by: str | None = None  # self, with_help, for_them, unknown, or NOT_ASKED
    # The areas an officer may read row by row; None is every area, and responses with none.
    scope: frozenset[str] | None = None
    # Only these conversations: what a filter on an (encrypted) answer matched, worked out in Python.
    conversation_ids: frozenset[int] | None = None

    def as_dict(self) -> dict[str, Any]:
        """For audit entries: what was asked for, never who it was about."""
        out: dict[str, Any] = {}
        for name in (
            "event_id",
            "flow_id",
            "role",
            "area",
            "language",
            "channel",
            "status",
            "answered_by",
        ):
            if getattr(self, name) is not None:
                out[name] = getattr(self, name)
        for name in ("since", "until"):
            value = getattr(self, name)
            if value is not None:
                out[name] = value.isoformat()
        if self.scope is not None:
            out["scope"] = sorted(self.scope)
        if self.conversation_ids is not None:
            out["conversations_matching_an_answer"] = len(self.conversation_ids)
        return out


@dataclass(frozen=True)
class FunnelRow:
    group: str
    invited: int | None  # None where invitations cannot be told apart (channel, language)
    started: int
    completed: int
    not_invited: int  # started by keyword, outside any event


def has_answer() -> ColumnElement[bool]:
    # Saying who is answering is a reply too: the conversation has started.
    return or_(
        Conversation.answered_by.is_not(None),
        exists().where(Answer.conversation_id == Conversation.id),
    )


def conversation_conditions(f: Filters) -> list[ColumnElement[bool]]:
    """WHERE clauses on Conversation (joined to Contact, outer-joined to Event)."""
    where: list[ColumnElement[bool]] = []
    if f.event_id is not None:
        where.append(Conversation.event_id == f.event_id)
        if f.flow_id is None:
            # The event's own survey: a "you said, we did" update about it is a conversation of
            # another flow, reported under that flow.
            where.append(Conversation.flow_id == Event.flow_id)
    if f.flow_id is not None:
        where.append(Conversation.flow_id == f.flow_id)
    if f.since is not None:
        where.append(Conversation.started_at >= f.since)
    if f.until is not None:
        where.append(Conversation.started_at < f.until)
    if f.role is not None:
        where.append(Contact.role == f.role)
    if f.language is not None:
        where.append(Conversation.language == f.language)
    if f.channel is not None:
        where.append(Conversation.channel == f.channel)
    if f.status is not None:
        where.append(Conversation.status == f.status)
    if f.answered_by == NOT_ASKED:
        where.append(Conversation.answered_by.is_(None))
    elif f.answered_by is not None:
        where.append(Conversation.answered_by == f.answered_by)
    where += _area_conditions(f, Conversation.area)
    if f.conversation_ids is not None:
        where.append(Conversation.id.in_(sorted(f.conversation_ids)))
    return where


def _area_conditions(f: Filters, area: Any) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = []
    if f.area is not None:
        where.append(area == f.area)
    if f.scope is not None:
        where.append(area.in_(sorted(f.scope)))
    return where


def conversations_query(f: Filters, *columns: Any) -> Select[Any]:
    return (
        select(*columns)
        .select_from(Conversation)
        .join(Contact, Contact.id == Conversation.contact_id)
        .outerjoin(Event, Event.id == Conversation.event_id)
        .where(*conversation_conditions(f))
    )


def _split_column(by: SplitBy | None, area: Any = Conversation.area) -> ColumnElement[Any]:
    if by == "channel":
        return Conversation.channel.expression
    if by == "role":
        return Contact.role.expression
    if by == "language":
        return Conversation.language.expression
    if by == "area":
        return func.coalesce(area, NO_AREA)
    if by == "answered_by":
        return func.coalesce(Conversation.answered_by, NOT_ASKED)
    return literal("all")


def invitation_conditions(f: Filters) -> list[ColumnElement[bool]]:
    """The filters that apply to an invitation: by its event (area, flow) and the person's role."""
    where: list[ColumnElement[bool]] = _area_conditions(f, Event.area)
    if f.event_id is not None:
        where.append(Event.id == f.event_id)
    if f.flow_id is not None:
        where.append(Event.flow_id == f.flow_id)
    if f.role is not None:
        where.append(Contact.role == f.role)
    return where


def _invited(session: Session, f: Filters, by: SplitBy | None) -> dict[str, int] | None:
    # An invitation has no channel, language, answerer or answers yet: nobody has replied to it.
    per_conversation = (f.channel, f.language, f.answered_by, f.conversation_ids)
    if any(v is not None for v in per_conversation) or by in ("channel", "language", "answered_by"):
        return None
    followed = select(FollowUp.contact_id, FollowUp.event_id).where(FollowUp.kind == "initial")
    joined = select(Attendee.contact_id, Attendee.event_id).where(Attendee.source == "deep_link")
    if f.since is not None:
        followed = followed.where(FollowUp.due_at >= f.since)
        joined = joined.where(Attendee.created_at >= f.since)
    if f.until is not None:
        followed = followed.where(FollowUp.due_at < f.until)
        joined = joined.where(Attendee.created_at < f.until)
    pairs = union(followed, joined).subquery()
    where = invitation_conditions(f)
    # Invitations belong to the event's area; a conversation's area is the same when it came from one.
    group = _split_column(by, Event.area)
    rows = session.execute(
        select(group, func.count())
        .select_from(pairs)
        .join(Event, Event.id == pairs.c.event_id)
        .join(Contact, Contact.id == pairs.c.contact_id)
        .where(*where)
        .group_by(group)
    ).all()
    return {str(g): int(n) for g, n in rows}


def funnel(session: Session, f: Filters, by: SplitBy | None = None) -> list[FunnelRow]:
    """One row for everything (by=None, group "all"), or one per channel / role / area / language."""
    group = _split_column(by)
    completed = func.sum(case((Conversation.status == "completed", 1), else_=0))
    keyword = func.sum(case((Conversation.event_id.is_(None), 1), else_=0))
    rows = session.execute(
        conversations_query(f, group, func.count(), completed, keyword)
        .where(has_answer())
        .group_by(group)
    ).all()
    started = {str(g): (int(n), int(c or 0), int(k or 0)) for g, n, c, k in rows}
    invited = _invited(session, f, by)
    groups = sorted(set(started) | set(invited or {})) if by else ["all"]
    return [
        FunnelRow(
            group=g,
            invited=None if invited is None else invited.get(g, 0),
            started=started.get(g, (0, 0, 0))[0],
            completed=started.get(g, (0, 0, 0))[1],
            not_invited=started.get(g, (0, 0, 0))[2],
        )
        for g in groups
    ]


@dataclass
class StepCounts:
    answered: int = 0  # conversations that reached the step and gave any reply, specials included
    values: Counter[str] = field(default_factory=Counter)  # option value / scale point -> count
    specials: Counter[str] = field(default_factory=Counter)  # skip, dont_know, ... -> count


def step_counts(session: Session, f: Filters) -> dict[str, StepCounts]:
    """Per question of the filtered conversations: how many chose each value.

    Values are encrypted, so the database counts answers and specials, and the values are counted
    here as they are read (one decryption per answer).
    """

    def answers(*columns: Any) -> Select[Any]:
        return conversations_query(f, *columns).join(
            Answer, Answer.conversation_id == Conversation.id
        )

    out: dict[str, StepCounts] = {}
    for step_id, special, n in session.execute(
        answers(Answer.step_id, Answer.special, func.count()).group_by(
            Answer.step_id, Answer.special
        )
    ):
        counts = out.setdefault(step_id, StepCounts())
        counts.answered += n
        if special is not None:
            counts.specials[special] += n
    for step_id, value in session.execute(
        answers(Answer.step_id, Answer.value).where(
            Answer.special.is_(None), Answer.value.is_not(None)
        )
    ):
        counts = out[step_id]
        if isinstance(value, list):  # multi_choice: each chosen option counts once
            for item in value:
                counts.values[str(item)] += 1
        else:
            counts.values[_key(value)] += 1
    return out


def _key(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)

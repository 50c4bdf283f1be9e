"""Free text waiting for a person: written with the message, read in the dashboard, riskiest first.

No detector catches every disclosure, so every free-text answer and every free message that became
no answer is kept here as unread until an officer who may see its area has read it.
"""

from __future__ import annotations

import statistics
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import case, func, select, update
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from storage.areas import area_of
from storage.db import is_postgres
from storage.models import Contact, Conversation, Message, ReadItem
from storage.reporting import Filters, conversations_query

YOUNG = "young_person"


def record(
    session: Session,
    *,
    kind: str,
    contact_id: int,
    conversation_id: int | None,
    message_id: int,
    answer_id: int | None,
    role: str,
    score: float,
    now: datetime,
) -> ReadItem:
    item = ReadItem(
        kind=kind,
        contact_id=contact_id,
        conversation_id=conversation_id,
        message_id=message_id,
        answer_id=answer_id,
        role=role,
        area=area_of(session, contact_id, conversation_id),
        score=score,
        arrived_at=now,
    )
    session.add(item)
    return item


def _in_scope(scope: frozenset[str] | None, lead: bool) -> ColumnElement[bool]:
    """Officers read their areas' words; leads and all-area officers read every area's."""
    if lead or scope is None:
        return ReadItem.id.is_not(None)
    return ReadItem.area.in_(sorted(scope))


@dataclass(frozen=True)
class Unread:
    item: ReadItem
    words: str
    pseudonym: str


def unread(
    session: Session,
    *,
    scope: frozenset[str] | None,
    lead: bool,
    young_first: bool,
    limit: int = 200,
) -> list[Unread]:
    """The riskiest first, then the oldest; young people's first of all when so configured."""
    order: list[Any] = []
    if young_first:
        order.append(case((ReadItem.role == YOUNG, 0), else_=1))
    order += [ReadItem.score.desc(), ReadItem.arrived_at, ReadItem.id]
    rows = session.execute(
        select(ReadItem, Message.body, Contact.pseudonym)
        .join(Message, Message.id == ReadItem.message_id)
        .outerjoin(Contact, Contact.id == ReadItem.contact_id)
        .where(ReadItem.read_at.is_(None), _in_scope(scope, lead))
        .order_by(*order)
        .limit(limit)
    ).all()
    return [Unread(item, body, pseudonym or "unknown") for item, body, pseudonym in rows]


@dataclass(frozen=True)
class AreaBacklog:
    area: str | None
    count: int
    oldest: datetime


def backlog(session: Session, *, scope: frozenset[str] | None, lead: bool) -> list[AreaBacklog]:
    """How many are unread in each area the officer may see, and since when."""
    rows = session.execute(
        select(ReadItem.area, func.count(ReadItem.id), func.min(ReadItem.arrived_at))
        .where(ReadItem.read_at.is_(None), _in_scope(scope, lead))
        .group_by(ReadItem.area)
        .order_by(func.min(ReadItem.arrived_at))
    ).all()
    return [AreaBacklog(area, count, oldest) for area, count, oldest in rows]


def mark_read(
    session: Session,
    ids: Collection[int],
    by: str,
    now: datetime,
    *,
    scope: frozenset[str] | None,
    lead: bool,
) -> list[int]:
    """Mark these read; returns the ids that were unread and in the officer's areas."""
    if not ids:
        return []
    return _mark(session, ReadItem.id.in_(sorted(ids)), by, now, _in_scope(scope, lead))


def mark_read_for_conversation(
    session: Session, conversation_id: int, by: str, now: datetime
) -> list[int]:
    """Opening a transcript reads every word in it (the caller checked it may be seen)."""
    return _mark(session, ReadItem.conversation_id == conversation_id, by, now, None)


def mark_read_for_answer(session: Session, answer_id: int, by: str, now: datetime) -> list[int]:
    """Coding an answer reads it (the caller checked it may be seen)."""
    return _mark(session, ReadItem.answer_id == answer_id, by, now, None)


def mark_read_for_answers(
    session: Session, answer_ids: Collection[int], by: str, now: datetime
) -> list[int]:
    """Tagging answers together reads them all (the caller checked they may be seen)."""
    if not answer_ids:
        return []
    return _mark(session, ReadItem.answer_id.in_(sorted(answer_ids)), by, now, None)


def _mark(
    session: Session,
    which: ColumnElement[bool],
    by: str,
    now: datetime,
    scope: ColumnElement[bool] | None,
) -> list[int]:
    query = update(ReadItem).where(which, ReadItem.read_at.is_(None))
    if scope is not None:
        query = query.where(scope)
    marked = session.scalars(
        query.values(read_at=now, read_by=by).returning(ReadItem.id),
        execution_options={"synchronize_session": False},
    ).all()
    return sorted(marked)


def overdue_count(session: Session, now: datetime, within: timedelta) -> int:
    return (
        session.scalar(
            select(func.count(ReadItem.id)).where(
                ReadItem.read_at.is_(None), ReadItem.arrived_at <= now - within
            )
        )
        or 0
    )


def reminders_due(
    session: Session, now: datetime, within: timedelta, *, limit: int = 1000
) -> list[ReadItem]:
    """Unread past the deadline and not yet reminded about: one reminder covers them all."""
    query = (
        select(ReadItem)
        .where(
            ReadItem.read_at.is_(None),
            ReadItem.reminded_at.is_(None),
            ReadItem.arrived_at <= now - within,
        )
        .order_by(ReadItem.arrived_at, ReadItem.id)
        .limit(limit)
    )
    if is_postgres(session):
        query = query.with_for_update(skip_locked=True)
    return list(session.scalars(query))


@dataclass(frozen=True)
class ReadFigures:
    """For a committee: how many of the families' own words a person read, and how soon."""

    total: int
    read: int
    read_within: int  # read within READ_WITHIN_HOURS
    median_hours: float | None
    max_hours: float | None

    @property
    def unread(self) -> int:
        return self.total - self.read


def figures(
    session: Session,
    within: timedelta,
    *,
    kind: str | None = None,
    filters: Filters | None = None,
) -> ReadFigures:
    """Over every item, or, when a report is filtered, over the words of the conversations it
    covers (free messages outside a conversation then belong to no report but the whole one)."""
    query = select(ReadItem.arrived_at, ReadItem.read_at)
    if kind is not None:
        query = query.where(ReadItem.kind == kind)
    if filters is not None and filters != Filters():
        covered = conversations_query(filters, Conversation.id)
        query = query.where(ReadItem.conversation_id.in_(covered))
    rows = session.execute(query).all()
    waits = [
        (read_at - arrived_at).total_seconds() / 3600
        for arrived_at, read_at in rows
        if read_at is not None
    ]
    limit = within.total_seconds() / 3600
    return ReadFigures(
        total=len(rows),
        read=len(waits),
        read_within=sum(1 for w in waits if w <= limit),
        median_hours=statistics.median(waits) if waits else None,
        max_hours=max(waits) if waits else None,
    )


def read_times(session: Session, answer_ids: Collection[int]) -> dict[int, datetime | None]:
    """{answer id: when a person read it, or None while unread}, for the free-text answers among
    these (other answers are not in the to-read list and are absent)."""
    if not answer_ids:
        return {}
    rows = session.execute(
        select(ReadItem.answer_id, ReadItem.read_at).where(
            ReadItem.answer_id.in_(sorted(answer_ids))
        )
    ).all()
    return {answer_id: read_at for answer_id, read_at in rows if answer_id is not None}

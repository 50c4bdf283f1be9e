"""Quotes approved for publication: one officer's decision per answer and theme, never automatic."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from storage.dashboard_models import Coding, PublishedQuote
from storage.models import Answer, Conversation
from storage.reporting import Filters, conversations_query


class NotCoded(ValueError):
    """Only an answer tagged with the theme can be quoted under it."""


def approve(
    session: Session, answer_id: int, theme_id: int, officer_id: int | None, now: datetime
) -> bool:
    """True when newly approved; already approved is not an error."""
    coded = session.scalar(
        select(Coding.id).where(Coding.answer_id == answer_id, Coding.theme_id == theme_id)
    )
    if coded is None:
        raise NotCoded(f"answer {answer_id} is not tagged with theme {theme_id}")
    exists = session.scalar(
        select(PublishedQuote.id).where(
            PublishedQuote.answer_id == answer_id, PublishedQuote.theme_id == theme_id
        )
    )
    if exists is not None:
        return False
    session.add(
        PublishedQuote(
            answer_id=answer_id, theme_id=theme_id, approved_by=officer_id, approved_at=now
        )
    )
    session.flush()
    return True


def withdraw(session: Session, answer_id: int, theme_id: int) -> bool:
    result = session.execute(
        delete(PublishedQuote).where(
            PublishedQuote.answer_id == answer_id, PublishedQuote.theme_id == theme_id
        )
    )
    return bool(getattr(result, "rowcount", 0))


def quotes(session: Session, theme_id: int, *, limit: int = 3) -> list[str]:
    """Approved quotes of a theme, most recently approved first (the caller redacts)."""
    rows = session.scalars(
        select(Answer.value)
        .join(PublishedQuote, PublishedQuote.answer_id == Answer.id)
        .where(PublishedQuote.theme_id == theme_id)
        .order_by(PublishedQuote.approved_at.desc(), PublishedQuote.id.desc())
        .limit(limit)
    ).all()
    return [str(v) for v in rows if v is not None]


def is_approved(session: Session, answer_ids: list[int]) -> set[tuple[int, int]]:
    """(answer id, theme id) pairs approved among these answers."""
    if not answer_ids:
        return set()
    rows = session.execute(
        select(PublishedQuote.answer_id, PublishedQuote.theme_id).where(
            PublishedQuote.answer_id.in_(answer_ids)
        )
    ).all()
    return {(a, t) for a, t in rows}


def tagged(
    session: Session, theme_id: int, scope: frozenset[str] | None, *, limit: int, offset: int = 0
) -> list[tuple[int, str]]:
    """(answer id, words) of the answers tagged with the theme that an officer with this scope may
    read, newest first: the candidates for quoting (the caller redacts)."""
    rows = session.execute(
        conversations_query(Filters(scope=scope), Answer.id, Answer.value)
        .join(Answer, Answer.conversation_id == Conversation.id)
        .join(Coding, Coding.answer_id == Answer.id)
        .where(Coding.theme_id == theme_id, Answer.value.is_not(None))
        .order_by(Answer.answered_at.desc(), Answer.id.desc())
        .limit(limit)
        .offset(offset)
    ).all()
    return [(int(a), str(v)) for a, v in rows]

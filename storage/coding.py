"""Coding free-text answers against a flow's themes, and the actions taken on each theme."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, delete, func, or_, select
from sqlalchemy.orm import Session

from storage import dialect
from storage.dashboard_models import ACTION_STATUSES, Action, Coding, NoTheme, Theme
from storage.models import Answer, Contact, Conversation
from storage.reporting import Filters, conversations_query


def create_theme(
    session: Session,
    *,
    flow_id: str,
    name: str,
    description: str | None,
    officer_id: int | None,
    now: dt.datetime,
) -> Theme:
    name = " ".join(name.split())
    if not name:
        raise ValueError("a theme needs a name")
    if len(name) > 80:
        raise ValueError("a theme name is at most 80 characters")
    taken = session.scalars(
        select(Theme.id).where(Theme.flow_id == flow_id, func.lower(Theme.name) == name.lower())
    ).first()
    if taken is not None:
        raise ValueError(f"this flow already has a theme called {name!r}")
    theme = Theme(
        flow_id=flow_id,
        name=name,
        description=(description or "").strip() or None,
        created_by=officer_id,
        created_at=now,
    )
    session.add(theme)
    session.flush()
    return theme


def themes_for(session: Session, flow_id: str) -> list[Theme]:
    return list(session.scalars(select(Theme).where(Theme.flow_id == flow_id).order_by(Theme.name)))


def get_theme(session: Session, theme_id: int) -> Theme | None:
    return session.get(Theme, theme_id)


@dataclass(frozen=True)
class FreeText:
    answer_id: int
    conversation_id: int
    pseudonym: str
    step_id: str
    text: str
    answered_at: dt.datetime


def free_text(
    session: Session,
    f: Filters,
    step_ids: Sequence[str],
    *,
    uncoded_only: bool = False,
    limit: int,
    offset: int = 0,
) -> tuple[list[FreeText], int]:
    """Free-text answers to these steps (newest first), and how many there are in all."""
    query = conversations_query(
        f,
        Answer.id,
        Conversation.id,
        Contact.pseudonym,
        Answer.step_id,
        Answer.value,
        Answer.answered_at,
    ).join(Answer, Answer.conversation_id == Conversation.id)
    query = query.where(
        Answer.step_id.in_(list(step_ids)), Answer.special.is_(None), Answer.value.is_not(None)
    )
    if uncoded_only:
        query = query.where(~coded(Answer.id))
    total = session.execute(
        select(func.count()).select_from(query.order_by(None).subquery())
    ).scalar_one()
    rows = session.execute(
        query.order_by(Answer.answered_at.desc(), Answer.id.desc()).limit(limit).offset(offset)
    ).all()
    return [FreeText(a, c, p, s, str(v), at) for a, c, p, s, v, at in rows], int(total)


def coded(answer_id: Any) -> ColumnElement[bool]:
    """An answer is coded once it has a theme, or was marked as having none."""
    return or_(
        select(Coding.id).where(Coding.answer_id == answer_id).exists(),
        select(NoTheme.id).where(NoTheme.answer_id == answer_id).exists(),
    )


def answer_in_scope(
    session: Session, answer_id: int, scope: frozenset[str] | None
) -> Answer | None:
    found = session.execute(
        conversations_query(Filters(scope=scope), Answer)
        .join(Answer, Answer.conversation_id == Conversation.id)
        .where(Answer.id == answer_id)
    ).scalar_one_or_none()
    return found


def codings_for(session: Session, answer_ids: Collection[int]) -> dict[int, set[int]]:
    found: dict[int, set[int]] = {a: set() for a in answer_ids}
    if not answer_ids:
        return found
    for answer_id, theme_id in session.execute(
        select(Coding.answer_id, Coding.theme_id).where(Coding.answer_id.in_(list(answer_ids)))
    ):
        found[answer_id].add(theme_id)
    return found


def answers_in_scope(
    session: Session, answer_ids: Collection[int], scope: frozenset[str] | None
) -> list[Answer]:
    """The free-text answers with these ids that an officer with this scope may code."""
    if not answer_ids:
        return []
    return list(
        session.scalars(
            conversations_query(Filters(scope=scope), Answer)
            .join(Answer, Answer.conversation_id == Conversation.id)
            .where(Answer.id.in_(sorted(answer_ids)), Answer.value.is_not(None))
            .order_by(Answer.id)
        )
    )


def no_theme_for(session: Session, answer_ids: Collection[int]) -> set[int]:
    if not answer_ids:
        return set()
    return set(
        session.scalars(select(NoTheme.answer_id).where(NoTheme.answer_id.in_(list(answer_ids))))
    )


def tag_many(
    session: Session,
    answers: Sequence[Answer],
    theme: Theme,
    *,
    officer_id: int | None,
    now: dt.datetime,
) -> int:
    """Add the theme to each answer (a "no theme" mark goes); how many newly carry it."""
    if any(a.flow_id != theme.flow_id for a in answers):
        raise ValueError(f"the theme {theme.name!r} belongs to another flow's coding frame")
    ids = sorted({a.id for a in answers})
    if not ids:
        return 0
    session.execute(delete(NoTheme).where(NoTheme.answer_id.in_(ids)))
    rows = [
        {"answer_id": a, "theme_id": theme.id, "officer_id": officer_id, "at": now} for a in ids
    ]
    added = session.execute(
        dialect.insert(session, Coding)
        .on_conflict_do_nothing(index_elements=["answer_id", "theme_id"])
        .returning(Coding.id),
        rows,
    ).all()
    session.flush()
    return len(added)


def untag_many(session: Session, answer_ids: Collection[int], theme_id: int) -> int:
    result = session.execute(
        delete(Coding).where(Coding.answer_id.in_(list(answer_ids)), Coding.theme_id == theme_id)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def mark_no_theme(
    session: Session, answer_ids: Collection[int], *, officer_id: int | None, now: dt.datetime
) -> int:
    """Read, and nothing in them to code ("ok"): their themes go, and they count as coded."""
    ids = sorted(set(answer_ids))
    if not ids:
        return 0
    session.execute(delete(Coding).where(Coding.answer_id.in_(ids)))
    rows = [{"answer_id": a, "officer_id": officer_id, "at": now} for a in ids]
    added = session.execute(
        dialect.insert(session, NoTheme)
        .on_conflict_do_nothing(index_elements=["answer_id"])
        .returning(NoTheme.id),
        rows,
    ).all()
    session.flush()
    return len(added)


def clear_no_theme(session: Session, answer_ids: Collection[int]) -> int:
    result = session.execute(delete(NoTheme).where(NoTheme.answer_id.in_(list(answer_ids))))
    return int(getattr(result, "rowcount", 0) or 0)


def set_codings(
    session: Session,
    answer: Answer,
    theme_ids: Collection[int],
    *,
    officer_id: int | None,
    now: dt.datetime,
) -> None:
    """Make the answer's themes exactly these; themes of another flow are refused."""
    wanted = set(theme_ids)
    allowed = set(
        session.scalars(
            select(Theme.id).where(Theme.flow_id == answer.flow_id, Theme.id.in_(list(wanted)))
        )
    )
    if wanted - allowed:
        raise ValueError("those themes do not belong to this flow's coding frame")
    session.execute(
        delete(Coding).where(Coding.answer_id == answer.id, Coding.theme_id.not_in(list(wanted)))
    )
    if wanted:
        session.execute(delete(NoTheme).where(NoTheme.answer_id == answer.id))
        rows = [
            {"answer_id": answer.id, "theme_id": t, "officer_id": officer_id, "at": now}
            for t in sorted(wanted)
        ]
        session.execute(
            dialect.insert(session, Coding).on_conflict_do_nothing(
                index_elements=["answer_id", "theme_id"]
            ),
            rows,
        )
    session.flush()


def theme_counts(session: Session, flow_id: str, f: Filters) -> list[tuple[Theme, int]]:
    """Each theme of the flow with how many answers (within the filters) carry it, most first."""
    counted = (
        conversations_query(f, Coding.theme_id, func.count(func.distinct(Answer.id)))
        .join(Answer, Answer.conversation_id == Conversation.id)
        .join(Coding, Coding.answer_id == Answer.id)
        .group_by(Coding.theme_id)
    )
    counts = {theme_id: int(n) for theme_id, n in session.execute(counted)}
    themes = themes_for(session, flow_id)
    return sorted(((t, counts.get(t.id, 0)) for t in themes), key=lambda tc: (-tc[1], tc[0].name))


@dataclass(frozen=True)
class ThemeTally:
    themes: list[tuple[Theme, int]]
    no_theme: int
    coded: int  # answers with a theme or marked "no theme": what percentages are of


def theme_tally(session: Session, flow_id: str, f: Filters) -> ThemeTally:
    """Theme counts with the answers coded "no theme" and how many answers are coded at all."""
    answers = (
        conversations_query(f, Answer.id)
        .join(Answer, Answer.conversation_id == Conversation.id)
        .where(Answer.flow_id == flow_id)
    )
    return ThemeTally(
        themes=theme_counts(session, flow_id, f),
        no_theme=_count(session, answers.join(NoTheme, NoTheme.answer_id == Answer.id)),
        coded=_count(session, answers.where(coded(Answer.id))),
    )


def _count(session: Session, query: Any) -> int:
    return int(
        session.execute(
            select(func.count()).select_from(query.order_by(None).subquery())
        ).scalar_one()
    )


def quotes(session: Session, theme_id: int, f: Filters, *, limit: int = 3) -> list[str]:
    """The latest answers tagged with the theme: the caller decides who may see them."""
    rows = session.scalars(
        conversations_query(f, Answer.value)
        .join(Answer, Answer.conversation_id == Conversation.id)
        .join(Coding, Coding.answer_id == Answer.id)
        .where(Coding.theme_id == theme_id, Answer.value.is_not(None))
        .order_by(Answer.answered_at.desc(), Answer.id.desc())
        .limit(limit)
    ).all()
    return [str(v) for v in rows]


def add_action(
    session: Session,
    *,
    theme: Theme,
    what: str,
    owner: str,
    status: str,
    date: dt.date | None,
    officer_id: int | None,
    now: dt.datetime,
) -> Action:
    what, owner = what.strip(), owner.strip()
    if not what or not owner:
        raise ValueError("an action needs what was done and who owns it")
    if status not in ACTION_STATUSES:
        raise ValueError(f"unknown status {status!r}")
    action = Action(
        theme_id=theme.id,
        what=what,
        owner=owner[:120],
        status=status,
        date=date,
        created_by=officer_id,
        created_at=now,
        updated_at=now,
    )
    session.add(action)
    session.flush()
    return action


def set_action_status(session: Session, action: Action, status: str, now: dt.datetime) -> None:
    if status not in ACTION_STATUSES:
        raise ValueError(f"unknown status {status!r}")
    action.status = status
    action.updated_at = now
    session.flush()


def get_action(session: Session, action_id: int) -> Action | None:
    return session.get(Action, action_id)


def actions_for(session: Session, flow_id: str | None = None) -> list[tuple[Action, Theme]]:
    query = select(Action, Theme).join(Theme, Theme.id == Action.theme_id)
    if flow_id is not None:
        query = query.where(Theme.flow_id == flow_id)
    rows = session.execute(query.order_by(Theme.flow_id, Theme.name, Action.id)).all()
    return [(a, t) for a, t in rows]

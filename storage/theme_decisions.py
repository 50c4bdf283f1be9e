"""Officers' decisions about suggested themes, one per suggestion of a question: accepted (the
theme it became), merged (with others, into one theme) or rejected. A suggestion is named by a
digest of its suggested name, so this table holds none of the answers' words."""

from __future__ import annotations

import hashlib
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from storage.dashboard_models import ThemeSuggestionDecision

DECISIONS = ("accepted", "merged", "rejected")


def key(name: str) -> str:
    return hashlib.sha256(name.encode()).hexdigest()[:32]


@dataclass(frozen=True)
class Decision:
    decision: str
    theme_id: int | None


def decisions(session: Session, flow_id: str, step_id: str) -> dict[str, Decision]:
    rows = session.scalars(
        select(ThemeSuggestionDecision).where(
            ThemeSuggestionDecision.flow_id == flow_id, ThemeSuggestionDecision.step_id == step_id
        )
    )
    return {r.suggestion: Decision(r.decision, r.theme_id) for r in rows}


def decide(
    session: Session,
    *,
    flow_id: str,
    step_id: str,
    suggestions: Collection[str],
    decision: str,
    theme_id: int | None,
    officer_id: int | None,
    now: datetime,
) -> None:
    """Record (or replace) the decision on each suggestion named."""
    if decision not in DECISIONS:
        raise ValueError(f"unknown decision {decision!r}")
    keys = sorted(set(suggestions))
    undo(session, flow_id=flow_id, step_id=step_id, suggestions=keys)
    for suggestion in keys:
        session.add(
            ThemeSuggestionDecision(
                flow_id=flow_id,
                step_id=step_id,
                suggestion=suggestion,
                decision=decision,
                theme_id=theme_id,
                officer_id=officer_id,
                at=now,
            )
        )
    session.flush()


def undo(session: Session, *, flow_id: str, step_id: str, suggestions: Collection[str]) -> int:
    """Forget the decisions (the theme an accepted suggestion became stays in the frame)."""
    result = session.execute(
        delete(ThemeSuggestionDecision).where(
            ThemeSuggestionDecision.flow_id == flow_id,
            ThemeSuggestionDecision.step_id == step_id,
            ThemeSuggestionDecision.suggestion.in_(sorted(set(suggestions))),
        )
    )
    return int(getattr(result, "rowcount", 0) or 0)

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import ReturningInsert

from storage import dialect
from storage.models import Answer, Conversation


def record(
    session: Session,
    *,
    conversation: Conversation,
    step_id: str,
    value: Any,
    special: str | None,
    raw_text: str | None,
    message_id: int | None,
    now: datetime,
) -> Answer:
    """Store the answer to one step. Answering a step again (after BACK) replaces the earlier
    answer, so each step counts once; `answered_at` keeps the first time it was answered."""
    if conversation in session.new:  # started in a batch that defers its flush
        session.flush()
    # One round trip, and a statement built once: the ORM builds the Answer from what the
    # upsert returns.
    return session.scalars(
        _upsert(session.get_bind().dialect.name),
        [
            {
                "conversation_id": conversation.id,
                "contact_id": conversation.contact_id,
                "flow_id": conversation.flow_id,
                "step_id": step_id,
                "value": value,
                "special": special,
                "raw_text": raw_text,
                "message_id": message_id,
                "answered_at": now,
                "updated_at": now,
            }
        ],
        execution_options={"populate_existing": True},
    ).one()


@cache
def _upsert(dialect_name: str) -> ReturningInsert[Answer]:
    stmt = dialect.insert_for(dialect_name, Answer)
    return stmt.on_conflict_do_update(
        index_elements=["conversation_id", "step_id"],
        set_={
            "value": stmt.excluded.value,
            "special": stmt.excluded.special,
            "raw_text": stmt.excluded.raw_text,
            "message_id": stmt.excluded.message_id,
            "updated_at": stmt.excluded.updated_at,
        },
    ).returning(Answer)


def for_conversation(session: Session, conversation_id: int) -> list[Answer]:
    return list(
        session.scalars(
            select(Answer).where(Answer.conversation_id == conversation_id).order_by(Answer.id)
        )
    )


def retract(session: Session, conversation_id: int, step_ids: Collection[str]) -> int:
    """Forget the answers to these steps (the person went BACK or restarted); returns how many
    were removed."""
    if not step_ids:
        return 0
    removed = session.scalars(
        delete(Answer)
        .where(Answer.conversation_id == conversation_id, Answer.step_id.in_(list(step_ids)))
        .returning(Answer.id)
    ).all()
    return len(removed)

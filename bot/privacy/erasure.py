"""Removing what identifies a person, shared by retention and by a request to be forgotten."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, update
from sqlalchemy.orm import Session

from flows.library import FlowLibrary
from flows.schema import StepType
from storage import followups as followups_repo
from storage.models import (
    Answer,
    ChannelIdentity,
    Contact,
)

ERASED = "erased"  # the `special` of a free-text answer whose words were removed


def free_text_steps(library: FlowLibrary) -> dict[str, set[str]]:
    """flow id -> ids of its free-text steps: answers there may hold names, places, anything."""
    return {f.id: {s.id for s in f.steps if s.type is StepType.TEXT} for f in library}


def erase_free_text(session: Session, library: FlowLibrary, where: Any) -> int:
    erased = 0
    for flow_id, steps in free_text_steps(library).items():
        if not steps:
            continue
        result = session.execute(
            update(Answer)
            .where(
                where,
                Answer.flow_id == flow_id,
                Answer.step_id.in_(steps),
                Answer.value.is_not(None),
            )
            .values(value=None, special=ERASED)
        )
        erased += int(getattr(result, "rowcount", 0) or 0)
    # Raw replies are message bodies in all but name.
    session.execute(update(Answer).where(where).values(raw_text=None))
    return erased


def strip_identifiers(session: Session, contact_id: int, now: datetime) -> int:
    removed = session.execute(
        delete(ChannelIdentity).where(ChannelIdentity.contact_id == contact_id)
    )
    session.execute(
        update(Contact).where(Contact.id == contact_id).values(display_name_enc=None, erased_at=now)
    )
    followups_repo.cancel_open(session, contact_id, "identifiers erased", now)
    return int(getattr(removed, "rowcount", 0) or 0)

"""Files with people's data written to disk, and whose data each holds."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import exists, insert, select, update
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from storage.models import Contact, ExportFile, ExportFileContact

KINDS = ("responses", "subject_access")


def record(
    session: Session,
    *,
    path: str,
    kind: str,
    identified: bool,
    actor: str,
    contact_ids: Iterable[int],
    now: datetime,
) -> ExportFile:
    """People already erased are not counted as held: what the file has of them is what the
    database keeps too (a pseudonym and anonymised answers)."""
    if kind not in KINDS:
        raise ValueError(f"unknown export kind {kind!r}; expected one of {KINDS}")
    file = ExportFile(path=path, kind=kind, identified=identified, actor=actor, written_at=now)
    session.add(file)
    session.flush()
    ids = sorted(set(contact_ids))
    held = session.scalars(
        select(Contact.id).where(Contact.id.in_(ids), Contact.erased_at.is_(None))
    ).all()
    if held:
        session.execute(
            insert(ExportFileContact), [{"file_id": file.id, "contact_id": c} for c in held]
        )
    return file


def holding(contact: ColumnElement[bool]) -> ColumnElement[bool]:
    """The condition on ExportFile: it holds someone who meets `contact` (a condition on Contact)."""
    return exists().where(
        ExportFileContact.file_id == ExportFile.id,
        ExportFileContact.contact_id == Contact.id,
        contact,
    )


def present(session: Session, where: ColumnElement[bool]) -> list[ExportFile]:
    """Files not yet removed that meet the condition, oldest first."""
    return list(
        session.scalars(
            select(ExportFile).where(ExportFile.removed_at.is_(None), where).order_by(ExportFile.id)
        )
    )


def mark_removed(session: Session, file_ids: list[int], because: str, now: datetime) -> None:
    if file_ids:
        session.execute(
            update(ExportFile)
            .where(ExportFile.id.in_(file_ids))
            .values(removed_at=now, removed_because=because)
        )

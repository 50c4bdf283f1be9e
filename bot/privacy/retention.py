"""Retention: everything past its time is purged; anonymised answers stay for statistics.

The purge works in bounded batches, each its own short transaction, so replies arriving while it
runs wait for one batch at most, never for the whole purge. Each batch finishes a whole piece of
work (a person's identifiers and planned follow-ups go together), and what is left to do is found
again from the data itself, so a purge killed part-way is finished by running it again.

The dry run counts with the same conditions the real run acts on, batch for batch, so its figures
are the real run's figures.

Kept on purpose: safeguarding flags (councils keep safeguarding records under their own, longer,
retention rules; the words a lead must read are never deleted by housekeeping) and the audit log
(the proof of what was done, including this purge).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    Text,
    and_,
    case,
    cast,
    delete,
    exists,
    false,
    func,
    null,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.sql.elements import ColumnElement

from bot.privacy.erasure import ERASED, free_text_steps
from bot.privacy.files import FileFate, foresee, remove_files
from flows.library import FlowLibrary
from storage import audit, export_files
from storage import followups as followups_repo
from storage.models import (
    Answer,
    ChannelIdentity,
    Contact,
    Conversation,
    DeliveryReceipt,
    ExportFile,
    FollowUp,
    Message,
)

BATCH_SIZE = 1000
ACTION = "retention_purge"

# Told, after each batch committed, how many of the report's figures it added (see `total`).
Progress = Callable[[int], None]


@dataclass
class PurgeReport:
    messages: int = 0  # deleted
    receipts: int = 0  # delivery receipts deleted
    free_text_answers: int = 0  # free-text answers whose words were erased
    typed_answers: int = 0  # answers whose reply as typed was erased
    conversations: int = 0  # conversation states cleared (they hold names and answers)
    contacts: int = 0  # people whose identifiers were removed
    identities: int = 0  # numbers and chat ids deleted
    follow_ups: int = 0  # planned follow-ups cancelled for people no longer reachable
    export_files: int = 0  # files on disk deleted (or found already gone)
    files: list[FileFate] = field(default_factory=list)  # each of them, by path

    def figures(self) -> dict[str, int]:
        return {f.name: getattr(self, f.name) for f in fields(self) if f.type == "int"}

    def total(self) -> int:
        return sum(self.figures().values())


@dataclass(frozen=True)
class _Rules:
    """The conditions each part of the purge acts on; the dry run counts with the same ones."""

    cutoff: datetime
    library: FlowLibrary

    def old_message(self) -> ColumnElement[bool]:
        return Message.created_at < self.cutoff

    def old_receipt(self) -> ColumnElement[bool]:
        return DeliveryReceipt.received_at < self.cutoff

    def free_text(self) -> ColumnElement[bool]:
        steps = [
            and_(Answer.flow_id == flow_id, Answer.step_id.in_(sorted(ids)))
            for flow_id, ids in sorted(free_text_steps(self.library).items())
            if ids
        ]
        words = or_(*steps) if steps else false()
        return and_(Answer.answered_at < self.cutoff, words, Answer.value.is_not(None))

    def typed(self) -> ColumnElement[bool]:
        # Raw replies are message bodies in all but name.
        return and_(Answer.answered_at < self.cutoff, Answer.raw_text.is_not(None))

    def old_conversation(self) -> ColumnElement[bool]:
        # The state holds the person's first name and every answer as given: clear it, and make
        # sure nothing wakes a conversation whose memory is gone.
        return and_(
            Conversation.updated_at < self.cutoff,
            or_(
                cast(Conversation.state, Text) != "{}",
                Conversation.status.in_(("active", "paused")),
                Conversation.wake_at.is_not(None),
            ),
        )

    def old_export_file(self) -> ColumnElement[bool]:
        # A file past retention itself, or one holding someone whose identifiers are gone (erased
        # by an earlier run or a request) or go in this run.
        return or_(
            ExportFile.written_at < self.cutoff,
            export_files.holding(or_(Contact.erased_at.is_not(None), self.stale_contact())),
        )

    def stale_contact(self) -> ColumnElement[bool]:
        # Everyone whose last sign of life is older than the cutoff loses their identifiers.
        recent = exists().where(Message.contact_id == Contact.id, Message.created_at >= self.cutoff)
        return and_(Contact.erased_at.is_(None), Contact.updated_at < self.cutoff, ~recent)


def _count(session: Session, column: Any, *where: ColumnElement[bool]) -> int:
    return int(session.scalar(select(func.count(column)).where(*where)) or 0)


def _per_contact(column: Any, *where: ColumnElement[bool]) -> Any:
    return select(func.count(column)).where(*where).correlate(Contact).scalar_subquery()


def count(
    session: Session, library: FlowLibrary, *, retention_days: int, now: datetime
) -> PurgeReport:
    """What a purge at `now` would do, figure for figure; changes nothing."""
    rules = _Rules(now - timedelta(days=retention_days), library)
    # One pass over each table: the dry run should not cost more than a slice of the real run.
    free_text, typed = session.execute(
        select(
            func.count(Answer.id).filter(rules.free_text()),
            func.count(Answer.id).filter(rules.typed()),
        ).where(or_(rules.free_text(), rules.typed()))
    ).one()
    contacts, identities, follow_ups = session.execute(
        select(
            func.count(Contact.id),
            func.coalesce(
                func.sum(
                    _per_contact(ChannelIdentity.id, ChannelIdentity.contact_id == Contact.id)
                ),
                0,
            ),
            func.coalesce(
                func.sum(
                    _per_contact(
                        FollowUp.id,
                        FollowUp.contact_id == Contact.id,
                        FollowUp.status.in_(followups_repo.OPEN),
                    )
                ),
                0,
            ),
        ).where(rules.stale_contact())
    ).one()
    found = foresee(export_files.present(session, rules.old_export_file()))
    return PurgeReport(
        messages=_count(session, Message.id, rules.old_message()),
        receipts=_count(session, DeliveryReceipt.id, rules.old_receipt()),
        free_text_answers=int(free_text),
        typed_answers=int(typed),
        conversations=_count(session, Conversation.id, rules.old_conversation()),
        contacts=int(contacts),
        identities=int(identities),
        follow_ups=int(follow_ups),
        export_files=len(found),
        files=found,
    )


Act = Callable[[Session, list[int]], None]


@dataclass(frozen=True)
class _Run:
    session_factory: sessionmaker[Session]
    size: int
    after_batch: Callable[[float], None]  # told how long the batch held its transaction

    def each_batch(self, id_column: Any, where: ColumnElement[bool], act: Act) -> None:
        """Act on each batch of matching ids, in id order, one transaction a batch."""
        after = 0
        while True:
            began = time.monotonic()
            with self.session_factory.begin() as session:
                ids = list(
                    session.scalars(
                        select(id_column)
                        .where(where, id_column > after)
                        .order_by(id_column)
                        .limit(self.size)
                    )
                )
                if not ids:
                    return
                act(session, ids)
            after = ids[-1]
            self.after_batch(time.monotonic() - began)


def _rows(result: Any) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


def _purge_messages(rules: _Rules, run: _Run, report: PurgeReport) -> None:
    def act(session: Session, ids: list[int]) -> None:
        report.messages += _rows(session.execute(delete(Message).where(Message.id.in_(ids))))

    run.each_batch(Message.id, rules.old_message(), act)


def _purge_receipts(rules: _Rules, run: _Run, report: PurgeReport) -> None:
    def act(session: Session, ids: list[int]) -> None:
        report.receipts += _rows(
            session.execute(delete(DeliveryReceipt).where(DeliveryReceipt.id.in_(ids)))
        )

    run.each_batch(DeliveryReceipt.id, rules.old_receipt(), act)


def _purge_answers(rules: _Rules, run: _Run, report: PurgeReport) -> None:
    free_text, typed = rules.free_text(), rules.typed()

    def act(session: Session, ids: list[int]) -> None:
        mine = Answer.id.in_(ids)
        words, replies = session.execute(
            select(
                func.count(Answer.id).filter(free_text), func.count(Answer.id).filter(typed)
            ).where(mine)
        ).one()
        report.free_text_answers += int(words)
        report.typed_answers += int(replies)
        # One write a row (each UPDATE writes the row anew). Its message goes next: letting go of
        # it here spares the database setting it to NULL row by row when the message is deleted.
        session.execute(
            update(Answer)
            .where(mine)
            .values(
                value=case((free_text, null()), else_=Answer.value),
                special=case((free_text, ERASED), else_=Answer.special),
                raw_text=None,
                message_id=None,
            )
        )

    run.each_batch(Answer.id, or_(free_text, typed), act)


def _purge_conversations(rules: _Rules, run: _Run, report: PurgeReport) -> None:
    waiting = Conversation.status.in_(("active", "paused"))

    def act(session: Session, ids: list[int]) -> None:
        report.conversations += _rows(
            session.execute(
                update(Conversation)
                .where(Conversation.id.in_(ids), rules.old_conversation())
                .values(
                    state={},
                    status=case((waiting, "expired"), else_=Conversation.status),
                    ended_at=func.coalesce(Conversation.ended_at, Conversation.updated_at),
                    wake_at=None,
                )
            )
        )

    run.each_batch(Conversation.id, rules.old_conversation(), act)


def _purge_contacts(rules: _Rules, run: _Run, report: PurgeReport, now: datetime) -> None:
    def act(session: Session, ids: list[int]) -> None:
        # Checked again as it is changed: someone may have replied since the batch was chosen.
        erased = list(
            session.scalars(
                update(Contact)
                .where(Contact.id.in_(ids), rules.stale_contact())
                .values(display_name_enc=None, erased_at=now)
                .returning(Contact.id)
            )
        )
        if not erased:
            return
        report.contacts += len(erased)
        report.identities += _rows(
            session.execute(delete(ChannelIdentity).where(ChannelIdentity.contact_id.in_(erased)))
        )
        report.follow_ups += _rows(
            session.execute(
                update(FollowUp)
                .where(FollowUp.contact_id.in_(erased), FollowUp.status.in_(followups_repo.OPEN))
                .values(status="cancelled", reason="identifiers erased", updated_at=now)
            )
        )

    run.each_batch(Contact.id, rules.stale_contact(), act)


def _purge_export_files(rules: _Rules, run: _Run, report: PurgeReport, now: datetime) -> None:
    began = time.monotonic()
    with run.session_factory.begin() as session:
        fates = remove_files(
            session, export_files.present(session, rules.old_export_file()), ACTION, now
        )
    report.files += fates
    report.export_files += len(fates)
    run.after_batch(time.monotonic() - began)


def purge(
    session_factory: sessionmaker[Session],
    library: FlowLibrary,
    *,
    retention_days: int,
    now: datetime,
    dry_run: bool,
    batch_size: int = BATCH_SIZE,
    progress: Progress | None = None,
    actor: str = "housekeeping",
) -> PurgeReport:
    """Delete messages and identifiers past retention, and every copy of what people wrote.

    Structured answers stay, anonymised, for statistics. Records its figures in the audit log.
    """
    if dry_run:
        with session_factory() as session:
            return count(session, library, retention_days=retention_days, now=now)
    rules = _Rules(now - timedelta(days=retention_days), library)
    report = PurgeReport()
    started = time.monotonic()
    batches = 0
    reported = 0
    longest = 0.0

    def after_batch(held: float) -> None:
        nonlocal batches, reported, longest
        batches += 1
        longest = max(longest, held)
        if progress is not None:
            progress(report.total() - reported)
        reported = report.total()

    run = _Run(session_factory, batch_size, after_batch)
    phases: dict[str, float] = {}
    steps: list[tuple[str, Callable[[], None]]] = [
        ("answers", lambda: _purge_answers(rules, run, report)),
        ("messages", lambda: _purge_messages(rules, run, report)),
        ("receipts", lambda: _purge_receipts(rules, run, report)),
        ("conversations", lambda: _purge_conversations(rules, run, report)),
        ("contacts", lambda: _purge_contacts(rules, run, report, now)),
        ("export files", lambda: _purge_export_files(rules, run, report, now)),
    ]
    for name, phase in steps:
        began = time.monotonic()
        phase()
        phases[name] = round(time.monotonic() - began, 1)
    with session_factory.begin() as session:
        audit.record(
            session,
            actor=actor,
            action=ACTION,
            now=now,
            detail={
                "cutoff": rules.cutoff.isoformat(),
                "retention_days": retention_days,
                **report.figures(),
                "batches": batches,
                # How long a reply could have waited behind the purge, at most.
                "longest_batch_ms": round(1000 * longest),
                "seconds": round(time.monotonic() - started, 1),
                "phase_seconds": phases,
                # By id: the paths stay out of the log (officers name files after people).
                "files": [f.audited() for f in report.files],
            },
        )
    return report

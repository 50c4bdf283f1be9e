"""What the follow-up jobs would do at a given time, without doing it.

The real jobs run at that time inside one database transaction that is rolled back at the end, with
no channel to send through: officers see exactly what the scheduler would decide (the same code
makes the decisions), and nothing is written, queued or sent. A real run only ever uses the real
clock, so a pretend time never reaches live records.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.followups.runner import FollowUpReport, FollowUpRunner
from bot.services import Services, configured_channels
from storage import followups as followups_repo
from storage.models import Contact, Event, FollowUp, Message


@dataclass
class Group:
    """Requests of one kind for one event that would end the same way, and whose they are."""

    event_id: int
    event_title: str
    kind: str
    outcome: str  # sent, postponed, skipped, cancelled, expired
    reason: str | None
    pseudonyms: list[str] = field(default_factory=list)


@dataclass
class Preview:
    at: datetime
    report: FollowUpReport
    groups: list[Group]
    conversations_expired: int
    messages_queued: int


def preview(services: Services, at: datetime) -> Preview:
    """The follow-up pass and the conversation expiry as they would run at `at`, all undone.

    `services` are built with no senders and a clock standing at `at` (what the flows read)."""
    with _rolled_back(services) as sandbox:
        due = _due(sandbox.session_factory, at)
        with sandbox.session_factory() as session:
            last_message = session.scalar(select(func.max(Message.id))) or 0
        runner = FollowUpRunner(sandbox)
        expired = runner.expire_due(at)
        report = runner.run_due(at)
        with sandbox.session_factory() as session:
            groups = _outcomes(session, due)
            queued = session.scalar(
                select(func.count())
                .select_from(Message)
                .where(Message.id > last_message, Message.direction == "out")
            )
    return Preview(at, report, groups, expired, int(queued or 0))


@contextmanager
def _rolled_back(services: Services) -> Iterator[Services]:
    """The services with their database work in one outer transaction, rolled back on leaving;
    the jobs' own transactions become savepoints inside it. No senders, no delivery."""
    if services.senders:
        raise ValueError("a preview must have nothing to send with")
    with services.engine.connect() as connection:
        outer = connection.begin()
        try:
            factory: sessionmaker[Session] = sessionmaker(
                **{
                    **services.session_factory.kw,
                    "bind": connection,
                    "join_transaction_mode": "create_savepoint",
                }
            )
            # Plan as the real pass would: for the channels the settings send on.
            yield dataclasses.replace(
                services,
                session_factory=factory,
                reachable=configured_channels(services.settings),
            )
        finally:
            outer.rollback()


def _due(factory: sessionmaker[Session], at: datetime) -> list[int]:
    """The requests the pass at `at` would take up (as storage.followups.claim_due picks them)."""
    with factory() as session:
        return list(session.scalars(followups_repo.due(at).with_only_columns(FollowUp.id)))


def _outcomes(session: Session, due: list[int]) -> list[Group]:
    groups: dict[tuple[int, str, str, str | None], Group] = {}
    for start in range(0, len(due), 1000):
        rows = session.execute(
            select(FollowUp, Event.title, Contact.pseudonym)
            .join(Event, Event.id == FollowUp.event_id)
            .join(Contact, Contact.id == FollowUp.contact_id)
            .where(FollowUp.id.in_(due[start : start + 1000]))
        )
        for row, title, pseudonym in rows:
            # A postponed request is pending again, due later.
            outcome = "postponed" if row.status == "pending" else row.status
            key = (row.event_id, row.kind, outcome, row.reason)
            group = groups.get(key)
            if group is None:
                group = groups[key] = Group(row.event_id, title, row.kind, outcome, row.reason)
            group.pseudonyms.append(pseudonym)
    for group in groups.values():
        group.pseudonyms.sort()
    return sorted(groups.values(), key=lambda g: (g.event_id, g.kind, g.outcome, g.reason or ""))

"""Import an event's attendees from CSV or a workbook: everyone in one transaction, or (if any row is
wrong) nobody. Someone who came but did not agree to be contacted is recorded (they count in
attendance) and is never sent anything for the event.

A county consultation can list thousands of families, so the writes go in batches of a few
statements each rather than a dozen statements a person.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TypeVar

from sqlalchemy import insert, select
from sqlalchemy.orm import Session, sessionmaker

from bot.followups.attendee_rows import (
    COLUMNS,
    CheckResult,
    CsvFile,
    ImportFileError,
    Person,
    RowProblem,
    check,
    read_csv,
)
from storage import dialect, events, followups
from storage.crypto import IdentifierCipher, cipher_of
from storage.models import ChannelIdentity, Contact, Event, new_pseudonym

__all__ = [
    "COLUMNS",
    "CheckResult",
    "ImportConflict",
    "ImportFileError",
    "ImportReport",
    "Person",
    "RowProblem",
    "check",
    "import_attendees",
]

CONSENT_SOURCE = "attendee_import"
ATTENDEE_SOURCE = "import"
NO_CONSENT_REASON = "did not agree to be contacted (attendee list)"
BATCH = 500  # people per batch; also bounds the parameters of each IN (...)

T = TypeVar("T")


class ImportConflict(RuntimeError):
    """Someone got in touch from a number in the file while it was being imported."""


@dataclass
class ImportReport:
    encoding: str
    rows: int = 0
    new_attendees: int = 0
    already_attending: int = 0
    new_contacts: int = 0
    followups_planned: int = 0
    opted_out: int = 0  # imported, but they asked us to stop earlier and will not be contacted
    no_consent: int = 0  # came, but did not agree to be contacted: recorded, never sent anything
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _batches(items: Sequence[T]) -> Iterable[Sequence[T]]:
    for start in range(0, len(items), BATCH):
        yield items[start : start + BATCH]


def _channel(person: Person) -> str:
    if person.channel is not None:
        return person.channel
    if person.telegram and person.role == "young_person":
        return "telegram"
    return "whatsapp" if person.whatsapp else "sms"


def _owners(session: Session, channel: str, addresses: Sequence[str]) -> dict[str, int]:
    # Stored addresses are encrypted; the keyed hashes (under every configured key) find them.
    cipher = cipher_of(session)
    by_hash = {h: address for address in set(addresses) for h in cipher.lookups(address)}
    owners: dict[str, int] = {}
    for chunk in _batches(sorted(by_hash)):
        rows = session.execute(
            select(ChannelIdentity.address_hash, ChannelIdentity.contact_id).where(
                ChannelIdentity.channel == channel, ChannelIdentity.address_hash.in_(chunk)
            )
        )
        owners.update({by_hash[address_hash]: contact_id for address_hash, contact_id in rows})
    return owners


def _identity(
    cipher: IdentifierCipher,
    contact_id: int,
    channel: str,
    address: str,
    now: datetime,
    consent: bool = True,
) -> dict[str, object]:
    return {
        "contact_id": contact_id,
        "channel": channel,
        "address_hash": cipher.lookup(address),
        "address_enc": cipher.encrypt(address),
        "created_at": now,
        # Agreed to be contacted, at the address given for this channel (SMS fallback asks).
        "opted_in_at": now if consent else None,
        "opt_in_source": CONSENT_SOURCE if consent else None,
    }


class _Known:
    """Who the database already knows, looked up for the whole file in a few queries."""

    def __init__(self, session: Session, people: Sequence[Person]) -> None:
        self.sms = _owners(session, "sms", [p.phone for p in people if p.phone])
        self.telegram = _owners(session, "telegram", [p.telegram for p in people if p.telegram])
        self.whatsapp = _owners(session, "whatsapp", [p.whatsapp for p in people if p.whatsapp])
        self.contacts: dict[int, Contact] = {}
        known = {*self.sms.values(), *self.telegram.values(), *self.whatsapp.values()}
        for chunk in _batches(sorted(known)):
            for contact in session.scalars(select(Contact).where(Contact.id.in_(chunk))):
                self.contacts[contact.id] = contact

    def contact_id(self, person: Person) -> int | None:
        channel, address = person.key
        return {"sms": self.sms, "whatsapp": self.whatsapp, "telegram": self.telegram}[channel].get(
            address
        )

    def conflicts(self, people: Iterable[Person]) -> list[RowProblem]:
        problems = []
        rows_of: dict[int, int] = {}
        for person in people:
            owner = self.telegram.get(person.telegram) if person.telegram else None
            if person.phone and owner is not None and owner != self.sms.get(person.phone):
                problems.append(
                    RowProblem(
                        person.row,
                        "telegram",
                        f"chat id {person.telegram!r} already belongs to another person "
                        f"(contact {self.contacts[owner].pseudonym}); check the phone and chat id",
                    )
                )
                continue
            contact_id = self.contact_id(person)
            if contact_id is None:
                continue
            first = rows_of.setdefault(contact_id, person.row)
            if first != person.row:
                problems.append(
                    RowProblem(
                        person.row,
                        "phone" if person.phone else "telegram",
                        f"row {first} is the same person: we already link this "
                        f"{'number' if person.phone else 'chat id'} to them",
                    )
                )
        return problems


def _update(contact: Contact, person: Person, now: datetime, cipher: IdentifierCipher) -> None:
    wanted: dict[str, object] = {
        "role": person.role,
        "preferred_language": person.language,
        "preferred_channel": _channel(person),
    }
    if contact.consent_at is None and person.consent:
        # The first recorded consent stays: re-importing a file must not rewrite its date.
        wanted |= {"consent_at": now, "consent_source": CONSENT_SOURCE}
    changed = False
    for attribute, value in wanted.items():
        if getattr(contact, attribute) != value:
            setattr(contact, attribute, value)
            changed = True
    # An empty name in the file must not wipe one we already have.
    if person.name and person.name != contact.display_name:
        contact.set_display_name(person.name, cipher)
        changed = True
    if changed:
        contact.updated_at = now


def _create_contacts(
    session: Session, people: Sequence[Person], now: datetime, cipher: IdentifierCipher
) -> list[int]:
    if not people:
        return []
    rows = [
        {
            "pseudonym": new_pseudonym(),
            "role": p.role,
            "preferred_language": p.language,
            "preferred_channel": _channel(p),
            "display_name_enc": cipher.encrypt(p.name) if p.name else None,
            "consent_at": now if p.consent else None,
            "consent_source": CONSENT_SOURCE if p.consent else None,
            "created_at": now,
            "updated_at": now,
        }
        for p in people
    ]
    statement = insert(Contact).returning(Contact.id, sort_by_parameter_order=True)
    return list(session.scalars(statement, rows).all())


def _link(session: Session, identities: list[dict[str, object]]) -> None:
    if not identities:
        return
    added = session.execute(
        dialect.insert(session, ChannelIdentity)
        .on_conflict_do_nothing(index_elements=["channel", "address_hash"])
        .returning(ChannelIdentity.id),
        identities,
    ).all()
    if len(added) != len(identities):
        # Only possible on PostgreSQL, where an inbound message can land between our
        # look-up and this insert; SQLite's BEGIN IMMEDIATE keeps other writers out.
        raise ImportConflict(
            "someone got in touch from a number in the file during the import, so nothing was "
            "imported; run the import again"
        )


def _write_batch(
    session: Session,
    event: Event,
    people: Sequence[Person],
    known: _Known,
    report: ImportReport,
    now: datetime,
) -> None:
    cipher = cipher_of(session)
    fresh = [p for p in people if known.contact_id(p) is None]
    created = dict(
        zip([p.row for p in fresh], _create_contacts(session, fresh, now, cipher), strict=True)
    )
    report.new_contacts += len(created)
    identities: list[dict[str, object]] = []
    attendance: dict[bool, list[tuple[int, str]]] = {True: [], False: []}
    for person in people:
        existing = known.contact_id(person)
        if existing is not None:
            contact = known.contacts[existing]
            _update(contact, person, now, cipher)
            report.opted_out += person.consent and contact.opted_out_at is not None
            contact_id = existing
        else:
            contact_id = created[person.row]
            channel, address = person.key
            identities.append(_identity(cipher, contact_id, channel, address, now, person.consent))
        if person.phone and person.telegram and person.telegram not in known.telegram:
            identities.append(
                _identity(cipher, contact_id, "telegram", person.telegram, now, person.consent)
            )
        if (
            person.whatsapp
            and person.key[0] != "whatsapp"
            and person.whatsapp not in known.whatsapp
        ):
            identities.append(
                _identity(cipher, contact_id, "whatsapp", person.whatsapp, now, person.consent)
            )
        attendance[person.consent].append((contact_id, person.role))
    session.flush()
    _link(session, identities)
    for consent, came in attendance.items():
        new = events.add_attendees(
            session, event, came, consent=consent, source=ATTENDEE_SOURCE, now=now
        )
        report.new_attendees += new
        report.already_attending += len(came) - new
        # The latest list says who agreed: an earlier answer for this event is replaced.
        changed = events.set_consent(session, event.id, [c for c, _ in came], consent)
        if not consent and changed:
            followups.cancel_for_event(
                session, event.id, NO_CONSENT_REASON, now, contact_ids=changed
            )
    report.no_consent += len(attendance[False])
    report.followups_planned += followups.plan_many(
        session, event, [contact_id for contact_id, _ in attendance[True]], now
    )


def import_attendees(
    session_factory: sessionmaker[Session],
    event_id: int,
    path: str | Path | CsvFile,
    *,
    region: str,
    now: datetime,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Everyone in the file, or nobody when any row has a problem (listed in the report).

    `path` is a file to read, or a table already read (an upload). `progress(n)` is told each
    time n more people have been written. Raises ImportFileError when the file is not a readable
    table, LookupError when there is no such event, ValueError when the event was cancelled, and
    ImportConflict when a new contact raced the import (nothing is written; run it again).
    """
    file = path if isinstance(path, CsvFile) else read_csv(path)
    report = ImportReport(file.encoding)
    report.rows = sum(1 for row in file.rows if any(v.strip() for v in row.values()))
    checked = check(file.rows, region)
    if checked.problems:
        report.problems = checked.problems
        return report
    with session_factory() as session, session.begin():
        event = events.get(session, event_id)
        if event is None:
            raise LookupError(f"there is no event {event_id}")
        if event.cancelled_at is not None:
            raise ValueError("this event was cancelled: nobody can be added to it")
        known = _Known(session, checked.people)
        report.problems = known.conflicts(checked.people)
        if report.problems:
            return report
        for batch in _batches(checked.people):
            _write_batch(session, event, batch, known, report, now)
            if progress is not None:
                progress(len(batch))
    return report

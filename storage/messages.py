from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any, Literal, Protocol, TypeVar, cast

from sqlalchemy import CursorResult, Select, Table, and_, bindparam, case, or_, select, update
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import ReturningInsert

from storage import dialect
from storage.crypto import cipher_of
from storage.db import flush
from storage.models import ChannelIdentity, Contact, Conversation, Message

PENDING: tuple[str, ...] = ("queued", "sending")
# Provider receipts can arrive out of order; a final verdict is never replaced by "sent".
_FINAL: tuple[str, ...] = ("delivered", "read", "undelivered", "failed", "cancelled")

DeliveryStatus = Literal["sent", "delivered", "read", "undelivered", "failed"]
DELIVERY_STATUSES: dict[str, DeliveryStatus] = {
    "sent": "sent",
    "delivered": "delivered",
    "read": "read",  # WhatsApp only
    "undelivered": "undelivered",
    "failed": "failed",
}


def record_inbound(
    session: Session,
    *,
    channel: str,
    provider_id: str | None,
    body: str,
    contact_id: int | None,
    identity_id: int | None,
    meta: dict[str, Any],
    now: datetime,
    conversation_id: int | None = None,
) -> Message | None:
    """The stored inbound message, or None if this provider id was already recorded:
    providers redeliver webhooks, and a redelivery must not be answered twice."""
    # One round trip, and a statement built once: the ORM builds the Message from what the
    # insert returns (nothing, for a redelivery).
    return session.scalars(
        _insert_inbound(session.get_bind().dialect.name),
        [
            {
                "channel": channel,
                "direction": "in",
                "provider_id": provider_id,
                "body": body,
                "contact_id": contact_id,
                "identity_id": identity_id,
                "conversation_id": conversation_id,
                "meta": meta,
                "status": "received",
                "attempts": 0,
                "created_at": now,
                "status_updated_at": now,
            }
        ],
    ).one_or_none()


@cache
def _insert_inbound(dialect_name: str) -> ReturningInsert[Message]:
    return (
        dialect.insert_for(dialect_name, Message)
        .on_conflict_do_nothing(index_elements=["channel", "direction", "provider_id"])
        .returning(Message)
    )


def belongs_to(message: Message, conversation: Conversation | None) -> None:
    """Link an inbound message to its conversation (which may not be written yet: a batch
    defers its flush, and the reference is filled in when it is)."""
    if conversation is not None and (
        conversation.id is None or conversation.id != message.conversation_id
    ):
        message.conversation = conversation


def queue_outbound(
    session: Session,
    *,
    channel: str,
    identity_id: int | None,
    contact_id: int | None,
    conversation_id: int | None = None,
    conversation: Conversation | None = None,
    body: str,
    meta: dict[str, Any],
    segments: int | None,
    now: datetime,
) -> Message:
    """A message waiting in the outbox. `conversation` may be one not yet written (a batch
    defers its flush); the reference is filled in when it is."""
    message = Message(
        channel=channel,
        direction="out",
        identity_id=identity_id,
        contact_id=contact_id,
        conversation_id=conversation_id,
        body=body,
        meta=meta,
        segments=segments,
        status="queued",
        attempts=0,
        next_attempt_at=now,
        created_at=now,
        status_updated_at=now,
    )
    if conversation is not None:
        message.conversation = conversation
    session.add(message)
    flush(session)
    return message


def claim_due(
    session: Session,
    now: datetime,
    *,
    limit: int,
    channels: Collection[str] | None = None,
    lease: timedelta,
    in_flight: Collection[int] = (),
) -> list[Message]:
    """Outbound messages this sender may now try, oldest first.

    Each claim holds a lease, which its sender renews while it holds the message (see
    renew_leases): a sender that dies mid-send leaves its messages "sending" with a lease that
    soon runs out, and they come back here. Concurrent claimers never get the same row:
    PostgreSQL skips rows another claimer has locked; SQLite runs the claims one at a time.

    `in_flight` are the caller's own sends, never claimed again here whatever their lease says:
    a sender that sees its own message as abandoned would send it twice.

    Each person's messages go out in the order they were queued, however many senders run (a
    web server and a scheduler each deliver): a message is claimed only if every earlier pending
    message to the same address is claimed with it or is in `in_flight` (the caller keeps its
    own in order). One that another sender holds, or that waits to retry, holds back the rest.
    """
    if channels is not None and not channels:
        return []
    stmt = (
        select(Message)
        .where(
            Message.direction == "out",
            Message.status.in_(PENDING),
            Message.next_attempt_at <= now,
        )
        .order_by(Message.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
        .execution_options(populate_existing=True)
    )
    if channels is not None:
        stmt = stmt.where(Message.channel.in_(list(channels)))
    if in_flight:
        stmt = stmt.where(Message.id.not_in(list(in_flight)))
    messages = _in_order(session, list(session.scalars(stmt)), in_flight)
    for message in messages:
        if message.status == "sending":
            # Its sender died mid-send: the provider may or may not have it. Say so, so the
            # next sender asks the provider before sending it again.
            message.meta = {**(message.meta or {}), "uncertain": True}
        message.status = "sending"
        message.attempts += 1
        message.next_attempt_at = now + lease
        message.status_updated_at = now
    session.flush()
    return messages


@dataclass(frozen=True)
class Claimed:
    """An outbound message claimed for sending, with what the sender needs and nothing more."""

    id: int
    channel: str
    contact_id: int | None
    body: str
    meta: dict[str, Any]
    segments: int
    attempts: int
    created_at: datetime
    address: str | None  # None: no identity to send to any more


def claim_for_sending(
    session: Session,
    now: datetime,
    *,
    limit: int,
    channels: Collection[str],
    lease: timedelta,
    in_flight: Collection[int] = (),
) -> tuple[list[Claimed], int]:
    """As `claim_due`, in SQL statements without the ORM: the outbox's every claim comes here.

    Claimed messages to people who opted out since they were queued (their confirmation aside),
    or to an address that is gone, are cancelled here and not returned. Returns the messages to
    send, oldest first, and how many were cancelled."""
    if not channels:
        return [], 0
    query = _claim_candidates().where(_T.c.channel.in_(list(channels)))
    if in_flight:
        query = query.where(_T.c.id.not_in(list(in_flight)))
    connection = session.connection()
    candidates = connection.execute(query, {"now": now, "limit": limit}).all()
    rows = _in_order(session, list(candidates), in_flight)
    if not rows:
        return [], 0
    ids = [row.id for row in rows]
    uncertain = [
        {"row_id": row.id, "meta": {**(row.meta or {}), "uncertain": True}}
        for row in rows
        if row.status == "sending"
    ]
    if uncertain:
        # Its sender died mid-send: the provider may or may not have it. Say so, so the next
        # sender asks the provider before sending it again.
        connection.execute(_set_meta(), uncertain)
    claimed = connection.execute(
        _claim_update(), {"ids": ids, "until": now + lease, "now": now}
    ).all()
    by_id = {row.id: row for row in rows}
    cipher = cipher_of(session)
    out: list[Claimed] = []
    cancel: dict[str, list[int]] = {}
    for row in sorted(claimed, key=lambda r: r.id):
        seen = by_id[row.id]
        confirmation = bool((row.meta or {}).get("opt_out_confirmation"))
        if row.contact_id is not None and not confirmation and seen.opted_out_at is not None:
            # Checked at send time, not queue time: whatever queued it, an opt-out wins.
            cancel.setdefault("opted_out", []).append(row.id)
        elif seen.address_enc is None:
            cancel.setdefault("no_address", []).append(row.id)
        else:
            out.append(
                Claimed(
                    id=row.id,
                    channel=row.channel,
                    contact_id=row.contact_id,
                    body=row.body,
                    meta=dict(row.meta or {}),
                    segments=row.segments or 1,
                    attempts=row.attempts,
                    created_at=row.created_at,
                    address=cipher.decrypt(seen.address_enc),
                )
            )
    for reason, cancelled in cancel.items():
        connection.execute(_cancel_ids(), {"ids": cancelled, "reason": reason, "now": now})
    return out, sum(len(c) for c in cancel.values())


_T = cast(Table, Message.__table__)


@cache
def _claim_candidates() -> Select[Any]:
    identities = ChannelIdentity.__table__
    contacts = Contact.__table__
    return (
        select(
            _T.c.id,
            _T.c.identity_id,
            _T.c.status,
            _T.c.meta,
            identities.c.address_enc,
            contacts.c.opted_out_at,
        )
        .outerjoin(identities, identities.c.id == _T.c.identity_id)
        .outerjoin(contacts, contacts.c.id == _T.c.contact_id)
        .where(
            _T.c.direction == "out",
            _T.c.status.in_(PENDING),
            _T.c.next_attempt_at <= bindparam("now"),
        )
        .order_by(_T.c.id)
        .limit(bindparam("limit"))
        .with_for_update(skip_locked=True, of=_T)
    )


@cache
def _claim_update() -> Any:
    return (
        update(_T)
        .where(_T.c.id.in_(bindparam("ids", expanding=True)))
        .values(
            status="sending",
            attempts=_T.c.attempts + 1,
            next_attempt_at=bindparam("until"),
            status_updated_at=bindparam("now"),
        )
        .returning(
            _T.c.id,
            _T.c.channel,
            _T.c.contact_id,
            _T.c.body,
            _T.c.meta,
            _T.c.segments,
            _T.c.attempts,
            _T.c.created_at,
        )
    )


@cache
def _set_meta() -> Any:
    return update(_T).where(_T.c.id == bindparam("row_id")).values(meta=bindparam("meta"))


@cache
def _cancel_ids() -> Any:
    return (
        update(_T)
        .where(_T.c.id.in_(bindparam("ids", expanding=True)))
        .values(
            status="cancelled",
            next_attempt_at=None,
            error_message=bindparam("reason"),
            status_updated_at=bindparam("now"),
        )
    )


def renew_leases(session: Session, held: Mapping[int, datetime], until: datetime) -> set[int]:
    """Extend to `until` the lease of each message a sender holds; the ids it still holds.

    `held` maps each message to the lease this sender last wrote for it. A message counts as
    still held only if it is "sending" with that very lease: one whose lease ran out and that
    another sender has claimed since carries that sender's lease and is left alone, and so is
    one recorded or removed meanwhile."""
    if not held:
        return set()
    by_lease: dict[datetime, list[int]] = {}
    for message_id, lease in held.items():
        by_lease.setdefault(lease, []).append(message_id)
    result = session.execute(
        update(Message)
        .where(
            Message.status == "sending",
            or_(
                *(
                    and_(Message.next_attempt_at == lease, Message.id.in_(ids))
                    for lease, ids in by_lease.items()
                )
            ),
        )
        .values(next_attempt_at=until)
        .returning(Message.id)
        .execution_options(synchronize_session=False)
    )
    return set(result.scalars())


class _Pending(Protocol):
    @property
    def id(self) -> int: ...
    @property
    def identity_id(self) -> int | None: ...


P = TypeVar("P", bound=_Pending)


def _in_order(session: Session, candidates: list[P], in_flight: Collection[int]) -> list[P]:
    """The candidates that no earlier pending message to the same address is waiting ahead of.

    Read after the candidates are locked: a message another claimer has locked but not yet
    marked still reads as pending here, so it holds back its person's later ones too."""
    people = {m.identity_id for m in candidates if m.identity_id is not None}
    if not people:
        return candidates
    ours = {m.id for m in candidates} | set(in_flight)
    allowed: set[int] = set()
    held: set[int | None] = set()
    for identity_id, message_id in session.execute(_pending_of_people(), {"people": list(people)}):
        if identity_id in held:
            continue
        if message_id in ours:
            allowed.add(message_id)
        else:
            held.add(identity_id)
    return [m for m in candidates if m.identity_id is None or m.id in allowed]


@cache
def _pending_of_people() -> Select[int | None, int]:
    return (
        select(Message.identity_id, Message.id)
        .where(
            Message.identity_id.in_(bindparam("people", expanding=True)),
            Message.direction == "out",
            Message.status.in_(PENDING),
        )
        .order_by(Message.id)
    )


def mark_sent(session: Session, message: Message, provider_id: str | None, now: datetime) -> None:
    # A provider's callback can overtake the sender's own record of the send: never step back.
    if message.status not in _FINAL:
        message.status = "sent"
        message.error_code = None
        message.error_message = None
    message.provider_id = provider_id
    message.sent_at = now
    message.status_updated_at = now
    message.next_attempt_at = None
    if (message.meta or {}).get("uncertain"):
        message.meta = {k: v for k, v in message.meta.items() if k != "uncertain"}
    session.flush()


def mark_sent_by_id(
    session: Session, message_id: int, provider_id: str | None, now: datetime
) -> bool:
    """As mark_sent, in one UPDATE without loading the row: the outbox's every send comes here.

    Not for a message marked uncertain (its meta must change). False if the row is gone."""
    final = Message.status.in_(_FINAL)
    result = session.execute(
        update(Message)
        .where(Message.id == message_id)
        .values(
            status=case((final, Message.status), else_="sent"),
            error_code=case((final, Message.error_code), else_=None),
            error_message=case((final, Message.error_message), else_=None),
            provider_id=provider_id,
            sent_at=now,
            status_updated_at=now,
            next_attempt_at=None,
        )
        .execution_options(synchronize_session=False)
    )
    return bool(cast(CursorResult[Any], result).rowcount)


def mark_retry(
    session: Session,
    message: Message,
    at: datetime,
    error_code: str | None,
    error_message: str | None,
    *,
    uncertain: bool = False,
) -> None:
    """Back to the queue; `uncertain` when the provider may already have it (ask before resending)."""
    message.status = "queued"
    message.next_attempt_at = at
    if uncertain:
        message.meta = {**(message.meta or {}), "uncertain": True}
    message.error_code = error_code
    message.error_message = error_message
    session.flush()


def mark_failed(
    session: Session,
    message: Message,
    error_code: str | None,
    error_message: str | None,
    now: datetime,
) -> None:
    message.status = "failed"
    message.next_attempt_at = None
    message.error_code = error_code
    message.error_message = error_message
    message.status_updated_at = now
    session.flush()


def mark_held(session: Session, message: Message, error_code: str | None, now: datetime) -> None:
    """Not sent, and not to be tried again until the person writes (see storage.windows)."""
    message.status = "held"
    message.next_attempt_at = None
    message.error_code = error_code
    message.status_updated_at = now
    session.flush()


def mark_cancelled(session: Session, message: Message, reason: str, now: datetime) -> None:
    _cancel(message, reason, now)
    session.flush()


def _cancel(message: Message, reason: str, now: datetime) -> None:
    message.status = "cancelled"
    message.next_attempt_at = None
    message.error_message = reason
    message.status_updated_at = now


def cancel_queued_for_contact(session: Session, contact_id: int, reason: str, now: datetime) -> int:
    """Cancel everything still waiting to go to a person (they opted out): nothing queued before
    STOP is sent after it, and nothing older holds back the confirmation. Confirmations are
    kept; messages already with a provider's client are settled when their send is recorded."""
    waiting = session.scalars(
        select(Message).where(
            Message.contact_id == contact_id,
            Message.direction == "out",
            Message.status.in_(("queued", "held")),
        )
    ).all()
    cancelled = [m for m in waiting if not (m.meta or {}).get("opt_out_confirmation")]
    for message in cancelled:
        _cancel(message, reason, now)
    flush(session)
    return len(cancelled)


def record_delivery(
    session: Session,
    *,
    channel: str,
    provider_id: str,
    status: DeliveryStatus,
    error_code: str | None,
    now: datetime,
) -> Message | None:
    """Apply a provider's delivery receipt; None if no outbound message has that id."""
    message = session.scalars(
        select(Message).where(
            Message.channel == channel,
            Message.direction == "out",
            Message.provider_id == provider_id,
        )
    ).one_or_none()
    if message is None:
        return None
    if status == "sent" and message.status in _FINAL:
        return message
    if status == "delivered" and message.status == "read":
        return message  # the ticks arrive in any order; read says more
    message.status = status
    if error_code is not None:
        message.error_code = error_code
    message.status_updated_at = now
    session.flush()
    return message


def for_contact(session: Session, contact_id: int) -> list[Message]:
    return list(
        session.scalars(
            select(Message).where(Message.contact_id == contact_id).order_by(Message.id)
        )
    )


def pending_for_contact(session: Session, contact_id: int) -> list[Message]:
    """Outbound messages not yet handed to the provider (queued, or claimed by a sender)."""
    return list(
        session.scalars(
            select(Message)
            .where(
                Message.contact_id == contact_id,
                Message.direction == "out",
                Message.status.in_(PENDING),
            )
            .order_by(Message.id)
        )
    )

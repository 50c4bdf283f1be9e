"""The outbox's claim, in SQL statements without the ORM: every message the outbox sends is
claimed here, so it costs one locked read and one UPDATE ... RETURNING a batch, not an ORM load and
two lookups a message. The rules are storage.messages.claim_due's (leases, each person's order)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any, cast

from sqlalchemy import Select, Table, bindparam, select, update
from sqlalchemy.orm import Session

from storage.crypto import cipher_of
from storage.messages import PENDING, in_order
from storage.models import ChannelIdentity, Contact, Message


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
    rows = in_order(session, list(candidates), in_flight)
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

"""Failed dashboard sign-ins, counted so that guessing is slow and a lock-out cannot be aimed.

Two counters see every failure. One per client address (any account, known or not): past its limit
that address is refused for a while. One per account *from that address*: past its limit the
account is locked for that address only, so someone who knows an officer's email can lock the
officer out of their own machine, never out of everyone's.

Guesses spread over many addresses meet a third counter: per account, for browsers the officer has
never signed in with (no device cookie, see bot.web.dashboard.devices). Past its limit the account
is closed to unrecognised browsers only; the officer's own browsers still get in.

Failures count in a fixed window that starts at the first one; a block runs its length and is not
extended by tries during it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from storage.dashboard_models import LoginThrottle
from storage.dialect import insert


@dataclass(frozen=True)
class Limits:
    client_attempts: int  # failures from one address, whatever the account
    account_attempts: int  # failures for one account from one address
    unrecognised_attempts: int  # failures for one account from browsers it never signed in with
    window: timedelta
    block: timedelta


@dataclass(frozen=True)
class Failure:
    client_blocked_until: datetime | None
    account_locked: bool  # this failure locked the account (for this address)
    unrecognised_locked: bool = False  # ... or for every browser the officer never used


def client_key(client: str) -> str:
    return hashlib.sha256(f"client {client}".encode()).hexdigest()


def account_key(officer_id: int, client: str) -> str:
    return hashlib.sha256(f"account {officer_id} {client}".encode()).hexdigest()


def unrecognised_key(officer_id: int) -> str:
    return hashlib.sha256(f"unrecognised {officer_id}".encode()).hexdigest()


def blocked_until(session: Session, key: str, now: datetime) -> datetime | None:
    until = session.scalars(
        select(LoginThrottle.blocked_until).where(LoginThrottle.key == key)
    ).one_or_none()
    return until if until is not None and until > now else None


def _locked_row(session: Session, key: str, now: datetime) -> LoginThrottle:
    # Insert-or-nothing first, then lock: parallel first failures all land on the one row.
    session.execute(
        insert(session, LoginThrottle)
        .values(key=key, failures=0, window_started_at=now, blocked_until=None)
        .on_conflict_do_nothing(index_elements=["key"])
    )
    return session.scalars(
        select(LoginThrottle)
        .where(LoginThrottle.key == key)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()


def _count(
    session: Session, key: str, now: datetime, *, limit: int, window: timedelta, block: timedelta
) -> bool:
    """One more failure under `key`; True when it starts a block."""
    row = _locked_row(session, key, now)
    if row.blocked_until is not None and row.blocked_until > now:
        return False
    if row.blocked_until is not None or now - row.window_started_at >= window:
        row.failures, row.window_started_at, row.blocked_until = 0, now, None
    row.failures += 1
    started = row.failures >= limit
    if started:
        row.blocked_until = now + block
    session.flush()
    return started


def record_failure(
    session: Session,
    *,
    client: str,
    officer_id: int | None,
    now: datetime,
    limits: Limits,
    recognised: bool = False,
) -> Failure:
    """Count a failed sign-in from `client`, against the account too when one was named;
    `recognised` when the browser carries the officer's device cookie."""
    locked = unrecognised = False
    if officer_id is not None:
        locked = _count(
            session,
            account_key(officer_id, client),
            now,
            limit=limits.account_attempts,
            window=limits.window,
            block=limits.block,
        )
        if not recognised:
            unrecognised = _count(
                session,
                unrecognised_key(officer_id),
                now,
                limit=limits.unrecognised_attempts,
                window=limits.window,
                block=limits.block,
            )
    key = client_key(client)
    _count(
        session,
        key,
        now,
        limit=limits.client_attempts,
        window=limits.window,
        block=limits.block,
    )
    return Failure(blocked_until(session, key, now), locked, unrecognised)


def record_success(session: Session, *, client: str, officer_id: int) -> None:
    """The officer got in from here: their wrong tries from here are forgiven. The address's own
    count stays, or signing in to one account between guesses would reset the limit."""
    session.execute(
        delete(LoginThrottle).where(LoginThrottle.key == account_key(officer_id, client))
    )


def prune(session: Session, now: datetime, limits: Limits) -> None:
    """Forget counters whose window and block are both over."""
    session.execute(
        delete(LoginThrottle).where(
            LoginThrottle.window_started_at <= now - limits.window,
            or_(
                LoginThrottle.blocked_until.is_(None),
                LoginThrottle.blocked_until <= now,
            ),
        )
    )

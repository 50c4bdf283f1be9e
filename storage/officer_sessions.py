"""Signed-in dashboard sessions, kept server-side so that they can be ended.

The browser holds a random token (inside the signed session cookie); this table holds only its
SHA-256. A session ends when its row goes: at sign-out, when the officer's password, role or areas
change, when they are deactivated, when an admin ends them, or when it has been idle or alive too
long.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from storage.dashboard_models import Officer, OfficerSession

# Writing last_seen_at on every page view would make each read a write; a minute is precise enough
# for an idle limit counted in minutes.
TOUCH_EVERY = timedelta(minutes=1)


@dataclass(frozen=True)
class Lifetime:
    idle: timedelta
    absolute: timedelta


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start(session: Session, officer_id: int, now: datetime) -> str:
    """A new session for the officer; returns the token for the cookie (never stored)."""
    token = secrets.token_urlsafe(32)
    session.add(
        OfficerSession(
            token_hash=_hash(token), officer_id=officer_id, created_at=now, last_seen_at=now
        )
    )
    session.flush()
    return token


def _expired(row: OfficerSession, now: datetime, lifetime: Lifetime) -> bool:
    return now - row.last_seen_at >= lifetime.idle or now - row.created_at >= lifetime.absolute


def resume(session: Session, token: str, now: datetime, lifetime: Lifetime) -> Officer | None:
    """The active officer whose live session this token is, or None (and an expired one ends)."""
    row = session.scalars(
        select(OfficerSession).where(OfficerSession.token_hash == _hash(token))
    ).one_or_none()
    if row is None:
        return None
    if _expired(row, now, lifetime):
        session.delete(row)
        session.flush()
        return None
    officer = session.get(Officer, row.officer_id)
    if officer is None or not officer.active:
        return None
    if now - row.last_seen_at >= TOUCH_EVERY:
        row.last_seen_at = now
        session.flush()
    return officer


def end(session: Session, token: str) -> None:
    session.execute(delete(OfficerSession).where(OfficerSession.token_hash == _hash(token)))


def end_all(session: Session, officer_id: int) -> int:
    """End every session of this officer; returns how many there were."""
    result = session.execute(delete(OfficerSession).where(OfficerSession.officer_id == officer_id))
    return int(getattr(result, "rowcount", 0) or 0)


def prune(session: Session, now: datetime, lifetime: Lifetime) -> None:
    """Forget sessions that can no longer be used (they would be refused anyway)."""
    session.execute(
        delete(OfficerSession).where(
            or_(
                OfficerSession.last_seen_at <= now - lifetime.idle,
                OfficerSession.created_at <= now - lifetime.absolute,
            )
        )
    )


def live_counts(session: Session, now: datetime, lifetime: Lifetime) -> dict[int, int]:
    """Officer id -> sessions still usable, for the officers page."""
    rows = session.execute(
        select(OfficerSession.officer_id, func.count())
        .where(
            OfficerSession.last_seen_at > now - lifetime.idle,
            OfficerSession.created_at > now - lifetime.absolute,
        )
        .group_by(OfficerSession.officer_id)
    )
    return {officer_id: int(count) for officer_id, count in rows}

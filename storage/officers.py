"""Officers who sign in to the dashboard; passwords arrive here already hashed."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.dashboard_models import ALL_AREAS, OFFICER_ROLES, Officer


def normalise_email(email: str) -> str:
    return email.strip().lower()


def create(
    session: Session,
    *,
    email: str,
    password_hash: str,
    role: str,
    areas: Sequence[str],
    now: datetime,
    safeguarding_lead: bool = False,
) -> Officer:
    email = normalise_email(email)
    if "@" not in email or len(email) > 254:
        raise ValueError("that does not look like an email address")
    if role not in OFFICER_ROLES:
        raise ValueError(f"unknown role {role!r}; expected one of {', '.join(OFFICER_ROLES)}")
    if by_email(session, email) is not None:
        raise ValueError("an officer with that email already exists")
    clean = sorted({a.strip() for a in areas if a.strip()})
    officer = Officer(
        email=email,
        password_hash=password_hash,
        role=role,
        areas=clean,
        failed_logins=0,
        created_at=now,
        active=True,
        safeguarding_lead=safeguarding_lead,
    )
    session.add(officer)
    session.flush()
    return officer


def get(session: Session, officer_id: int) -> Officer | None:
    return session.get(Officer, officer_id)


def by_email(session: Session, email: str) -> Officer | None:
    return session.scalars(
        select(Officer).where(Officer.email == normalise_email(email))
    ).one_or_none()


def list_all(session: Session) -> list[Officer]:
    return list(session.scalars(select(Officer).order_by(Officer.email)))


def lock_for_login(session: Session, email: str) -> Officer | None:
    """The officer row, locked so that parallel wrong guesses all count towards the lockout."""
    return session.scalars(
        select(Officer)
        .where(Officer.email == normalise_email(email))
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one_or_none()


def is_locked(officer: Officer, now: datetime) -> bool:
    return officer.locked_until is not None and officer.locked_until > now


def record_failure(
    session: Session, officer: Officer, now: datetime, *, attempts: int, lockout: timedelta
) -> None:
    officer.failed_logins += 1
    if officer.failed_logins >= attempts:
        officer.locked_until = now + lockout
        officer.failed_logins = 0
    session.flush()


def record_success(session: Session, officer: Officer, now: datetime) -> None:
    officer.failed_logins = 0
    officer.locked_until = None
    officer.last_login_at = now
    session.flush()


def set_active(session: Session, officer: Officer, active: bool) -> None:
    officer.active = active
    session.flush()


def set_safeguarding_lead(session: Session, officer: Officer, lead: bool) -> None:
    officer.safeguarding_lead = lead
    session.flush()


def area_scope(officer: Officer) -> frozenset[str] | None:
    """The event areas whose responses this officer may read; None means every area (and none)."""
    if officer.role == "admin" or ALL_AREAS in officer.areas:
        return None
    return frozenset(officer.areas)

"""Officers who sign in to the dashboard; passwords arrive here already hashed."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage import officer_sessions
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
    clean = _clean_areas(areas)
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


def _clean_areas(areas: Sequence[str]) -> list[str]:
    return sorted({a.strip() for a in areas if a.strip()})


def get(session: Session, officer_id: int) -> Officer | None:
    return session.get(Officer, officer_id)


def by_email(session: Session, email: str) -> Officer | None:
    return session.scalars(
        select(Officer).where(Officer.email == normalise_email(email))
    ).one_or_none()


def list_all(session: Session) -> list[Officer]:
    return list(session.scalars(select(Officer).order_by(Officer.email)))


def lock_for_login(session: Session, email: str) -> Officer | None:
    """The officer row, locked so that a sign-in and a password change do not cross."""
    return session.scalars(
        select(Officer)
        .where(Officer.email == normalise_email(email))
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one_or_none()


def record_success(session: Session, officer: Officer, now: datetime) -> None:
    officer.last_login_at = now
    session.flush()


def set_active(session: Session, officer: Officer, active: bool) -> None:
    """Deactivating ends every session the officer has."""
    officer.active = active
    if not active:
        officer_sessions.end_all(session, officer.id)
    session.flush()


def set_password(session: Session, officer: Officer, password_hash: str) -> None:
    """A new password ends every session: whoever knew the old one is signed out. A password the
    officer chose (or typed at the command line) is not a temporary one."""
    officer.password_hash = password_hash
    officer.must_change_password = False
    officer.password_expires_at = None
    officer_sessions.end_all(session, officer.id)
    session.flush()


def reset_password(
    session: Session, officer: Officer, password_hash: str, expires_at: datetime
) -> int:
    """An admin's reset: a temporary password, to be changed at the next sign-in and refused
    after `expires_at`; every session ends. Returns how many sessions there were."""
    officer.password_hash = password_hash
    officer.must_change_password = True
    officer.password_expires_at = expires_at
    ended = officer_sessions.end_all(session, officer.id)
    session.flush()
    return ended


def temporary_expired(officer: Officer, now: datetime) -> bool:
    expires = officer.password_expires_at
    return officer.must_change_password and expires is not None and now >= expires


def set_role(session: Session, officer: Officer, role: str, areas: Sequence[str]) -> bool:
    """A new role or areas ends every session, so no page is served under the old ones; returns
    whether anything changed."""
    if role not in OFFICER_ROLES:
        raise ValueError(f"unknown role {role!r}; expected one of {', '.join(OFFICER_ROLES)}")
    clean = _clean_areas(areas)
    if officer.role == role and list(officer.areas) == clean:
        return False
    officer.role, officer.areas = role, clean
    officer_sessions.end_all(session, officer.id)
    session.flush()
    return True


def set_safeguarding_lead(session: Session, officer: Officer, lead: bool) -> None:
    officer.safeguarding_lead = lead
    session.flush()


def set_author(session: Session, officer: Officer, author: bool) -> None:
    officer.author = author
    session.flush()


def area_scope(officer: Officer) -> frozenset[str] | None:
    """The event areas whose responses this officer may read; None means every area (and none)."""
    if officer.role == "admin" or ALL_AREAS in officer.areas:
        return None
    return frozenset(officer.areas)

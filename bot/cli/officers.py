"""`sendvoice officers ...`: who may sign in to the dashboard."""

from __future__ import annotations

import sys

import click
from sqlalchemy.orm import Session

from bot.cli.db import open_database
from bot.clock import system_clock
from bot.config import get_settings
from bot.web.dashboard import passwords
from storage import audit, officer_sessions
from storage import officers as officers_repo
from storage.dashboard_models import OFFICER_ROLES, Officer


@click.group("officers")
def officers_group() -> None:
    """Dashboard accounts: admins, officers (their areas only) and viewers (counts only)."""


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return str(
        click.prompt(
            f"Password (at least {passwords.MIN_LENGTH} characters)",
            hide_input=True,
            confirmation_prompt="Type it again",
        )
    )


@officers_group.command("add")
@click.argument("email")
@click.option("--role", type=click.Choice(OFFICER_ROLES), required=True)
@click.option(
    "--area",
    "areas",
    multiple=True,
    help="An event area this officer may read responses from (repeat; * for every area).",
)
@click.option(
    "--safeguarding-lead",
    is_flag=True,
    help="A designated safeguarding lead: sees and acknowledges every area's flags.",
)
@click.option(
    "--author",
    is_flag=True,
    help="May write and change flows in the dashboard's editor (admins publish them).",
)
@click.option(
    "--password-stdin", is_flag=True, help="Read the password from the first line of stdin."
)
def add(
    email: str,
    role: str,
    areas: tuple[str, ...],
    safeguarding_lead: bool,
    author: bool,
    password_stdin: bool,
) -> None:
    """Add an officer who can sign in with EMAIL."""
    password = _read_password(password_stdin)
    try:
        hashed = passwords.hash_password(password)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="password") from None
    now = system_clock()
    with open_database(get_settings()) as session_factory, session_factory.begin() as session:
        try:
            officer = officers_repo.create(
                session,
                email=email,
                password_hash=hashed,
                role=role,
                areas=areas,
                now=now,
                safeguarding_lead=safeguarding_lead,
            )
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="EMAIL") from None
        if author:
            officers_repo.set_author(session, officer, True)
        audit.record(
            session,
            actor="cli",
            action="add_officer",
            subject=f"officer:{officer.id}",
            detail={
                "role": role,
                "areas": officer.areas,
                "safeguarding_lead": safeguarding_lead,
                "author": author,
            },
            now=now,
        )
        click.echo(f"added {officer.email} ({role}); officer id {officer.id}")


@officers_group.command("list")
def list_officers() -> None:
    """Every officer, with role, areas and last sign-in."""
    with open_database(get_settings()) as session_factory, session_factory() as session:
        found = officers_repo.list_all(session)
        if not found:
            click.echo("no officers yet: add one with `sendvoice officers add EMAIL --role admin`")
            return
        for o in found:
            areas = "all" if o.role == "admin" else (", ".join(o.areas) or "none")
            last = f"{o.last_login_at:%Y-%m-%d %H:%M} UTC" if o.last_login_at else "never"
            state = "" if o.active else "  (deactivated)"
            click.echo(
                f"{o.id:>4}  {o.email:<40} {o.role:<8} areas: {areas:<20} last sign-in: {last}{state}"
            )


def _officer(session: Session, email: str) -> Officer:
    officer = officers_repo.by_email(session, email)
    if officer is None:
        raise click.BadParameter("no officer has that email", param_hint="EMAIL")
    return officer


@officers_group.command("set-password")
@click.argument("email")
@click.option(
    "--password-stdin", is_flag=True, help="Read the password from the first line of stdin."
)
def set_password(email: str, password_stdin: bool) -> None:
    """Give EMAIL a new password (a forgotten one, or a suspicion); their sessions all end."""
    password = _read_password(password_stdin)
    try:
        hashed = passwords.hash_password(password)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="password") from None
    now = system_clock()
    with open_database(get_settings()) as session_factory, session_factory.begin() as session:
        officer = _officer(session, email)
        officers_repo.set_password(session, officer, hashed)
        audit.record(
            session, actor="cli", action="set_password", subject=f"officer:{officer.id}", now=now
        )
        click.echo(f"new password set for {officer.email}; they are signed out everywhere")


@officers_group.command("end-sessions")
@click.argument("email")
def end_sessions(email: str) -> None:
    """Sign EMAIL out of the dashboard everywhere (a lost laptop, a shared screen)."""
    now = system_clock()
    with open_database(get_settings()) as session_factory, session_factory.begin() as session:
        officer = _officer(session, email)
        ended = officer_sessions.end_all(session, officer.id)
        audit.record(
            session,
            actor="cli",
            action="end_officer_sessions",
            subject=f"officer:{officer.id}",
            detail={"sessions": ended},
            now=now,
        )
        click.echo(f"ended {ended} session{'' if ended == 1 else 's'} of {officer.email}")

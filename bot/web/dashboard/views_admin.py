"""Admin pages: the officers who may sign in (the audit log is views_audit)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import Response

from bot.web.dashboard import passwords
from bot.web.dashboard.web import (
    Who,
    config,
    db,
    form_text,
    now,
    page,
    redirect,
    refuse,
    render,
)
from storage import audit, officer_sessions
from storage import officers as officers_repo
from storage.dashboard_models import OFFICER_ROLES, Officer


@page(("admin",))
async def officers_page(request: Request, who: Who) -> Response:
    at, lifetime = now(request), config(request).lifetime

    def load(session: Session) -> dict[str, Any]:
        return {
            "officers": officers_repo.list_all(session),
            "sessions": officer_sessions.live_counts(session, at, lifetime),
        }

    context = await db(request, load)
    return render(
        request,
        "officers.html",
        {
            **context,
            "roles": OFFICER_ROLES,
            "min_length": passwords.MIN_LENGTH,
            "temporary_hours": int(passwords.TEMPORARY_LIFETIME.total_seconds() // 3600),
        },
        who=who,
    )


@page(("admin",))
async def add_officer(request: Request, who: Who) -> Response:
    form = await request.form()
    password = form_text(form, "password", limit=1024)
    areas = _areas(form)
    at = now(request)
    try:
        hashed = passwords.hash_password(password)
    except ValueError as exc:
        return refuse(request, who, 400, str(exc))

    def create(session: Session) -> str | None:
        try:
            officer = officers_repo.create(
                session,
                email=form_text(form, "email", limit=254),
                password_hash=hashed,
                role=form_text(form, "role"),
                areas=areas,
                now=at,
            )
        except ValueError as exc:
            return str(exc)
        audit.record(
            session,
            actor=who.actor,
            action="add_officer",
            subject=f"officer:{officer.id}",
            detail={"role": officer.role, "areas": officer.areas},
            now=at,
        )
        return None

    problem = await db(request, create)
    if problem is not None:
        return refuse(request, who, 400, problem)
    return redirect("/officers")


@page(("admin",))
async def set_active(request: Request, who: Who) -> Response:
    form = await request.form()
    active = form_text(form, "active") == "1"
    if int(request.path_params["officer_id"]) == who.id and not active:
        return refuse(request, who, 400, "You cannot deactivate yourself.")
    return await _switch(
        request,
        who,
        lambda session, officer: officers_repo.set_active(session, officer, active),
        "activate_officer" if active else "deactivate_officer",
    )


async def _switch(
    request: Request,
    who: Who,
    apply: Callable[[Session, Officer], None],
    action: str,
) -> Response:
    """Turn something on or off for one officer, audited; 404 when there is no such officer."""
    officer_id = int(request.path_params["officer_id"])
    at = now(request)

    def change(session: Session) -> bool:
        officer = officers_repo.get(session, officer_id)
        if officer is None:
            return False
        apply(session, officer)
        audit.record(
            session, actor=who.actor, action=action, subject=f"officer:{officer.id}", now=at
        )
        return True

    if not await db(request, change):
        return refuse(request, who, 404, "No such officer.")
    return redirect("/officers")


def _areas(form: Any) -> list[str]:
    return [a for a in form_text(form, "areas").replace(",", " ").split() if a]


@page(("admin",))
async def set_role(request: Request, who: Who) -> Response:
    """A new role or areas; the officer's sessions end, so they sign in again under the new ones."""
    form = await request.form()
    officer_id = int(request.path_params["officer_id"])
    role, areas, at = form_text(form, "role"), _areas(form), now(request)
    if officer_id == who.id:
        return refuse(request, who, 400, "You cannot change your own role; ask another admin.")

    def change(session: Session) -> str | None:
        officer = officers_repo.get(session, officer_id)
        if officer is None:
            return "No such officer."
        before = {"role": officer.role, "areas": list(officer.areas)}
        try:
            changed = officers_repo.set_role(session, officer, role, areas)
        except ValueError as exc:
            return str(exc)
        if changed:
            audit.record(
                session,
                actor=who.actor,
                action="change_officer_role",
                subject=f"officer:{officer.id}",
                detail={"before": before, "after": {"role": officer.role, "areas": officer.areas}},
                now=at,
            )
        return None

    problem = await db(request, change)
    if problem is not None:
        return refuse(request, who, 404 if problem == "No such officer." else 400, problem)
    return redirect("/officers")


@page(("admin",))
async def end_sessions(request: Request, who: Who) -> Response:
    """Sign an officer out everywhere: a lost laptop, a shared screen, a suspicion."""
    officer_id = int(request.path_params["officer_id"])
    at = now(request)

    def end(session: Session) -> bool:
        officer = officers_repo.get(session, officer_id)
        if officer is None:
            return False
        ended = officer_sessions.end_all(session, officer.id)
        audit.record(
            session,
            actor=who.actor,
            action="end_officer_sessions",
            subject=f"officer:{officer.id}",
            detail={"sessions": ended},
            now=at,
        )
        return True

    if not await db(request, end):
        return refuse(request, who, 404, "No such officer.")
    if officer_id == who.id:
        return redirect("/login")  # that included this one
    return redirect("/officers")


@page(("admin",))
async def reset_password(request: Request, who: Who) -> Response:
    """A temporary password, shown to the admin once and never stored: the officer must choose
    their own at the next sign-in, and it stops working after passwords.TEMPORARY_LIFETIME. The
    officer's sessions end, so whoever was using the old password is out too."""
    officer_id = int(request.path_params["officer_id"])
    if officer_id == who.id:
        return refuse(request, who, 400, "Change your own password on Your account.")
    temporary = passwords.temporary()
    hashed = passwords.hash_password(temporary)
    at = now(request)
    expires = at + passwords.TEMPORARY_LIFETIME

    def reset(session: Session) -> Officer | None:
        officer = officers_repo.get(session, officer_id)
        if officer is None:
            return None
        ended = officers_repo.reset_password(session, officer, hashed, expires)
        audit.record(
            session,
            actor=who.actor,
            action="reset_password",
            subject=f"officer:{officer.id}",
            detail={"sessions_ended": ended, "expires_at": expires.isoformat()},
            now=at,
        )
        return officer

    officer = await db(request, reset)
    if officer is None:
        return refuse(request, who, 404, "No such officer.")
    context = {"officer": officer, "temporary": temporary, "expires_at": expires, "nav": "officers"}
    # Not a redirect: the password is in this one response and nowhere else (no-store).
    return render(request, "password_reset.html", context, who=who)


@page(("admin",))
async def set_safeguarding_lead(request: Request, who: Who) -> Response:
    lead = form_text(await request.form(), "lead") == "1"
    return await _switch(
        request,
        who,
        lambda session, officer: officers_repo.set_safeguarding_lead(session, officer, lead),
        "make_safeguarding_lead" if lead else "end_safeguarding_lead",
    )


@page(("admin",))
async def set_author(request: Request, who: Who) -> Response:
    """The "author" permission: write flows in the dashboard (drafts, uploads); admins publish."""
    author = form_text(await request.form(), "author") == "1"
    return await _switch(
        request,
        who,
        lambda session, officer: officers_repo.set_author(session, officer, author),
        "make_author" if author else "end_author",
    )

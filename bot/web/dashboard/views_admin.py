"""Admin pages: the audit log, and the officers who may sign in."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import Response

from bot.conversation.inbound import clean_text
from bot.web.dashboard import passwords
from bot.web.dashboard.web import Who, db, form_text, now, page, redirect, refuse, render
from storage import audit
from storage import officers as officers_repo
from storage.dashboard_models import OFFICER_ROLES

AUDIT_PAGE = 200


@page(("admin",))
async def audit_page(request: Request, who: Who) -> Response:
    raw = request.query_params.get("action", "")
    action = clean_text(raw, 64) or None

    def load(session: Session) -> dict[str, Any]:
        return {"entries": audit.recent(session, limit=AUDIT_PAGE, action=action)}

    context = await db(request, load)
    return render(request, "audit.html", {**context, "action": action or ""}, who=who)


@page(("admin",))
async def officers_page(request: Request, who: Who) -> Response:
    context = await db(request, lambda s: {"officers": officers_repo.list_all(s)})
    return render(
        request,
        "officers.html",
        {**context, "roles": OFFICER_ROLES, "min_length": passwords.MIN_LENGTH},
        who=who,
    )


@page(("admin",))
async def add_officer(request: Request, who: Who) -> Response:
    form = await request.form()
    password = form_text(form, "password", limit=1024)
    areas = [a for a in form_text(form, "areas").replace(",", " ").split() if a]
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
    officer_id = int(request.path_params["officer_id"])
    active = form_text(form, "active") == "1"
    at = now(request)
    if officer_id == who.id and not active:
        return refuse(request, who, 400, "You cannot deactivate yourself.")

    def change(session: Session) -> bool:
        officer = officers_repo.get(session, officer_id)
        if officer is None:
            return False
        officers_repo.set_active(session, officer, active)
        audit.record(
            session,
            actor=who.actor,
            action="activate_officer" if active else "deactivate_officer",
            subject=f"officer:{officer.id}",
            now=at,
        )
        return True

    if not await db(request, change):
        return refuse(request, who, 404, "No such officer.")
    return redirect("/officers")

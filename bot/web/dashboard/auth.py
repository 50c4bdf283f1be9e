"""Signing in and out. Every failure says the same thing, whether or not the email exists."""

from __future__ import annotations

import logging

from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from bot.web.dashboard import passwords
from bot.web.dashboard.web import (
    DISABLED,
    FORBIDDEN_CSRF,
    PREFIX,
    config,
    csrf_ok,
    db,
    form_text,
    now,
    redirect,
    refuse,
    render,
    secure,
    signed_in,
)
from storage import audit
from storage import officers as officers_repo

log = logging.getLogger(__name__)


def _failed(request: Request) -> str:
    cfg = config(request)
    minutes = int(cfg.lockout.total_seconds() // 60)
    return (
        "That email and password did not work. After "
        f"{cfg.lockout_attempts} wrong tries an account is locked for {minutes} minutes."
    )


def _next(request: Request, value: str) -> str:
    # Only our own pages: never an open redirect to another site.
    if value.startswith(PREFIX + "/") and not value.startswith("//") and "\\" not in value:
        return value[len(PREFIX) :]
    return "/"


async def login_page(request: Request) -> Response:
    if "session" not in request.scope or not config(request).enabled:
        return secure(PlainTextResponse(DISABLED, status_code=503))
    if await signed_in(request) is not None:
        return redirect("/")
    context = {"error": None, "email": "", "next": request.query_params.get("next", "")}
    return secure(render(request, "login.html", context))


async def login(request: Request) -> Response:
    if "session" not in request.scope or not config(request).enabled:
        return secure(PlainTextResponse(DISABLED, status_code=503))
    if not await csrf_ok(request):
        return refuse(request, None, 403, FORBIDDEN_CSRF)
    form = await request.form()
    email, password = form_text(form, "email", limit=254), form_text(form, "password", limit=1024)
    cfg, at = config(request), now(request)

    def attempt(session: Session) -> int | None:
        officer = officers_repo.lock_for_login(session, email) if email else None
        if officer is None:
            passwords.waste_time(password)
            return None
        good = passwords.verify(officer.password_hash, password)
        if not officer.active or officers_repo.is_locked(officer, at):
            return None  # a locked account stays locked, and its lock is not extended
        if not good:
            officers_repo.record_failure(
                session, officer, at, attempts=cfg.lockout_attempts, lockout=cfg.lockout
            )
            if officers_repo.is_locked(officer, at):
                audit.record(session, actor=f"officer:{officer.id}", action="login_locked", now=at)
            return None
        if passwords.needs_rehash(officer.password_hash):
            officer.password_hash = passwords.hash_password(password)
        officers_repo.record_success(session, officer, at)
        audit.record(session, actor=f"officer:{officer.id}", action="login", now=at)
        return officer.id

    officer_id = await db(request, attempt)
    if officer_id is None:
        context = {"error": _failed(request), "email": email, "next": form_text(form, "next")}
        return secure(render(request, "login.html", context, status=401))
    # A new session on every sign-in: nothing planted before it survives.
    request.session.clear()
    request.session["officer"] = officer_id
    return redirect(_next(request, form_text(form, "next")))


async def logout(request: Request) -> Response:
    if "session" not in request.scope:
        return secure(PlainTextResponse(DISABLED, status_code=503))
    if not await csrf_ok(request):
        return refuse(request, None, 403, FORBIDDEN_CSRF)
    request.session.clear()
    return redirect("/login")

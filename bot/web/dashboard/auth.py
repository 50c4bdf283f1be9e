"""Signing in and out. Every failure says the same thing, whether or not the email exists."""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from bot.web.dashboard import devices, passwords
from bot.web.dashboard.web import (
    DISABLED,
    FORBIDDEN_CSRF,
    PREFIX,
    begin_session,
    client_address,
    config,
    csrf_ok,
    db,
    form_text,
    now,
    redirect,
    refuse,
    render,
    secure,
    session_token,
    signed_in,
)
from storage import audit, login_throttle, officer_sessions
from storage import officers as officers_repo

log = logging.getLogger(__name__)
EXPIRED = (
    "That temporary password has expired. Ask an admin to reset your password again; it then "
    "works for another 3 days."
)


def _failed(request: Request) -> str:
    cfg = config(request)
    minutes = int(cfg.lockout.total_seconds() // 60)
    return (
        "That email and password did not work. After "
        f"{cfg.lockout_attempts} wrong tries an account is locked here for {minutes} minutes."
    )


def _throttled(request: Request, until: datetime) -> Response:
    wait = max(1, math.ceil((until - now(request)).total_seconds() / 60))
    message = (
        "Too many sign-in attempts from here. Wait "
        f"{wait} minute{'s' if wait != 1 else ''} and try again."
    )
    response = refuse(request, None, 429, message)
    response.headers["Retry-After"] = str(wait * 60)
    return response


@dataclass(frozen=True)
class _Outcome:
    token: str | None = None
    throttled_until: datetime | None = None
    officer: int | None = None
    expired: bool = False  # the right temporary password, after its time
    must_change: bool = False


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

    client, limits, lifetime = client_address(request), cfg.limits, cfg.lifetime
    device = devices.officer_of(request)

    def failed(session: Session, officer_id: int | None, recognised: bool = False) -> _Outcome:
        result = login_throttle.record_failure(
            session,
            client=client,
            officer_id=officer_id,
            now=at,
            limits=limits,
            recognised=recognised,
        )
        actor = f"officer:{officer_id}"
        if result.account_locked:
            audit.record(session, actor=actor, action="login_locked", now=at)
        if result.unrecognised_locked:
            audit.record(session, actor=actor, action="login_locked_unrecognised", now=at)
            log.warning("dashboard sign-in: an account is closed to unrecognised browsers")
        if result.client_blocked_until is not None:
            log.warning("dashboard sign-in: a client address is throttled after failed tries")
        return _Outcome(throttled_until=result.client_blocked_until)

    def attempt(session: Session) -> _Outcome:
        # Refused before any password check: a throttled address costs no hashing either.
        until = login_throttle.blocked_until(session, login_throttle.client_key(client), at)
        if until is not None:
            return _Outcome(throttled_until=until)
        officer = officers_repo.lock_for_login(session, email) if email else None
        if officer is None:
            passwords.waste_time(password)
            return failed(session, None)
        good = passwords.verify(officer.password_hash, password)
        recognised = device == officer.id
        account = login_throttle.account_key(officer.id, client)
        if not officer.active:
            return failed(session, None)
        # Locks count further tries but are not extended by them.
        if login_throttle.blocked_until(session, account, at) is not None:
            return failed(session, officer.id, recognised)
        unrecognised = login_throttle.unrecognised_key(officer.id)
        if not recognised and login_throttle.blocked_until(session, unrecognised, at) is not None:
            return failed(session, officer.id, recognised)
        if not good:
            return failed(session, officer.id, recognised)
        if officers_repo.temporary_expired(officer, at):
            # Said only to whoever knows the temporary password: it is no secret from them.
            audit.record(
                session, actor=f"officer:{officer.id}", action="login_temporary_expired", now=at
            )
            return _Outcome(expired=True)
        if passwords.needs_rehash(officer.password_hash):
            officer.password_hash = passwords.hash_password(password)
        officers_repo.record_success(session, officer, at)
        login_throttle.record_success(session, client=client, officer_id=officer.id)
        login_throttle.prune(session, at, limits)
        officer_sessions.prune(session, at, lifetime)
        audit.record(session, actor=f"officer:{officer.id}", action="login", now=at)
        return _Outcome(
            token=officer_sessions.start(session, officer.id, at),
            officer=officer.id,
            must_change=officer.must_change_password,
        )

    outcome = await db(request, attempt)
    if outcome.throttled_until is not None:
        return _throttled(request, outcome.throttled_until)
    if outcome.token is None:
        error = EXPIRED if outcome.expired else _failed(request)
        context = {"error": error, "email": email, "next": form_text(form, "next")}
        return secure(render(request, "login.html", context, status=401))
    begin_session(request, outcome.token)
    # A temporary password leads straight to choosing one's own.
    response = redirect(
        "/account" if outcome.must_change else _next(request, form_text(form, "next"))
    )
    if outcome.officer is not None:
        devices.remember(request, response, outcome.officer)
    return response


async def logout(request: Request) -> Response:
    if "session" not in request.scope:
        return secure(PlainTextResponse(DISABLED, status_code=503))
    if not await csrf_ok(request):
        return refuse(request, None, 403, FORBIDDEN_CSRF)
    token = session_token(request)
    if token is not None:
        await db(request, lambda s: officer_sessions.end(s, token))
    request.session.clear()
    return redirect("/login")

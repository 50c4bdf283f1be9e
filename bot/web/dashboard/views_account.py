"""An officer's own account: changing their password, which signs them out everywhere else.

After an admin's reset the officer signs in with a temporary password and is sent here, and
only here, until they have chosen their own."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import Response

from bot.web.dashboard import passwords
from bot.web.dashboard.web import (
    Who,
    begin_session,
    client_address,
    config,
    db,
    form_text,
    now,
    page,
    redirect,
    render,
)
from storage import audit, login_throttle, officer_sessions
from storage import officers as officers_repo

WRONG = "Your current password was not right, so nothing changed."
LOCKED = "Too many wrong passwords from here: wait and try again later."
SAME = "Your new password must be different from the current one."
DIFFERENT = "The two new passwords are not the same."


@dataclass(frozen=True)
class _Changed:
    token: str | None = None
    problem: str | None = None
    status: int = 400


async def _page(
    request: Request, who: Who, *, error: str | None = None, status: int = 200
) -> Response:
    def load(session: Session) -> Any:
        officer = officers_repo.get(session, who.id)
        return officer.password_expires_at if officer is not None else None

    context = {
        "min_length": passwords.MIN_LENGTH,
        "changed": "changed" in request.query_params and error is None,
        "error": error,
        "expires_at": await db(request, load) if who.must_change else None,
        "nav": "account",
    }
    return render(request, "account.html", context, who=who, status=status)


@page(temporary_ok=True)
async def account_page(request: Request, who: Who) -> Response:
    return await _page(request, who)


@page(temporary_ok=True)
async def change_password(request: Request, who: Who) -> Response:
    form = await request.form()
    current = form_text(form, "current_password", limit=1024)
    new, again = form_text(form, "new_password", limit=1024), form_text(form, "confirm", limit=1024)
    if new != again:
        return await _page(request, who, error=DIFFERENT, status=400)
    try:
        hashed = passwords.hash_password(new)
    except ValueError as exc:
        return await _page(request, who, error=f"Choose another: {exc}.", status=400)
    at, client, limits = now(request), client_address(request), config(request).limits

    def change(session: Session) -> _Changed:
        officer = officers_repo.lock_for_login(session, who.email)
        if officer is None:
            return _Changed(problem="No such officer.", status=404)
        # Whoever holds a session could otherwise guess the password here without a limit.
        key = login_throttle.account_key(officer.id, client)
        if login_throttle.blocked_until(session, key, at) is not None:
            return _Changed(problem=LOCKED, status=429)
        if not passwords.verify(officer.password_hash, current):
            # A browser with a live session of this officer is one they use: recognised.
            login_throttle.record_failure(
                session,
                client=client,
                officer_id=officer.id,
                now=at,
                limits=limits,
                recognised=True,
            )
            return _Changed(problem=WRONG)
        if passwords.verify(officer.password_hash, new):
            return _Changed(problem=SAME)
        was_temporary = officer.must_change_password
        officers_repo.set_password(session, officer, hashed)  # ends every session
        audit.record(
            session,
            actor=who.actor,
            action="change_password",
            subject=who.actor,
            detail={"after_reset": True} if was_temporary else {},
            now=at,
        )
        return _Changed(token=officer_sessions.start(session, officer.id, at))

    done = await db(request, change)
    if done.token is None:
        return await _page(request, who, error=done.problem or WRONG, status=done.status)
    begin_session(request, done.token)
    return redirect("/account", changed=1)

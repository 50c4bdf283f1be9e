"""Device cookies: "this browser has signed in as officer N before".

A long-lived cookie, signed with SESSION_SECRET and sent only to the sign-in form, set when an
officer signs in. It opens nothing by itself; it only lets the officer past the lock that guesses
from many addresses put on their account (storage.login_throttle), so an attacker spreading
guesses over a botnet locks out strangers' browsers, not the officer's own.
"""

from __future__ import annotations

from itsdangerous import BadData, URLSafeTimedSerializer
from starlette.requests import Request
from starlette.responses import Response

from bot.web.dashboard.web import PREFIX, config

DEVICE_COOKIE = "sendvoice_device"
MAX_AGE_S = 180 * 24 * 3600
_SALT = "sendvoice-dashboard-device"


def _signer(request: Request) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(config(request).session_secret, salt=_SALT)


def officer_of(request: Request) -> int | None:
    """The officer this browser last signed in as, if its cookie is genuine and not too old."""
    value = request.cookies.get(DEVICE_COOKIE)
    if not value:
        return None
    try:
        found = _signer(request).loads(value, max_age=MAX_AGE_S)
    except BadData:
        return None
    return found if isinstance(found, int) else None


def remember(request: Request, response: Response, officer_id: int) -> None:
    response.set_cookie(
        DEVICE_COOKIE,
        _signer(request).dumps(officer_id),
        max_age=MAX_AGE_S,
        path=PREFIX + "/login",
        httponly=True,
        samesite="strict",
        secure=config(request).https_only,
    )

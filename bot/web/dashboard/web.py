"""What every dashboard page shares: who is signed in, CSRF, templates, the database, headers."""

from __future__ import annotations

import asyncio
import functools
import hmac
import ipaddress
import re
import secrets
from collections.abc import Awaitable, Callable, Collection
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote, urlencode
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response

from bot.conversation.inbound import clean_text
from bot.health import Check, failures
from bot.reports.questions import answered_by_label
from bot.services import Services
from bot.web.dashboard.config import DashboardConfig
from bot.web.dashboard.funnel import GROUP_LABELS
from bot.web.headers import HEADERS
from storage import officer_sessions
from storage import officers as officers_repo

T = TypeVar("T")
UK = ZoneInfo("Europe/London")
STATUS_LABELS = {
    "active": "In progress",
    "completed": "Completed",
    "stopped": "Stopped",
    "expired": "Ran out of time",
    "planned": "Planned",
    "in_progress": "In progress",
    "done": "Done",
}
HERE = Path(__file__).resolve().parent
PREFIX = "/dashboard"
CSRF_FIELD = "csrf_token"
# Ids are 32-bit integers in the database: a larger number names nothing (and PostgreSQL refuses
# to compare with it). ASCII digits only: '²'.isdigit() is true, and int() fails on it.
MAX_ID = 2**31 - 1
ID_DIGITS = "[0-9]{1,10}"
_ID = re.compile(ID_DIGITS)

templates = Environment(
    loader=FileSystemLoader(HERE / "templates"),
    autoescape=select_autoescape(["html"], default=True),
    trim_blocks=True,
    lstrip_blocks=True,
)
templates.filters["pair"] = lambda value: (value, value)
templates.filters["uk"] = lambda when: f"{when.astimezone(UK):%-d %b %Y %H:%M}" if when else ""
# Stored codes as officers read them: "Parent or carer", not `parent`; "SMS", not `sms`.
templates.filters["group"] = lambda value: GROUP_LABELS.get(value, value) if value else ""
templates.filters["labelled"] = lambda values: [(v, GROUP_LABELS.get(v, v)) for v in values]
templates.filters["status"] = lambda value: STATUS_LABELS.get(value, value) if value else ""
templates.filters["statused"] = lambda values: [(v, STATUS_LABELS.get(v, v)) for v in values]
templates.filters["answered_by"] = answered_by_label
templates.filters["answer"] = lambda value: (
    "; ".join(map(str, value)) if isinstance(value, list) else "" if value is None else str(value)
)


@dataclass(frozen=True)
class Who:
    id: int
    email: str
    role: str
    scope: frozenset[str] | None  # None: every area
    lead: bool = False  # a designated safeguarding lead: sees every area's safeguarding flags
    must_change: bool = False  # signed in with an admin's temporary password: only /account
    author: bool = False  # given the "author" permission: writes flows (drafts, uploads)

    @property
    def may_author(self) -> bool:
        """Writes flows in the dashboard: admins, and officers given the "author" permission."""
        return self.role == "admin" or (self.author and self.role == "officer")

    @property
    def may_publish(self) -> bool:
        return self.role == "admin"

    @property
    def actor(self) -> str:
        return f"officer:{self.id}"

    @property
    def reads_rows(self) -> bool:
        """Officers and admins read responses, transcripts and quotes; viewers see counts only."""
        return self.role in ("admin", "officer")


Handler = Callable[[Request, Who], Awaitable[Response]]


def services(request: Request) -> Services:
    found: Services = request.app.state.services
    return found


def config(request: Request) -> DashboardConfig:
    found: DashboardConfig | None = getattr(request.app.state, "dashboard_config", None)
    if found is None:
        found = DashboardConfig.from_settings(services(request).settings)
        request.app.state.dashboard_config = found
    return found


def now(request: Request) -> datetime:
    return services(request).clock()


async def db(request: Request, work: Callable[[Session], T]) -> T:
    """Run `work` in one transaction, off the event loop."""
    factory = services(request).session_factory

    def run() -> T:
        with factory.begin() as session:
            return work(session)

    return await asyncio.to_thread(run)


def enabled(request: Request) -> bool:
    return "session" in request.scope and config(request).enabled


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


async def csrf_ok(request: Request) -> bool:
    expected = request.session.get("csrf")
    form = await request.form()
    sent = form.get(CSRF_FIELD)
    if not isinstance(expected, str) or not isinstance(sent, str):
        return False
    return hmac.compare_digest(expected.encode(), sent.encode())


def secure(response: Response) -> Response:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def render(
    request: Request,
    name: str,
    context: dict[str, Any],
    *,
    status: int = 200,
    who: Who | None = None,
) -> HTMLResponse:
    html = templates.get_template(name).render(
        request=request,
        who=who,
        csrf_field=CSRF_FIELD,
        csrf_token=csrf_token(request),
        prefix=PREFIX,
        threshold=config(request).threshold,
        health=getattr(request.state, "health_problems", []),
        **context,
    )
    return HTMLResponse(html, status_code=status)


def refuse(request: Request, who: Who | None, status: int, message: str) -> Response:
    return secure(
        render(
            request, "error.html", {"status": status, "message": message}, status=status, who=who
        )
    )


def parse_id(value: str | None) -> int | None:
    """A database id typed into a form or a link, or None if it cannot be one."""
    if value is None or not _ID.fullmatch(value):
        return None
    number = int(value)
    return number if number <= MAX_ID else None


def attachment(name: str) -> str:
    """A download's Content-Disposition (RFC 6266): the name percent-encoded as UTF-8, and an
    ASCII stand-in for clients that cannot read that. Nothing in it can end the header early."""
    fallback = re.sub(r"[^A-Za-z0-9._-]", "_", name)
    encoded = quote(name, safe="", errors="replace")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}"


def url(path: str, **params: Any) -> str:
    query = {k: v for k, v in params.items() if v not in (None, "")}
    return PREFIX + path + (f"?{urlencode(query)}" if query else "")


def redirect(path: str, **params: Any) -> Response:
    return secure(RedirectResponse(url(path, **params), status_code=303))


SESSION_KEY = "sid"


def session_token(request: Request) -> str | None:
    token = request.session.get(SESSION_KEY)
    return token if isinstance(token, str) else None


def begin_session(request: Request, token: str) -> None:
    # A fresh cookie on every sign-in: nothing planted before it (a CSRF token) survives.
    request.session.clear()
    request.session[SESSION_KEY] = token


def client_address(request: Request) -> str:
    """Who is asking, for sign-in throttles: the connecting address, or the one a trusted proxy
    reports (see TRUSTED_PROXIES). An IPv6 client is its /64: one home or machine is given a whole
    /64, so counting single addresses would give it billions of fresh starts."""
    host = request.client.host if request.client else ""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host or "unknown"
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)


async def signed_in(request: Request) -> Who | None:
    token = session_token(request)
    if token is None:
        return None
    at, lifetime = now(request), config(request).lifetime

    def load(session: Session) -> Who | None:
        officer = officer_sessions.resume(session, token, at, lifetime)
        if officer is None:
            return None
        return Who(
            officer.id,
            officer.email,
            officer.role,
            officers_repo.area_scope(officer),
            lead=officer.safeguarding_lead,
            must_change=officer.must_change_password,
            author=officer.author,
        )

    who = await db(request, load)
    if who is None:
        request.session.clear()  # ended, expired or deactivated: the browser forgets it too
    return who


def page(
    roles: Collection[str] | None = None, *, temporary_ok: bool = False
) -> Callable[[Handler], Callable[[Request], Awaitable[Response]]]:
    """A signed-in page: CSRF on every POST, then sign-in, then the role check. Someone signed in
    with a temporary password reaches only the pages marked `temporary_ok` (choosing their own)."""
    allowed = frozenset(roles or ("admin", "officer", "viewer"))

    def wrap(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
        @functools.wraps(handler)
        async def endpoint(request: Request) -> Response:
            try:
                return await checked(request)
            finally:
                await request.close()  # an uploaded file's temporary copy, whatever happened

        async def checked(request: Request) -> Response:
            if not enabled(request):
                return secure(PlainTextResponse(DISABLED, status_code=503))
            if request.method == "POST" and not await csrf_ok(request):
                return refuse(request, None, 403, FORBIDDEN_CSRF)
            who = await signed_in(request)
            if who is None:
                if request.method == "GET":
                    return redirect("/login", next=request.url.path)
                return refuse(request, None, 403, "Please sign in again.")
            if who.must_change and not temporary_ok:
                if request.method == "GET":
                    return redirect("/account")
                return refuse(request, who, 403, CHOOSE_FIRST)
            if who.role == "admin":
                request.state.health_problems = await health_problems(request)
            if who.role not in allowed:
                return refuse(request, who, 403, "Your role does not allow this page.")
            if any(isinstance(v, int) and v > MAX_ID for v in request.path_params.values()):
                return refuse(request, who, 404, "There is nothing with that number.")
            return secure(await handler(request, who))

        return endpoint

    return wrap


async def health_problems(request: Request) -> list[Check]:
    """What `sendvoice doctor` would fail on, for the banner admins see on every page: they can
    fix settings, and otherwise a missing alert route goes unnoticed until someone is at risk."""
    monitor = getattr(request.app.state, "health", None)
    if monitor is None:
        return []
    try:
        return failures(await monitor.current())
    except Exception:  # the page matters more than the banner
        return []


def form_text(form: Any, name: str, *, limit: int = 2000) -> str:
    """A form field as it may be stored: trimmed, and with no control characters but newlines
    and tabs (PostgreSQL refuses NUL)."""
    value = form.get(name)
    return clean_text(value, len(value)).strip()[:limit] if isinstance(value, str) else ""


CHOOSE_FIRST = "You signed in with a temporary password: choose your own on Your account first."
DISABLED = "The dashboard is turned off: set SESSION_SECRET (at least 32 random characters)."
FORBIDDEN_CSRF = (
    "This form has expired or did not come from this dashboard. Go back, reload the page and try "
    "again."
)

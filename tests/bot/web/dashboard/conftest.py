from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urlencode

import httpx
import pytest
from pydantic import SecretStr
from starlette.applications import Starlette

from bot.channels.base import OutboundMessage, Sender, SendResult
from bot.clock import FrozenClock
from bot.config import Settings
from bot.services import Services, build_services
from bot.web.app import create_app
from bot.web.dashboard import SESSION_COOKIE, passwords
from storage import officers as officers_repo
from tests.bot.web.dashboard.seed import EVENT_START, Seeded, seed
from tests.live import LiveServer

PASSWORD = "correct horse battery"
SECRET = "test-session-secret-0123456789abcdefghijklmnop"


def dashboard_settings(database_url: str, **kw: object) -> Settings:
    values: dict[str, object] = {
        "database_url": database_url,
        "council_name": "Testshire County Council",
        "public_base_url": "http://127.0.0.1:8000",
        "session_secret": SecretStr(SECRET),
        **kw,
    }
    return Settings(_env_file=None, **values)  # type: ignore[call-arg, arg-type]


def dashboard_app(services: Services) -> Starlette:
    """The real app, as `sendvoice serve` builds it (workers off: the tests drive them)."""
    return create_app(services, run_workers=False)


@dataclass
class Dash:
    services: Services
    clock: FrozenClock
    server: LiveServer
    seeded: Seeded
    browsers: list[httpx.Client] = field(default_factory=list)  # closed when the test ends

    def url(self, path: str) -> str:
        return self.server.url("/dashboard" + path)

    def officer(
        self, email: str, role: str, areas: tuple[str, ...] = (), *, lead: bool = False
    ) -> int:
        with self.services.session_factory.begin() as s:
            return officers_repo.create(
                s,
                email=email,
                password_hash=passwords.hash_password(PASSWORD),
                role=role,
                areas=areas,
                now=self.clock(),
                safeguarding_lead=lead,
            ).id

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.server.base_url, follow_redirects=False, timeout=30)

    @contextlib.contextmanager
    def login(self, email: str, password: str = PASSWORD) -> Iterator[httpx.Client]:
        with self.client() as client:
            data = {"email": email, "password": password}
            response = post_form(client, "/dashboard/login", "/dashboard/login", data)
            assert response.status_code == 303, response.text
            yield client


TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def token_from(html: str) -> str:
    found = TOKEN.search(html)
    assert found, "the page has no CSRF field"
    return found.group(1)


def post_form(
    client: httpx.Client, page: str, action: str, data: dict[str, str] | list[tuple[str, str]]
) -> httpx.Response:
    """Open the page with the form (for its CSRF token), then submit it as a browser would."""
    token = token_from(client.get(page).text)
    items = list(data.items()) if isinstance(data, dict) else list(data)
    return client.post(
        action,
        content=urlencode([*items, ("csrf_token", token)]).encode(),
        headers={"content-type": "application/x-www-form-urlencoded"},
    )


class Undelivered:
    """A channel that is set up, for a world whose outbox never runs: the follow-up runner plans
    only for channels that can send, and these tests read what was queued."""

    def __init__(self, channel: str) -> None:
        self.channel = channel

    async def send(self, message: OutboundMessage) -> SendResult:
        raise AssertionError("the dashboard tests do not deliver messages")


@pytest.fixture
def dash(database_url: str) -> Iterator[Dash]:
    clock = FrozenClock(EVENT_START)
    senders: dict[str, Sender] = {c: Undelivered(c) for c in ("sms", "telegram")}
    services = build_services(dashboard_settings(database_url), clock=clock, senders=senders)
    seeded = seed(services, clock)
    with LiveServer(dashboard_app(services)) as server:
        yield Dash(services, clock, server, seeded)
    asyncio.run(services.aclose())
    services.close()


@contextlib.contextmanager
def open_bare_dash(database_url: str, **settings: object) -> Iterator[Dash]:
    """The dashboard with no responses seeded, behind a trusted proxy on 127.0.0.1: a test names
    each client's address in X-Forwarded-For, as the council's reverse proxy would."""
    clock = FrozenClock(EVENT_START)
    values = {"trusted_proxies": "127.0.0.1", **settings}
    services = build_services(dashboard_settings(database_url, **values), clock=clock, senders={})
    try:
        with LiveServer(dashboard_app(services)) as server:
            dash = Dash(services, clock, server, Seeded(0, 0, [], []))
            try:
                yield dash
            finally:
                for browser in dash.browsers:
                    browser.close()
    finally:
        asyncio.run(services.aclose())
        services.close()


@pytest.fixture
def bare_dash(database_url: str) -> Iterator[Dash]:
    with open_bare_dash(database_url) as dash:
        yield dash


def client_at(dash: Dash, address: str) -> httpx.Client:
    """A browser at `address` (as the trusted proxy reports it)."""
    browser = httpx.Client(
        base_url=dash.server.base_url,
        follow_redirects=False,
        timeout=30,
        headers={"X-Forwarded-For": address},
    )
    dash.browsers.append(browser)
    return browser


def sign_in(client: httpx.Client, email: str, password: str = PASSWORD) -> httpx.Response:
    data = {"email": email, "password": password}
    return post_form(client, "/dashboard/login", "/dashboard/login", data)


def copy_of(dash: Dash, client: httpx.Client, address: str = "203.0.113.66") -> httpx.Client:
    """Another browser holding a copy of `client`'s session cookie, as a thief would."""
    stolen = client_at(dash, address)
    stolen.cookies.set(SESSION_COOKIE, client.cookies[SESSION_COOKIE])
    return stolen

"""Every response carries the security headers (HSTS behind https): pages, errors, static files,
the health check and the webhooks."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import httpx
import pytest
from pydantic import SecretStr

from bot.config import Settings
from bot.services import build_services
from bot.web.app import create_app
from bot.web.dashboard import auth
from tests.live import LiveServer

SECRET = "test-session-secret-0123456789abcdefghijklmnop"
WANTED = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
}
PATHS = [
    ("GET", "/healthz"),
    ("GET", "/dashboard/static/dashboard.css"),
    ("GET", "/no-such-page"),
    ("GET", "/dashboard/no-such-page"),
    ("GET", "/dashboard/login"),
    ("PUT", "/healthz"),
    ("POST", "/webhooks/twilio/sms"),
    ("POST", "/webhooks/telegram"),
]


def _server(database_url: str, public_base_url: str) -> Iterator[httpx.Client]:
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=database_url,
        public_base_url=public_base_url,
        session_secret=SecretStr(SECRET),
    )
    services = build_services(settings, senders={})
    with (
        LiveServer(create_app(services, run_workers=False)) as server,
        httpx.Client(base_url=server.base_url) as client,
    ):
        yield client
    asyncio.run(services.aclose())
    services.close()


@pytest.fixture
def https(database_url: str) -> Iterator[httpx.Client]:
    yield from _server(database_url, "https://voice.council.example")


@pytest.fixture
def plain(database_url: str) -> Iterator[httpx.Client]:
    yield from _server(database_url, "http://127.0.0.1:8000")


def _has_headers(response: httpx.Response) -> None:
    for name, value in WANTED.items():
        assert response.headers.get(name) == value, (response.request.url, name)
    assert "default-src 'none'" in response.headers["content-security-policy"]


@pytest.mark.parametrize(("method", "path"), PATHS)
def test_every_response_has_the_security_headers_and_hsts_behind_https(
    https: httpx.Client, method: str, path: str
) -> None:
    response = https.request(method, path)
    _has_headers(response)
    assert response.headers["strict-transport-security"] == "max-age=31536000"


def test_no_hsts_when_the_service_is_reached_over_plain_http(plain: httpx.Client) -> None:
    response = plain.get("/healthz")
    _has_headers(response)
    assert "strict-transport-security" not in response.headers


def test_a_server_error_has_the_headers_and_shows_no_details(
    https: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug with private words")

    monkeypatch.setattr(auth, "render", broken)
    response = https.get("/dashboard/login")
    assert response.status_code == 500
    assert "private words" not in response.text
    _has_headers(response)
    assert response.headers["strict-transport-security"] == "max-age=31536000"

"""/healthz says degraded with reasons, the admins' pages carry a banner, `serve` warns at start."""

from __future__ import annotations

import html
import logging
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
from click.testing import CliRunner
from pydantic import SecretStr
from starlette.applications import Starlette

from bot.clock import FrozenClock
from bot.config import Settings, get_settings
from bot.services import Services, build_services
from bot.web.app import create_app
from storage import contacts as contacts_repo
from storage import messages as messages_repo
from tests.bot.web.dashboard.conftest import PASSWORD, SECRET, post_form
from tests.bot.web.dashboard.seed import EVENT_START
from tests.live import LiveServer

SMTP_PASSWORD = "smtp-secret-password"
# Everything a live deployment needs (the providers are never called in these tests).
GOOD: dict[str, object] = {
    # Local http, so the test browser keeps the session cookie: a warning, not a failure.
    "public_base_url": "http://127.0.0.1:8000",
    "twilio_account_sid": "AC" + "1" * 32,
    "twilio_auth_token": SecretStr("twilio-secret-token"),
    "twilio_from_number": "+447700900000",
    "telegram_bot_token": SecretStr("123456:bot-secret-token"),
    "telegram_webhook_secret": SecretStr("webhook-secret"),
    "smtp_host": "smtp.example.gov.uk",
    "smtp_username": "sendvoice",
    "smtp_password": SecretStr(SMTP_PASSWORD),
    "smtp_from": "sendvoice@example.gov.uk",
    "safeguarding_email_to": "dsl@example.gov.uk",
    "session_secret": SecretStr(SECRET),
}


@dataclass
class Site:
    services: Services
    app: Starlette
    server: LiveServer
    http: httpx.Client

    def health(self) -> httpx.Response:
        return self.http.get(self.server.url("/healthz"))

    def officer(self, email: str, role: str) -> None:
        from bot.web.dashboard import passwords
        from storage import officers as officers_repo

        with self.services.session_factory.begin() as s:
            officers_repo.create(
                s,
                email=email,
                password_hash=passwords.hash_password(PASSWORD),
                role=role,
                areas=(),
                now=self.services.clock(),
            )

    def page_as(self, email: str, path: str = "/dashboard/") -> str:
        with httpx.Client(base_url=self.server.base_url, timeout=30) as client:
            data = {"email": email, "password": PASSWORD}
            signed_in = post_form(client, "/dashboard/login", "/dashboard/login", data)
            assert signed_in.status_code == 303, signed_in.text
            page = client.get(path)
            assert page.status_code == 200
            return page.text


@pytest.fixture
def site(database_url: str, request: pytest.FixtureRequest) -> Iterator[Site]:
    changes: dict[str, object] = getattr(request, "param", {})
    values = {**GOOD, "database_url": database_url, **changes}
    settings = Settings(_env_file=None, **values)  # type: ignore[call-arg, arg-type]
    # The senders the settings would build, without ever reaching a provider.
    senders = {"sms": object(), "telegram": object()}
    if not settings.telegram_configured:
        del senders["telegram"]
    services = build_services(
        settings,
        clock=FrozenClock(EVENT_START),
        senders=senders,  # type: ignore[arg-type]
    )
    app = create_app(services, run_workers=False)
    with LiveServer(app) as server, httpx.Client() as http:
        yield Site(services, app, server, http)
    services.close()


def test_a_well_set_up_service_is_ok(site: Site) -> None:
    response = site.health()
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "reasons": [], "unread_overdue": 0}


NO_ALERTS = {"smtp_host": "", "safeguarding_email_to": ""}


@pytest.mark.parametrize("site", [NO_ALERTS], indirect=True)
def test_no_alert_route_is_degraded_with_the_reason_but_still_routed(site: Site) -> None:
    response = site.health()
    assert response.status_code == 200  # still taking messages: load balancers keep it
    body = response.json()
    assert body["status"] == "degraded"
    assert body["database"] == "ok"
    [reason] = body["reasons"]
    assert reason.startswith("safeguarding alerts: safeguarding alerts are not emailed")
    for secret in (SMTP_PASSWORD, "twilio-secret-token", "bot-secret-token", SECRET):
        assert secret not in response.text


NO_TELEGRAM = {"telegram_bot_token": SecretStr(""), "telegram_webhook_secret": SecretStr("")}


@pytest.mark.parametrize("site", [NO_TELEGRAM], indirect=True)
def test_messages_waiting_for_a_channel_that_cannot_send_are_a_reason(site: Site) -> None:
    assert site.health().json()["status"] == "ok"  # Telegram off, nothing waiting for it
    with site.services.session_factory.begin() as s:
        now = site.services.clock()
        contact, identity, _ = contacts_repo.find_or_create(s, "telegram", "7001", now)
        messages_repo.queue_outbound(
            s,
            channel="telegram",
            identity_id=identity.id,
            contact_id=contact.id,
            conversation_id=None,
            body="Hello",
            meta={},
            segments=1,
            now=now,
        )
    site.app.state.health.ttl = 0  # look again now, not in 15 seconds
    body = site.health().json()
    assert body["status"] == "degraded"
    assert body["reasons"] == [
        "telegram backlog: 1 message(s) and 0 follow-up(s) wait for Telegram, which cannot send"
    ]


def test_a_database_that_cannot_be_reached_is_down(database_url: str) -> None:
    settings = Settings(  # type: ignore[call-arg, arg-type]
        _env_file=None, **{**GOOD, "database_url": "postgresql+psycopg://sv:pw@127.0.0.1:1/sv"}
    )
    services = build_services(settings, senders={})
    with LiveServer(create_app(services, run_workers=False)) as server:
        response = httpx.get(server.url("/healthz"), timeout=30)
    services.close()
    assert response.status_code == 503
    assert response.json()["status"] == "down"
    assert "pw" not in response.text


@pytest.mark.parametrize("site", [NO_ALERTS], indirect=True)
def test_admins_see_a_banner_naming_each_problem_and_others_do_not(site: Site) -> None:
    site.officer("admin@council.example", "admin")
    site.officer("ann@council.example", "officer")
    for path in ("/dashboard/", "/dashboard/responses", "/dashboard/officers"):
        page = html.unescape(site.page_as("admin@council.example", path))
        assert "This service is not set up to work fully." in page
        assert "Safeguarding alerts:</strong> safeguarding alerts are not emailed" in page
        assert "To fix: set SMTP_HOST" in page
    page = site.page_as("ann@council.example")
    assert "not set up to work fully" not in page


def test_no_banner_when_all_is_well(site: Site) -> None:
    site.officer("admin@council.example", "admin")
    assert "not set up to work fully" not in site.page_as("admin@council.example")


@pytest.mark.parametrize("command", ["serve", "scheduler"])
def test_serve_and_the_scheduler_warn_at_start_for_each_problem_without_secrets(
    command: str,
    database_url: str,
    tmp_path: object,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    from bot.cli import scheduler
    from bot.cli.main import main
    from bot.web import serving

    monkeypatch.chdir(tmp_path)  # type: ignore[arg-type]
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://sendvoice.example.gov.uk")
    monkeypatch.setenv("SMTP_PASSWORD", SMTP_PASSWORD)
    monkeypatch.setenv("SMTP_USERNAME", "sendvoice")
    for key in ("SMTP_HOST", "SAFEGUARDING_EMAIL_TO", "TELEGRAM_BOT_TOKEN", "TWILIO_AUTH_TOKEN"):
        monkeypatch.delenv(key, raising=False)
    # Start-up is what is under test: the command goes on to run, and returns at once.
    started: list[str] = []
    monkeypatch.setattr(serving, "serve_one", lambda *a, **kw: started.append("served"))
    monkeypatch.setattr(
        scheduler.asyncio, "run", lambda work: (work.close(), started.append("scheduled"))
    )
    get_settings.cache_clear()
    try:
        with caplog.at_level(logging.WARNING, logger="bot.cli.db"):
            result = CliRunner().invoke(main, [command])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    assert started  # it went on to run: problems are warnings, not refusals
    warnings = [r.getMessage() for r in caplog.records if r.name == "bot.cli.db"]
    assert any(w.startswith("FAIL safeguarding alerts: ") for w in warnings), warnings
    assert any(w.startswith("WARN sms (twilio): SMS is off") for w in warnings), warnings
    assert any(w.startswith("WARN telegram: Telegram is off") for w in warnings), warnings
    assert SMTP_PASSWORD not in caplog.text

"""Signing in and out, lockout, CSRF on every form, roles, and the session cookie."""

from __future__ import annotations

import asyncio
import re
from datetime import timedelta

import httpx
from starlette.routing import Mount, Route

from bot.clock import FrozenClock
from bot.services import build_services
from bot.web import dashboard
from storage import audit
from tests.bot.web.dashboard.conftest import (
    PASSWORD,
    Dash,
    dashboard_app,
    dashboard_settings,
    post_form,
    token_from,
)
from tests.bot.web.dashboard.seed import EVENT_START
from tests.live import LiveServer

GENERIC = "That email and password did not work."


def test_signing_in_opens_the_dashboard_and_signing_out_closes_it(dash: Dash) -> None:
    dash.officer("ann@council.example", "officer", ("north",))
    client = dash.client()
    first = client.get("/dashboard/responses")
    assert first.status_code == 303
    assert first.headers["location"].startswith("/dashboard/login")
    client.close()
    with dash.login("Ann@Council.example") as client:
        page = client.get("/dashboard/")
        assert page.status_code == 200
        assert "Who was asked, who replied" in page.text
        assert "ann@council.example (officer)" in page.text
        out = post_form(client, "/dashboard/", "/dashboard/logout", {})
        assert out.status_code == 303
        assert client.get("/dashboard/").status_code == 303


def test_a_wrong_password_and_an_unknown_email_get_the_same_answer(dash: Dash) -> None:
    dash.officer("ann@council.example", "officer", ("north",))
    with dash.client() as client:
        data = {"email": "ann@council.example", "password": "not the password"}
        wrong = post_form(client, "/dashboard/login", "/dashboard/login", data)
        data = {"email": "nobody@council.example", "password": "not the password"}
        unknown = post_form(client, "/dashboard/login", "/dashboard/login", data)
    assert wrong.status_code == unknown.status_code == 401
    assert GENERIC in wrong.text
    assert GENERIC in unknown.text
    assert wrong.text.replace("ann@", "x@") == unknown.text.replace("nobody@", "x@")


def test_five_wrong_passwords_lock_the_account_for_fifteen_minutes(dash: Dash) -> None:
    officer_id = dash.officer("ann@council.example", "officer", ("north",))
    with dash.client() as client:
        for _ in range(5):
            data = {"email": "ann@council.example", "password": "a wrong guess!"}
            assert (
                post_form(client, "/dashboard/login", "/dashboard/login", data).status_code == 401
            )
        data = {"email": "ann@council.example", "password": PASSWORD}
        locked = post_form(client, "/dashboard/login", "/dashboard/login", data)
        assert locked.status_code == 401
        assert GENERIC in locked.text
        dash.clock.now += timedelta(minutes=14)
        assert post_form(client, "/dashboard/login", "/dashboard/login", data).status_code == 401
        dash.clock.now += timedelta(minutes=2)
        assert post_form(client, "/dashboard/login", "/dashboard/login", data).status_code == 303
    with dash.services.session_factory() as s:
        locks = audit.recent(s, action="login_locked")
    assert [e.actor for e in locks] == [f"officer:{officer_id}"]


def _post_routes() -> list[str]:
    found = []
    for mount in dashboard.routes():
        assert isinstance(mount, Mount)
        for route in mount.routes:
            if isinstance(route, Route) and route.methods and "POST" in route.methods:
                found.append(mount.path + re.sub(r"\{(\w+)(:\w+)?\}", r"\1", route.path))
    return found


def test_every_form_post_without_the_csrf_token_is_refused(dash: Dash) -> None:
    dash.officer("admin@council.example", "admin")
    routes = _post_routes()
    assert len(routes) >= 10
    with dash.login("admin@council.example") as client:
        token = token_from(client.get("/dashboard/").text)
        for path in routes:
            concrete = (
                path.replace("conversation_id", "1")
                .replace("answer_id", "1")
                .replace("action_id", "1")
                .replace("event_id", "1")
                .replace("officer_id", "1")
                .replace("flag_id", "1")
                .replace("theme_id", "1")
            )
            missing = client.post(concrete, data={"email": "admin@council.example"})
            forged = client.post(concrete, data={"csrf_token": token[:-2] + "xx"})
            assert missing.status_code == 403, concrete
            assert forged.status_code == 403, concrete
            assert "did not come from this dashboard" in missing.text
        # And the session still works: the token was never the problem with the session itself.
        assert client.get("/dashboard/").status_code == 200


def test_pages_refuse_roles_they_are_not_for(dash: Dash) -> None:
    dash.officer("val@council.example", "viewer")
    dash.officer("ann@council.example", "officer", ("north",))
    with dash.login("val@council.example") as viewer:
        for path in (
            "/responses",
            "/coding",
            "/exports",
            "/exports/download",
            "/officers",
            "/audit",
        ):
            assert viewer.get("/dashboard" + path).status_code == 403, path
        for path in ("/", "/themes", "/actions", "/report"):
            assert viewer.get("/dashboard" + path).status_code == 200, path
    with dash.login("ann@council.example") as officer:
        assert officer.get("/dashboard/officers").status_code == 403
        assert officer.get("/dashboard/audit").status_code == 403
        assert officer.get("/dashboard/responses").status_code == 200


def test_an_admin_adds_and_deactivates_an_officer_whose_session_then_ends(dash: Dash) -> None:
    dash.officer("admin@council.example", "admin")
    with dash.login("admin@council.example") as admin:
        short = post_form(
            admin,
            "/dashboard/officers",
            "/dashboard/officers",
            {
                "email": "bo@council.example",
                "role": "officer",
                "areas": "north",
                "password": "short",
            },
        )
        assert short.status_code == 400
        assert "at least 12 characters" in short.text
        added = post_form(
            admin,
            "/dashboard/officers",
            "/dashboard/officers",
            {
                "email": "bo@council.example",
                "role": "officer",
                "areas": "north, south",
                "password": PASSWORD,
            },
        )
        assert added.status_code == 303
        with dash.login("bo@council.example") as bo:
            assert bo.get("/dashboard/responses").status_code == 200
            listing = admin.get("/dashboard/officers").text
            assert "north, south" in listing
            with dash.services.session_factory() as s:
                from storage import officers as officers_repo

                bo_id = officers_repo.by_email(s, "bo@council.example").id  # type: ignore[union-attr]
            gone = post_form(
                admin, "/dashboard/officers", f"/dashboard/officers/{bo_id}/active", {"active": "0"}
            )
            assert gone.status_code == 303
            assert bo.get("/dashboard/responses").status_code == 303  # back to sign in
        audit_page = admin.get("/dashboard/audit").text
        assert "deactivate_officer" in audit_page
        assert "add_officer" in audit_page


def test_session_cookie_is_http_only_lax_and_secure_behind_https(database_url: str) -> None:
    clock = FrozenClock(EVENT_START)
    settings = dashboard_settings(database_url, public_base_url="https://send.example.gov.uk")
    services = build_services(settings, clock=clock, senders={})
    try:
        with (
            LiveServer(dashboard_app(services)) as server,
            httpx.Client(base_url=server.base_url) as client,
        ):
            page = client.get("/dashboard/login")
            cookie = page.headers["set-cookie"].lower()
            assert "httponly" in cookie
            assert "samesite=lax" in cookie
            assert "secure" in cookie
            assert "path=/dashboard" in cookie
            assert "default-src 'none'" in page.headers["content-security-policy"]
            assert page.headers["cache-control"] == "no-store"
    finally:
        asyncio.run(services.aclose())
        services.close()


def test_without_a_session_secret_the_dashboard_is_off(database_url: str) -> None:
    settings = dashboard_settings(database_url)
    settings = settings.model_copy(update={"session_secret": ""})
    services = build_services(settings, clock=FrozenClock(EVENT_START), senders={})
    try:
        assert dashboard.middleware(settings) == []
        with (
            LiveServer(dashboard_app(services)) as server,
            httpx.Client(base_url=server.base_url) as client,
        ):
            for path in ("/dashboard/login", "/dashboard/", "/dashboard/report"):
                response = client.get(path)
                assert response.status_code == 503
                assert "SESSION_SECRET" in response.text
    finally:
        asyncio.run(services.aclose())
        services.close()

"""Sessions live server-side: a copied cookie stops working when its session ends, however ended."""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import timedelta

import httpx
from sqlalchemy import select

from bot.web.dashboard import SESSION_COOKIE
from storage import audit
from storage import officers as officers_repo
from storage.dashboard_models import OfficerSession
from tests.bot.web.dashboard.conftest import (
    PASSWORD,
    Dash,
    client_at,
    copy_of,
    post_form,
    sign_in,
)

HOME = "/dashboard/"
NEW_PASSWORD = "a brand new passphrase"


def works(client: httpx.Client) -> bool:
    response = client.get(HOME)
    assert response.status_code in (200, 303), response.status_code
    if response.status_code == 303:
        assert response.headers["location"].startswith("/dashboard/login")
    return response.status_code == 200


def signed_in(dash: Dash, email: str, address: str = "198.51.100.7") -> httpx.Client:
    client = client_at(dash, address)
    assert sign_in(client, email).status_code == 303
    return client


def officer_id(dash: Dash, email: str) -> int:
    with dash.services.session_factory() as s:
        found = officers_repo.by_email(s, email)
        assert found is not None
        return found.id


def test_a_copied_cookie_stops_working_when_its_owner_signs_out(bare_dash: Dash) -> None:
    bare_dash.officer("ann@council.example", "officer", ("north",))
    ann = signed_in(bare_dash, "ann@council.example")
    thief = copy_of(bare_dash, ann)
    assert works(thief)
    assert post_form(ann, HOME, "/dashboard/logout", {}).status_code == 303
    assert not works(ann)
    assert not works(thief)


def test_the_cookie_carries_a_token_the_database_keeps_only_a_hash_of(bare_dash: Dash) -> None:
    bare_dash.officer("ann@council.example", "officer", ("north",))
    ann = signed_in(bare_dash, "ann@council.example")
    payload = ann.cookies[SESSION_COOKIE].split(".")[0]
    session = json.loads(base64.b64decode(payload + "=" * (-len(payload) % 4)))
    assert "officer" not in session  # no officer id to tamper with or replay after a reinstatement
    token = session["sid"]
    with bare_dash.services.session_factory() as s:
        kept = list(s.scalars(select(OfficerSession.token_hash)))
    assert kept == [hashlib.sha256(token.encode()).hexdigest()]


def test_a_session_ends_after_its_absolute_lifetime_however_busy(bare_dash: Dash) -> None:
    bare_dash.officer("ann@council.example", "officer", ("north",))
    ann = signed_in(bare_dash, "ann@council.example")
    for _ in range(23):  # a page every 30 minutes keeps it from ever being idle
        bare_dash.clock.advance(timedelta(minutes=30))
        assert works(ann)
    bare_dash.clock.advance(timedelta(minutes=29, seconds=59))
    assert works(ann)  # 11 h 59 min 59 s
    bare_dash.clock.advance(timedelta(seconds=1))
    assert not works(ann)  # 12 hours: DASHBOARD_SESSION_MAX_HOURS
    assert sign_in(ann, "ann@council.example").status_code == 303
    assert works(ann)


def test_a_session_ends_after_an_idle_hour(bare_dash: Dash) -> None:
    bare_dash.officer("ann@council.example", "officer", ("north",))
    ann = signed_in(bare_dash, "ann@council.example")
    bare_dash.clock.advance(timedelta(minutes=59))
    assert works(ann)
    bare_dash.clock.advance(timedelta(minutes=59))
    assert works(ann)  # each visit restarts the idle hour
    bare_dash.clock.advance(timedelta(minutes=60))
    assert not works(ann)


def test_changing_a_password_signs_out_every_other_session(bare_dash: Dash) -> None:
    bare_dash.officer("ann@council.example", "officer", ("north",))
    ann = signed_in(bare_dash, "ann@council.example")
    laptop = signed_in(bare_dash, "ann@council.example", "192.0.2.10")
    thief = copy_of(bare_dash, ann)
    change = {"current_password": PASSWORD, "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    done = post_form(ann, "/dashboard/account", "/dashboard/account/password", change)
    assert done.status_code == 303
    page = ann.get(done.headers["location"])
    assert "Your password is changed. You are signed out everywhere else." in page.text
    assert works(ann)
    assert not works(laptop)
    assert not works(thief)
    again = client_at(bare_dash, "192.0.2.10")
    assert sign_in(again, "ann@council.example").status_code == 401
    assert sign_in(again, "ann@council.example", NEW_PASSWORD).status_code == 303
    with bare_dash.services.session_factory() as s:
        changes = audit.recent(s, action="change_password")
    assert [e.actor for e in changes] == [f"officer:{officer_id(bare_dash, 'ann@council.example')}"]


def test_a_wrong_current_password_changes_nothing(bare_dash: Dash) -> None:
    bare_dash.officer("ann@council.example", "officer", ("north",))
    ann = signed_in(bare_dash, "ann@council.example")
    laptop = signed_in(bare_dash, "ann@council.example", "192.0.2.10")
    change = {"current_password": "a guess, wrong", "new_password": NEW_PASSWORD}
    change["confirm"] = NEW_PASSWORD
    refused = post_form(ann, "/dashboard/account", "/dashboard/account/password", change)
    assert refused.status_code == 400
    assert "Your current password was not right" in refused.text
    mismatch = {"current_password": PASSWORD, "new_password": NEW_PASSWORD, "confirm": "other"}
    refused = post_form(ann, "/dashboard/account", "/dashboard/account/password", mismatch)
    assert refused.status_code == 400
    assert works(ann)
    assert works(laptop)
    assert sign_in(client_at(bare_dash, "192.0.2.11"), "ann@council.example").status_code == 303


def test_guessing_the_current_password_is_throttled_like_signing_in(bare_dash: Dash) -> None:
    bare_dash.officer("ann@council.example", "officer", ("north",))
    ann = signed_in(bare_dash, "ann@council.example")
    change = {"current_password": "a guess, wrong", "new_password": NEW_PASSWORD}
    change["confirm"] = NEW_PASSWORD
    for _ in range(5):
        post_form(ann, "/dashboard/account", "/dashboard/account/password", change)
    change["current_password"] = PASSWORD
    refused = post_form(ann, "/dashboard/account", "/dashboard/account/password", change)
    assert refused.status_code == 429
    elsewhere = client_at(bare_dash, "192.0.2.10")
    assert sign_in(elsewhere, "ann@council.example").status_code == 303  # not NEW_PASSWORD


def test_deactivating_ends_sessions_for_good_even_after_reactivation(bare_dash: Dash) -> None:
    bare_dash.officer("admin@council.example", "admin")
    bo_id = bare_dash.officer("bo@council.example", "officer", ("north",))
    admin = signed_in(bare_dash, "admin@council.example", "192.0.2.1")
    bo = signed_in(bare_dash, "bo@council.example")
    thief = copy_of(bare_dash, bo)
    page, active = "/dashboard/officers", f"/dashboard/officers/{bo_id}/active"
    assert post_form(admin, page, active, {"active": "0"}).status_code == 303
    assert not works(thief)
    assert post_form(admin, page, active, {"active": "1"}).status_code == 303
    assert not works(thief)  # a reinstated officer signs in afresh; old cookies stay dead
    assert not works(bo)
    assert sign_in(bo, "bo@council.example").status_code == 303


def test_changing_an_officers_role_ends_their_sessions(bare_dash: Dash) -> None:
    bare_dash.officer("admin@council.example", "admin")
    bo_id = bare_dash.officer("bo@council.example", "officer", ("north",))
    admin = signed_in(bare_dash, "admin@council.example", "192.0.2.1")
    bo = signed_in(bare_dash, "bo@council.example")
    thief = copy_of(bare_dash, bo)
    assert bo.get("/dashboard/responses").status_code == 200
    role = f"/dashboard/officers/{bo_id}/role"
    same = post_form(admin, "/dashboard/officers", role, {"role": "officer", "areas": "north"})
    assert same.status_code == 303
    assert works(bo)  # nothing changed, so nothing ended
    to_viewer = {"role": "viewer", "areas": "north"}
    assert post_form(admin, "/dashboard/officers", role, to_viewer).status_code == 303
    assert not works(thief)
    assert not works(bo)
    assert sign_in(bo, "bo@council.example").status_code == 303
    assert "bo@council.example (viewer)" in bo.get(HOME).text
    assert bo.get("/dashboard/responses").status_code == 403
    bad = post_form(admin, "/dashboard/officers", role, {"role": "owner", "areas": ""})
    assert bad.status_code == 400
    mine = f"/dashboard/officers/{officer_id(bare_dash, 'admin@council.example')}/role"
    assert post_form(admin, "/dashboard/officers", mine, to_viewer).status_code == 400
    with bare_dash.services.session_factory() as s:
        (entry,) = audit.recent(s, action="change_officer_role")
    assert entry.subject == f"officer:{bo_id}"
    assert entry.detail["after"] == {"role": "viewer", "areas": ["north"]}


def test_an_admin_ends_an_officers_sessions_from_the_officers_page(bare_dash: Dash) -> None:
    bare_dash.officer("admin@council.example", "admin")
    bo_id = bare_dash.officer("bo@council.example", "officer", ("north",))
    admin = signed_in(bare_dash, "admin@council.example", "192.0.2.1")
    desk = signed_in(bare_dash, "bo@council.example")
    phone = signed_in(bare_dash, "bo@council.example", "192.0.2.20")
    listing = admin.get("/dashboard/officers").text
    assert "2 sessions" in listing
    assert 'End sessions<span class="visually-hidden"> of bo@council.example' in listing
    end = f"/dashboard/officers/{bo_id}/sessions/end"
    assert post_form(admin, "/dashboard/officers", end, {}).status_code == 303
    assert not works(desk)
    assert not works(phone)
    assert works(admin)
    assert "0 sessions" in admin.get("/dashboard/officers").text
    with bare_dash.services.session_factory() as s:
        (entry,) = audit.recent(s, action="end_officer_sessions")
    assert entry.actor == f"officer:{officer_id(bare_dash, 'admin@council.example')}"
    assert entry.subject == f"officer:{bo_id}"
    assert entry.detail == {"sessions": 2}
    assert "end_officer_sessions" in admin.get("/dashboard/audit").text


def test_only_admins_end_sessions_or_change_roles(bare_dash: Dash) -> None:
    admin_id = bare_dash.officer("admin@council.example", "admin")
    bare_dash.officer("bo@council.example", "officer", ("north",))
    admin = signed_in(bare_dash, "admin@council.example", "192.0.2.1")
    bo = signed_in(bare_dash, "bo@council.example")
    end = f"/dashboard/officers/{admin_id}/sessions/end"
    assert post_form(bo, HOME, end, {}).status_code == 403
    role = f"/dashboard/officers/{admin_id}/role"
    assert post_form(bo, HOME, role, {"role": "viewer"}).status_code == 403
    assert works(admin)

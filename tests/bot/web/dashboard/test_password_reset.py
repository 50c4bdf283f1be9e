"""An admin resets an officer's password: a temporary one, shown once, that only lets the officer
choose their own, and runs out; the officer's own change needs the current password."""

from __future__ import annotations

import re
from datetime import timedelta

import httpx

from bot.web.dashboard import passwords
from storage import audit
from storage import officers as officers_repo
from tests.bot.web.dashboard.conftest import PASSWORD, Dash, client_at, copy_of, post_form, sign_in
from tests.bot.web.dashboard.test_sessions import NEW_PASSWORD, officer_id, signed_in, works

TEMPORARY = re.compile(r'<code id="temporary">([a-z2-9-]+)</code>')


def reset(admin: httpx.Client, officer: int) -> httpx.Response:
    return post_form(admin, "/dashboard/officers", f"/dashboard/officers/{officer}/password", {})


def temporary_of(response: httpx.Response) -> str:
    found = TEMPORARY.search(response.text)
    assert found, response.text
    return found.group(1)


def choose(
    client: httpx.Client, current: str, new: str, again: str | None = None
) -> httpx.Response:
    data = {"current_password": current, "new_password": new, "confirm": again or new}
    return post_form(client, "/dashboard/account", "/dashboard/account/password", data)


def test_a_reset_gives_a_temporary_password_once_and_ends_every_session(bare_dash: Dash) -> None:
    bare_dash.officer("admin@council.example", "admin")
    bo_id = bare_dash.officer("bo@council.example", "officer", ("north",))
    admin = signed_in(bare_dash, "admin@council.example", "192.0.2.1")
    bo = signed_in(bare_dash, "bo@council.example")
    thief = copy_of(bare_dash, bo)
    done = reset(admin, bo_id)
    assert done.status_code == 200
    assert done.headers["cache-control"] == "no-store"
    temporary = temporary_of(done)
    assert len(temporary) == 19
    assert "This is the only time it is shown" in done.text
    assert not works(bo)
    assert not works(thief)
    assert temporary not in admin.get("/dashboard/officers").text
    assert "temporary password until" in admin.get("/dashboard/officers").text
    assert temporary not in admin.get("/dashboard/audit").text
    with bare_dash.services.session_factory() as s:
        [entry] = audit.recent(s, action="reset_password")
        officer = officers_repo.get(s, bo_id)
        assert officer is not None
        assert officer.must_change_password
        assert temporary not in officer.password_hash
    assert entry.subject == f"officer:{bo_id}"
    assert entry.detail["sessions_ended"] == 1  # the thief's copy is the same session
    assert temporary not in repr(entry.detail)

    # The old password is gone; the temporary one leads only to choosing a new one.
    fresh = client_at(bare_dash, "192.0.2.20")
    assert sign_in(fresh, "bo@council.example").status_code == 401
    signed = sign_in(fresh, "bo@council.example", temporary)
    assert signed.status_code == 303
    assert signed.headers["location"] == "/dashboard/account"
    for path in ("/dashboard/", "/dashboard/responses", "/dashboard/coding?flow=post_event"):
        response = fresh.get(path)
        assert response.status_code == 303, path
        assert response.headers["location"] == "/dashboard/account"
    page = fresh.get("/dashboard/account").text
    assert "Choose your own password" in page
    assert 'aria-label="Main"' not in page  # no way round it
    refused = post_form(fresh, "/dashboard/account", "/dashboard/to-read/read", {"item": "1"})
    assert refused.status_code == 403
    # Weak, reused or mistyped: refused on the same form, saying why.
    assert "at least 12 characters" in choose(fresh, temporary, "short").text
    assert choose(fresh, temporary, "short").status_code == 400
    assert "must be different" in choose(fresh, temporary, temporary).text
    assert "not the same" in choose(fresh, temporary, NEW_PASSWORD, "something else!").text
    assert "was not right" in choose(fresh, "not the temporary one", NEW_PASSWORD).text
    chosen = choose(fresh, temporary, NEW_PASSWORD)
    assert chosen.status_code == 303
    assert works(fresh)
    assert "Your password is changed" in fresh.get(chosen.headers["location"]).text
    later = client_at(bare_dash, "192.0.2.21")
    assert sign_in(later, "bo@council.example", temporary).status_code == 401
    assert sign_in(later, "bo@council.example", NEW_PASSWORD).status_code == 303
    assert later.get("/dashboard/").status_code == 200
    with bare_dash.services.session_factory() as s:
        [change] = audit.recent(s, action="change_password")
    assert change.detail == {"after_reset": True}


def test_a_temporary_password_runs_out(bare_dash: Dash) -> None:
    bare_dash.officer("admin@council.example", "admin")
    bo_id = bare_dash.officer("bo@council.example", "officer", ("north",))
    admin = signed_in(bare_dash, "admin@council.example", "192.0.2.1")
    temporary = temporary_of(reset(admin, bo_id))
    bare_dash.clock.advance(passwords.TEMPORARY_LIFETIME + timedelta(minutes=1))
    late = client_at(bare_dash, "192.0.2.30")
    refused = sign_in(late, "bo@council.example", temporary)
    assert refused.status_code == 401
    assert "That temporary password has expired" in refused.text
    # Another reset starts the clock again.
    admin = signed_in(bare_dash, "admin@council.example", "192.0.2.1")
    again = temporary_of(reset(admin, bo_id))
    assert again != temporary
    assert sign_in(late, "bo@council.example", again).status_code == 303


def test_resets_that_cannot_be_done_are_refused(bare_dash: Dash) -> None:
    admin_id = bare_dash.officer("admin@council.example", "admin")
    bo_id = bare_dash.officer("bo@council.example", "officer", ("north",))
    admin = signed_in(bare_dash, "admin@council.example", "192.0.2.1")
    own = reset(admin, admin_id)
    assert own.status_code == 400
    assert "Your account" in own.text
    assert reset(admin, 999999).status_code == 404
    assert reset(admin, 2147483648).status_code == 404
    bo = signed_in(bare_dash, "bo@council.example")
    assert reset(bo, admin_id).status_code == 403  # officers cannot reset anyone's
    assert works(admin)
    assert officer_id(bare_dash, "bo@council.example") == bo_id


def test_an_officer_changing_their_own_password_needs_the_current_one(bare_dash: Dash) -> None:
    bare_dash.officer("ann@council.example", "officer", ("north",))
    ann = signed_in(bare_dash, "ann@council.example")
    laptop = signed_in(bare_dash, "ann@council.example", "192.0.2.10")
    refused = choose(ann, "", NEW_PASSWORD)
    assert refused.status_code == 400
    assert "Your password was not changed" in refused.text
    assert "must be different" in choose(ann, PASSWORD, PASSWORD).text
    assert works(laptop)
    assert choose(ann, PASSWORD, NEW_PASSWORD).status_code == 303
    assert not works(laptop)
    assert works(ann)

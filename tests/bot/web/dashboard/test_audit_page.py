"""The audit log names officers by email, pages through everything, and filters by officer,
action and dates; a filter that cannot be one is refused with 400."""

from __future__ import annotations

import re
from datetime import timedelta

from storage import audit
from tests.bot.web.dashboard.conftest import Dash
from tests.bot.web.dashboard.test_sessions import signed_in

ROW = re.compile(r"<tr><td>([^<]+)</td><td>([^<]+)</td><td>([^<]+)</td><td>([^<]*)</td>")


def rows(html: str) -> list[tuple[str, str, str, str]]:
    return ROW.findall(html)


def test_the_audit_log_shows_emails_pages_and_filters(bare_dash: Dash) -> None:
    admin_id = bare_dash.officer("admin@council.example", "admin")
    bo_id = bare_dash.officer("bo@council.example", "officer", ("north",))
    start = bare_dash.clock()
    with bare_dash.services.session_factory.begin() as s:
        for i in range(60):
            audit.record(
                s,
                actor=f"officer:{bo_id}",
                action="view_transcript",
                subject=f"pseudonym{i:02d}",
                now=start - timedelta(days=i),
            )
        audit.record(s, actor="cli", action="set_password", subject=f"officer:{bo_id}", now=start)
        audit.record(s, actor="officer:999", action="export", now=start)
    admin = signed_in(bare_dash, "admin@council.example")
    page = admin.get("/dashboard/audit").text
    shown = rows(page)
    assert len(shown) == 50
    assert "Page 1 of 2" in page
    assert "63 entries." in page  # 60, the CLI's, the removed officer's, and the admin's sign-in
    who = {r[1] for r in shown}
    assert "bo@council.example" in who
    assert "admin@council.example" in who
    assert not any(w.startswith("officer:") for w in who)
    assert ("cli", "Password set (command line)", "bo@council.example") in {r[1:] for r in shown}
    assert "officer #999 (removed)" in who
    second = rows(admin.get("/dashboard/audit", params={"page": "2"}).text)
    assert len(second) == 13

    only_bo = admin.get("/dashboard/audit", params={"officer": str(bo_id)}).text
    assert "60 entries match." in only_bo
    assert {r[1] for r in rows(only_bo)} == {"bo@council.example"}
    logins = admin.get("/dashboard/audit", params={"action": "login"}).text
    assert [r[1:3] for r in rows(logins)] == [("admin@council.example", "Signed in")]
    # The last ten days, UK dates, both ends included.
    day = start.date()
    recent = admin.get(
        "/dashboard/audit",
        params={
            "officer": str(bo_id),
            "action": "view_transcript",
            "since": (day - timedelta(days=9)).isoformat(),
            "until": day.isoformat(),
        },
    ).text
    assert "10 entries match." in recent
    assert f'<option value="{bo_id}" selected>bo@council.example</option>' in recent
    nothing = admin.get("/dashboard/audit", params={"officer": str(admin_id), "action": "export"})
    assert "Nothing matches these filters." in nothing.text


BAD = [
    {"officer": "bo"},
    {"officer": "99999999999999999999"},
    {"officer": "²"},
    {"action": "DROP TABLE"},
    {"action": "x\x00"},
    {"action": "a" * 65},
    {"since": "yesterday"},
    {"until": "9999-12-31"},
    {"since": "2026-03-10", "until": "2026-03-01"},
]


def test_bad_audit_filters_are_refused_with_400(bare_dash: Dash) -> None:
    bare_dash.officer("admin@council.example", "admin")
    admin = signed_in(bare_dash, "admin@council.example")
    for params in BAD:
        response = admin.get("/dashboard/audit", params=params)
        assert response.status_code == 400, params
        assert "nosniff" in response.headers["x-content-type-options"]


def test_only_admins_read_the_audit_log(bare_dash: Dash) -> None:
    bare_dash.officer("bo@council.example", "officer", ("north",))
    bo = signed_in(bare_dash, "bo@council.example")
    assert bo.get("/dashboard/audit").status_code == 403

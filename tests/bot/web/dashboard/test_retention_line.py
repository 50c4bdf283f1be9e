"""Admins see when the retention purge last ran and what it did, on the audit log page."""

from __future__ import annotations

from datetime import timedelta

from bot.privacy.retention import purge
from tests.bot.web.dashboard.conftest import Dash


def test_the_audit_page_says_when_the_purge_last_ran_and_what_it_did(dash: Dash) -> None:
    dash.officer("ada@council.example", "admin")
    with dash.login("ada@council.example") as ada:
        assert "No retention purge has run yet" in ada.get("/dashboard/audit").text
        report = purge(
            dash.services.session_factory,
            dash.services.library,
            retention_days=30,
            now=dash.services.clock() + timedelta(days=400),
            dry_run=False,
        )
        assert report.messages > 0
        page = ada.get("/dashboard/audit").text
    assert "Last retention purge:" in page
    assert f"{report.messages} messages deleted" in page
    assert f"identifiers of {report.contacts} people removed" in page

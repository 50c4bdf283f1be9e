"""An officer's event, start to finish, in a real headless Chromium: add it, upload who came (a
wrong row first), read the plan, pause and resume it, open the poster."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.bot.web.dashboard.conftest import PASSWORD, Dash, open_bare_dash
from tests.bot.web.dashboard.event_pages import (
    PEOPLE,
    attendee_csv,
    create_event_in_browser,
    upload_in_browser,
)
from tests.bot.web.dashboard.test_accessibility import AXE, violations
from tests.bot.web.dashboard.test_browser import CHROMIUM, open_browser, shot

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium"),
]
BAD_ROW = {"name": "Dan Example", "phone": "0770090", "role": "parent", "consent": "yes"}


@pytest.fixture
def poster_dash(database_url: str) -> Iterator[Dash]:
    settings = {"telegram_bot_username": "testshire_bot", "twilio_from_number": "+447700900000"}
    with open_bare_dash(database_url, **settings) as dash:
        yield dash


def accessible(page: Any) -> None:
    if AXE and Path(AXE).exists():
        assert violations(page) == []


def test_an_officer_runs_an_event_in_the_browser(poster_dash: Dash, tmp_path: Path) -> None:
    dash = poster_dash
    dash.officer("ann@council.example", "officer", ("north",))
    with contextlib.ExitStack() as stack:
        page: Any = stack.enter_context(open_browser(bypass_csp=bool(AXE)))
        page.goto(dash.url("/login"))
        page.get_by_label("Email").fill("ann@council.example")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.get_by_role("heading", name="Overview").wait_for()
        page.get_by_role("link", name="Events", exact=True).click()
        page.get_by_role("heading", name="Events").wait_for()
        shot(page, "events-empty")

        # A form sent without its times comes back saying so, with what was typed kept.
        page.get_by_role("link", name="Add an event").click()
        page.get_by_label("Place").fill("Northtown library")
        page.get_by_role("button", name="Add event").click()
        assert "Starts: give a date and a time" in page.get_by_role("alert").inner_text()
        assert page.get_by_label("Place").input_value() == "Northtown library"
        accessible(page)
        shot(page, "event-form-problem")

        event_id = create_event_in_browser(page, dash.url, title="Northtown coffee morning")
        assert page.get_by_role("status").inner_text().startswith("The event is added")
        shot(page, "event-created")

        # A list with one wrong row: nobody is imported, and the row is named with its fix.
        bad = tmp_path / "came-with-a-mistake.csv"
        bad.write_bytes(attendee_csv([*PEOPLE, BAD_ROW]))
        upload_in_browser(page, bad)
        alert = page.get_by_role("alert")
        assert "Nobody was imported from came-with-a-mistake.csv" in alert.inner_text()
        problem = page.locator("table.row-problems tbody tr")
        assert problem.count() == 1
        cells = problem.first.locator("td").all_inner_texts()
        assert cells[:2] == ["5", "phone"]
        assert "is not a phone number" in cells[2]
        assert cells[3].startswith("Type a UK mobile number")
        assert page.get_by_role("heading", name="Who came: 0 people").is_visible()
        accessible(page)
        shot(page, "upload-row-problems")

        # The list put right: three people, one of whom said no to being contacted.
        good = tmp_path / "came.csv"
        good.write_bytes(attendee_csv(PEOPLE))
        upload_in_browser(page, good)
        assert "3 people read from came.csv" in page.get_by_role("status").inner_text()
        assert page.get_by_role("heading", name="Who came: 3 people").is_visible()
        counts = page.get_by_role("list", name="People by status").inner_text()
        assert "2\nWaiting" in counts or "2 Waiting" in counts
        assert "1\nNo consent" in counts or "1 No consent" in counts
        plan = page.locator("table.plan-table tbody tr")
        assert plan.count() == 3
        assert "Ann Example" not in page.content()
        accessible(page)
        shot(page, "event-plan")

        page.get_by_role("button", name="Pause the plan").click()
        page.get_by_role("button", name="Resume the plan").wait_for()
        assert "The follow-up plan is paused" in page.get_by_role("status").inner_text()
        assert "paused" in page.get_by_role("heading", level=1).inner_text().lower()
        shot(page, "event-paused")
        page.get_by_role("button", name="Resume the plan").click()
        page.get_by_role("button", name="Pause the plan").wait_for()
        assert "running again" in page.get_by_role("status").inner_text()

        page.get_by_role("link", name="Poster with QR code").click()
        page.get_by_role("heading", name="Northtown coffee morning", exact=True).wait_for()
        qr = page.locator("figure.poster-qr svg")
        assert qr.is_visible()
        box = qr.bounding_box()
        assert box is not None
        assert box["width"] > 200  # big enough to scan from across a room
        assert "https://t.me/testshire_bot?start=" in page.content()
        accessible(page)
        shot(page, "poster")
        page.emulate_media(media="print")
        assert not page.get_by_role("navigation", name="Main").is_visible()
        assert not page.get_by_text("Print this page on A4").is_visible()
        assert qr.is_visible()
        shot(page, "poster-print")
        page.emulate_media(media="screen")
        page.get_by_role("link", name="Back to events").click()
        row = page.locator("tr", has_text="Northtown coffee morning")
        assert row.locator("td").nth(3).inner_text() == "3"  # people
        assert row.locator("td").nth(4).inner_text() == "6"  # requests to send
        shot(page, "events-list")
    assert event_id > 0

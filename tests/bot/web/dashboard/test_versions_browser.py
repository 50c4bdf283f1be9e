"""The versions pages in the real browser: WCAG 2.x A/AA (axe-core), and an upload refused with
the loader's line and field, then accepted and published, as an officer's browser does it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from storage import flow_versions
from tests.bot.web.dashboard.conftest import PASSWORD, Dash
from tests.bot.web.dashboard.test_accessibility import AXE, violations
from tests.bot.web.dashboard.test_browser import CHROMIUM, open_browser
from tests.storage.flow_texts import BROKEN, V1, V2

pytestmark = [
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium"),
    pytest.mark.skipif(
        not AXE or not Path(AXE).exists(), reason="set AXE_CORE_JS to axe.min.js (npm axe-core)"
    ),
]
PAGES = [
    "/flows/coffee_morning/versions",
    "/flows/coffee_morning/versions/1",
    "/flows/coffee_morning/changes?from=1&to=2",
    "/flows/upload",
    "/flows/post_event/versions",
]


def _sign_in(dash: Dash, page: Any) -> None:
    page.goto(dash.url("/login"))
    page.get_by_label("Email").fill("admin@council.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/dashboard/")


def test_the_versions_pages_meet_wcag_aa(bare_dash: Dash, tmp_path: Path) -> None:
    dash = bare_dash
    dash.officer("admin@council.example", "admin", ("*",))
    with dash.services.session_factory.begin() as s:
        flow_versions.publish(s, "coffee_morning", V1, None, "file", now=dash.clock())
        flow_versions.publish(s, "coffee_morning", V2, None, "upload", now=dash.clock())
        flow_versions.save_draft(s, "coffee_morning", BROKEN, None, now=dash.clock())
    with open_browser(bypass_csp=True) as page:
        _sign_in(dash, page)
        found = {}
        for path in PAGES:
            page.goto(dash.url(path))
            found[path] = violations(page)
        # A refused upload: the loader's problems in a table.
        broken = tmp_path / "coffee_morning.yaml"
        broken.write_text(BROKEN, encoding="utf-8")
        page.goto(dash.url("/flows/upload"))
        page.get_by_label("Flow file (.yaml)").set_input_files(str(broken))
        page.get_by_role("button", name="Upload as a draft").click()
        page.get_by_role("heading", name="coffee_morning.yaml was not saved: 1 problem").wait_for()
        found["upload refused"] = violations(page)
        assert page.get_by_role("cell", name="steps[0] (rating).type").is_visible()
    assert {path: v for path, v in found.items() if v} == {}


def test_an_upload_is_published_from_the_browser(bare_dash: Dash, tmp_path: Path) -> None:
    dash = bare_dash
    dash.officer("admin@council.example", "admin", ("*",))
    good = tmp_path / "coffee_morning.yaml"
    good.write_text(V1, encoding="utf-8")
    with open_browser() as page:
        _sign_in(dash, page)
        page.goto(dash.url("/flows"))
        page.get_by_role("link", name="Upload a flow file or a RapidPro/TextIt export").click()
        page.get_by_label("Flow file (.yaml)").set_input_files(str(good))
        page.get_by_role("button", name="Upload as a draft").click()
        page.get_by_text("Saved as the draft of").wait_for()
        page.get_by_role("button", name="Publish the draft as a new version").click()
        page.get_by_text("Published as version 1").wait_for()
        page.get_by_role("link", name="View version 1").click()
        page.get_by_role("heading", name="Coffee morning feedback: version 1").wait_for()
        assert page.get_by_role("cell", name="How useful was the coffee morning?").is_visible()

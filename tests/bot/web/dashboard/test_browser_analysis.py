"""In Chromium: an admin accepts and merges suggested themes (tagging after the confirmation),
reads a cross-tab with a suppressed area, the trend charts, approves a quote, previews and
publishes the public page; every page passes axe-core, the published page too (read from disk).

Run with SHOTS=docs/officers-guide to refresh the screenshots in docs/officers-guide.md.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from tests.bot.web.dashboard.analysis_helpers import plant
from tests.bot.web.dashboard.conftest import PASSWORD
from tests.bot.web.dashboard.test_accessibility import AXE, violations
from tests.bot.web.dashboard.test_analysis_pages import publishing_dash
from tests.bot.web.dashboard.test_browser import CHROMIUM, open_browser

SHOTS = os.environ.get("SHOTS")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium"),
    pytest.mark.skipif(
        not AXE or not Path(AXE).exists(), reason="set AXE_CORE_JS to axe.min.js (npm axe-core)"
    ),
]


def _checked(page: Any, found: dict[str, list[str]], name: str) -> None:
    found[name] = violations(page)
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def test_themes_crosstab_trends_and_the_public_page_in_a_browser(
    database_url: str, tmp_path: Path
) -> None:
    folder = tmp_path / "local-offer"
    found: dict[str, list[str]] = {}
    with publishing_dash(database_url, folder) as dash, open_browser(bypass_csp=True) as page:
        plant(dash.services, dash.clock)
        dash.officer("ada@council.example", "admin", ("*",))
        page.goto(dash.url("/login"))
        page.get_by_label("Email").fill("ada@council.example")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.get_by_role("heading", name="Overview").wait_for()

        # Suggested themes for "even better", from the menu.
        page.get_by_role("link", name="Suggested themes").click()
        page.get_by_label("Flow").select_option(label="Feedback after an event")
        page.get_by_role("button", name="Suggest themes").click()
        page.get_by_label("Question").select_option(label="What would have made it even better?")
        page.get_by_role("button", name="Suggest themes").click()
        page.get_by_role("heading", name="Suggestions to decide on").wait_for()
        legends = page.locator("fieldset.suggestion legend").all_inner_texts()
        assert len(legends) >= 4
        assert "[phone number]" in page.content() or "07700 900123" not in page.content()
        _checked(page, found, "12-suggested-themes")

        # Accept the first, renamed.
        first = page.locator("fieldset.suggestion").first
        first.get_by_label("Theme name").fill("School transport")
        first.get_by_role("button", name=f"Accept '{legends[0]}'").click()
        status = page.get_by_role("status")
        assert "became the theme 'School transport'" in status.inner_text()

        # Merge the next two, tagging their answers after the confirmation.
        page.get_by_label(f"Tick to merge '{legends[1]}'").check()
        page.get_by_label(f"Tick to merge '{legends[2]}'").check()
        page.get_by_label("Name of the merged theme").fill("Waiting and being kept informed")
        page.get_by_label("Also tag the answers", exact=False).check()
        page.get_by_role("button", name="Merge ticked suggestions").click()
        page.get_by_role("heading", name="Tag the answers too?").wait_for()
        _checked(page, found, "13-confirm-tagging")
        page.get_by_role("button", name="Yes, accept and tag the answers").click()
        assert "answers tagged" in page.get_by_role("status").inner_text()
        decided = page.get_by_role("table", name="Suggestions already decided")
        assert decided.get_by_text("Merged", exact=True).count() == 2
        assert decided.get_by_text("School transport", exact=True).count() == 1
        _checked(page, found, "14-suggestions-decided")

        # A cross-tab: the rating by area, the small south group hidden.
        page.get_by_role("link", name="Cross-tabs").click()
        page.get_by_label("Flow").select_option("post_event")
        page.get_by_role("button", name="Apply filters").click()
        page.get_by_label("Question").select_option(label="Overall, how was [event name]?")
        page.get_by_label("Compare by").select_option("area")
        page.get_by_role("button", name="Apply filters").click()
        table = page.locator("table.crosstab")
        south = table.get_by_role("row", name="south")
        assert "fewer than 5" in south.inner_text()
        assert "not shown" in south.inner_text()
        _checked(page, found, "15-crosstab")

        # Responses of the people who rated 1 or 2, ticked in the filter form.
        page.get_by_role("link", name="Responses").click()
        page.get_by_label("Flow").select_option("post_event")
        page.get_by_role("button", name="Apply filters").click()
        page.get_by_text("Filter by an answer").click()
        page.get_by_role("group", name="Overall, how was [event name]?").get_by_label(
            "1 - Poor"
        ).check()
        page.get_by_role("group", name="Overall, how was [event name]?").get_by_label(
            "2 - Not great"
        ).check()
        page.get_by_role("button", name="Apply filters").click()
        page.get_by_text("1 conversation match.").wait_for()
        found["responses filtered by an answer"] = violations(page)

        # Trends: the chart, and its table.
        page.get_by_role("link", name="Trends").click()
        page.get_by_label("Flow").select_option("post_event")
        page.get_by_role("button", name="Apply filters").click()
        chart = page.get_by_role("img", name="Response rate per month", exact=False)
        assert chart.count() == 1
        assert "Mar 2026" in chart.inner_html()
        assert page.get_by_role("table", name="Per month").is_visible()
        _checked(page, found, "16-trends")

        # Approve a quote of the merged theme.
        page.goto(dash.url("/themes?flow=post_event"))
        page.get_by_role(
            "link", name="Quotes for the public page (Waiting and being kept informed)"
        ).click()
        page.get_by_role("button", name="Approve quote 1", exact=True).click()
        assert page.get_by_role("status").inner_text() == "Quote approved."
        quote = page.locator("table.quotes blockquote").first.inner_text()
        _checked(page, found, "17-quotes")

        # Preview, publish, and read the published page from disk.
        page.get_by_role("link", name="Public page").click()
        _checked(page, found, "18-publish")
        page.goto(dash.url("/publish/preview"))
        assert quote in page.content()
        found["preview"] = violations(page)
        page.goto(dash.url("/publish"))
        page.get_by_role("button", name="Publish the public page").click()
        assert "Published index.html" in page.get_by_role("status").inner_text()
        page.goto((folder / "index.html").as_uri())
        assert quote in page.inner_text("body")
        _checked(page, found, "19-public-page")
    assert {name: v for name, v in found.items() if v} == {}

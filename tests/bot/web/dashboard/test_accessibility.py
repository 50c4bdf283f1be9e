"""Every dashboard page against axe-core's WCAG 2.x A/AA rules, in the real browser."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from bot.conversation.inbound import InboundMessage
from tests.bot.web.dashboard.conftest import PASSWORD, Dash
from tests.bot.web.dashboard.flow_preview import Press, preview_in_browser
from tests.bot.web.dashboard.test_browser import CHROMIUM, open_browser

AXE = os.environ.get("AXE_CORE_JS", "")
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PAGES = [
    "/",
    "/responses",
    "/responses/1",
    "/coding?flow=post_event&step=worked_well",
    "/coding?flow=post_event&select=all&uncoded=1",
    "/themes",
    "/themes?flow=post_event",
    "/actions",
    "/events",
    "/events/new",
    "/events/1",
    "/events/1/edit",
    "/events/1/poster",
    "/report",
    "/report?flow=post_event",
    "/events/1/you-said",
    "/exports",
    "/safeguarding",
    "/to-read",
    "/officers",
    "/audit",
    "/audit?action=login&page=1",
    "/account",
    "/flows",
    "/flows/post_event",
    "/flows/young_person_voice",
    "/flows/post_event/preview",
    "/flows/young_person_voice/preview?lang=cy&channel=telegram",
]

pytestmark = [
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium"),
    pytest.mark.skipif(
        not AXE or not Path(AXE).exists(), reason="set AXE_CORE_JS to axe.min.js (npm axe-core)"
    ),
]


def violations(page: Any, *, at_least: int = 10) -> list[str]:
    page.add_script_tag(path=AXE)
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS
    )
    assert len(result["passes"]) > at_least  # axe really checked this page
    return [
        f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
    ]


def test_every_page_meets_wcag_aa(dash: Dash) -> None:
    dash.services.dispatcher.handle(
        dash.services.session_factory,
        InboundMessage("sms", "+447700900999", "my dad hits me", "SMa11y", dash.clock()),
    )
    dash.officer("admin@council.example", "admin", ("*",))
    dash.officer("bo@council.example", "officer", ("north",))  # so each row's forms are checked
    with open_browser(bypass_csp=True) as page:  # only so axe itself can be injected
        audit_pages(dash, page)


def audit_pages(dash: Dash, page: Any) -> None:
    page.goto(dash.url("/login"))
    found = {"/login": violations(page)}
    page.get_by_label("Email").fill("admin@council.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/dashboard/")
    for path in PAGES:
        page.goto(dash.url(path))
        found[path] = violations(page)
    # A preview part way through: replies, old and live buttons, a safeguarding note.
    preview_in_browser(page, dash.url, "young_person_voice", "telegram", [Press("Skip"), "bad"])
    found["/flows/young_person_voice/preview (replied)"] = violations(page)
    preview_in_browser(page, dash.url, "post_event", "sms", ["yes", "my dad hits me"])
    found["/flows/post_event/preview (flagged)"] = violations(page)
    # A password reset's one-time page, then the officer's forced change, with an error shown.
    page.goto(dash.url("/officers"))
    page.get_by_role("button", name="Reset password of bo@council.example").click()
    page.get_by_role("heading", name="Password reset for bo@council.example").wait_for()
    found["password reset"] = violations(page)
    temporary = page.locator("#temporary").inner_text()
    page.get_by_role("button", name="Sign out").click()
    page.get_by_label("Email").fill("bo@council.example")
    page.get_by_label("Password").fill(temporary)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Choose your own password").wait_for()
    found["choose a password"] = violations(page)
    page.get_by_label("Temporary password").fill("not it at all")
    page.get_by_label("New password", exact=False).first.fill("a long enough one")
    page.get_by_label("New password again").fill("a long enough one")
    page.get_by_role("button", name="Save my password").click()
    page.get_by_role("heading", name="Your password was not changed").wait_for()
    found["choose a password, refused"] = violations(page)
    assert {path: v for path, v in found.items() if v} == {}

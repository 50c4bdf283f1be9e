"""The flow pages in a real headless Chromium: the diagram drawn, a preview by SMS and by Telegram."""

from __future__ import annotations

from typing import Any

import pytest

from tests.bot.web.dashboard.conftest import PASSWORD, Dash
from tests.bot.web.dashboard.flow_preview import Press, preview_in_browser
from tests.bot.web.dashboard.test_browser import open_browser, shot
from tests.bot.web.dashboard.test_browser import pytestmark as browser_marks

pytestmark = browser_marks  # slow, and only where Debian's chromium is installed


@pytest.fixture
def officer_page(bare_dash: Dash) -> Any:
    bare_dash.officer("ann@council.example", "officer", ("north",))
    with open_browser() as page:
        page.goto(bare_dash.url("/login"))
        page.get_by_label("Email").fill("ann@council.example")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/dashboard/")
        yield page


def test_an_officer_reads_a_flow_drawn_out_and_tries_it_by_sms(
    bare_dash: Dash, officer_page: Any
) -> None:
    page = officer_page
    page.get_by_role("link", name="Flows", exact=True).click()
    page.get_by_role("heading", name="Flows").wait_for()
    shot(page, "flows")
    page.get_by_role("link", name="Feedback after an event", exact=True).click()
    diagram = page.get_by_role("img", name="Diagram of Feedback after an event")
    diagram.wait_for()
    # Every step is a box in the drawing, and the branches say when they are taken.
    svg = page.locator("svg.flowchart")
    for step in ("attended", "rating", "main_problem", "stay_in_touch", "forum_next"):
        assert svg.locator(f"#fc-{step}").is_visible()
    assert svg.get_by_text("if rating <= 2").is_visible()
    assert svg.get_by_text('if stay_in_touch in ["forum", "both"]').is_visible()
    box = svg.bounding_box()
    assert box is not None
    assert box["width"] <= 1280
    shot(page, "flow-detail")
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "flow-detail-narrow")
    page.set_viewport_size({"width": 1280, "height": 900})

    bubbles = preview_in_browser(
        page, bare_dash.url, "post_event", "sms", ["1", "yes", "2", "The room was too hot"]
    )
    first = bubbles[0]
    assert first.side == "out"
    assert "Who is answering?" in first.text
    assert (first.segments, first.encoding) == (2, "GSM-7")
    said = [b.text for b in bubbles if b.side == "in"]
    assert said == ["1", "yes", "2", "The room was too hot"]
    last = bubbles[-1]
    assert last.text.startswith("What worked well for you?")
    assert (last.segments, last.encoding) == (1, "GSM-7")
    assert page.get_by_text("1 segment · GSM-7 · 34 characters").is_visible()
    shot(page, "preview-sms")

    # A reply with an emoji is read like any other: the next question comes.
    page.get_by_label("Their reply").fill("Lovely 😊")
    page.get_by_role("button", name="Send reply").click()
    page.locator("li.bubble.in", has_text="Lovely 😊").wait_for()
    asked = page.locator("li.bubble.out p.text").last.inner_text()
    assert asked.startswith("What would have made it even better?")


def test_a_young_persons_flow_in_telegram_with_buttons_in_welsh(
    bare_dash: Dash, officer_page: Any
) -> None:
    page = officer_page
    bubbles = preview_in_browser(
        page,
        bare_dash.url,
        "young_person_voice",
        "telegram",
        [Press("Nac oes, dim ond fi"), Press("🙂 Ydw"), Press("Weithiau")],
        language="cy",
    )
    assert "PREIFATRWYDD" in bubbles[0].text  # the privacy notice, in Welsh
    assert bubbles[1].text.startswith("Helo Bethan! 👋")
    asked = [b for b in bubbles if b.side == "out" and b.buttons][1:]  # after who is answering
    assert [label for label, _ in asked[0].buttons][:3] == ["🙁 Nac ydw", "😐 Weithiau", "🙂 Ydw"]
    assert bubbles[-1].text.startswith("Wyt ti'n gwybod")
    # Only the waiting question's buttons can be pressed; earlier ones are shown as they were.
    assert all(value is None for _, value in asked[0].buttons)
    assert all(value is not None for _, value in bubbles[-1].buttons)
    assert all(b.segments is None for b in bubbles)  # chat has no SMS segments
    shot(page, "preview-telegram")

"""Choosing what a report is about by name, and "you said, we did" in the families' words."""

from __future__ import annotations

import re
from html import unescape

from tests.bot.web.dashboard.conftest import Dash


def test_the_report_picks_its_event_by_name(dash: Dash) -> None:
    dash.officer("val@council.example", "viewer")
    north = dash.seeded.north
    with dash.login("val@council.example") as val:
        blank = val.get("/dashboard/report").text
        chosen = val.get(f"/dashboard/report?event={north}").text
    assert "Event id" not in blank
    picker = re.search(r'<select id="f-event" name="event">(.*?)</select>', blank, re.S)
    assert picker is not None
    options = dict(re.findall(r'<option value="(\d*)"[^>]*>([^<]*)</option>', picker.group(1)))
    assert options[""] == "All events"
    assert options[str(north)] == "North coffee morning (14 Mar 2026)"
    assert f'<option value="{north}" selected>' in chosen
    assert "<h1>Committee report: North coffee morning</h1>" in chosen


def test_you_said_we_did_names_the_question_and_answers_as_families_read_them(
    dash: Dash,
) -> None:
    dash.officer("ann@council.example", "officer", ("north",))
    with dash.login("ann@council.example") as ann:
        html = unescape(ann.get(f"/dashboard/events/{dash.seeded.north}/you-said").text)
    assert 'They were asked "Would you like news about events' in html
    assert 'answered "News only" or "Both"' in html
    for raw in ("stay_in_touch", "updates", "both,"):
        assert raw not in html

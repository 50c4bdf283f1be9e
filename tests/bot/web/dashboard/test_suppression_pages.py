"""Suppression as an officer reads it: hidden figures say so, large groups stay sized, and the
questions name the chosen event."""

from __future__ import annotations

import re
from html import unescape

from tests.bot.web.dashboard.conftest import Dash

NOTE = "Why some figures are hidden:"


def chart_rows(html: str) -> list[tuple[str, str, str]]:
    """(answer, people, bar cell) for each row of every chart on the page."""
    rows = re.findall(
        r'<tr><th scope="row">([^<]*)</th><td>((?:(?!</td>).)*)</td><td>[^<]*</td>\s*'
        r'<td class="bar-cell">((?:(?!</tr>).)*)</td></tr>',
        html,
        re.S,
    )
    return [(unescape(a), unescape(re.sub(r"<[^>]+>", "", p)), bar) for a, p, bar in rows]


def test_the_unfiltered_overview_has_charts_ranges_and_says_why(dash: Dash) -> None:
    dash.officer("val@council.example", "viewer")
    with dash.login("val@council.example") as val:
        html = val.get("/dashboard/").text
    assert NOTE in html
    assert "Choose an event or a flow above to see each question" not in html
    assert "Feedback after an event" in html
    assert "Overall, how was [event name]?" in html  # two events together: no one name
    # The north is sized as closely as the total allows, instead of "not shown".
    north = re.search(r'<th scope="row">north</th>(.*?)</tr>', html, re.S)
    assert north is not None
    assert "12 to 15" in north.group(1)
    rows = chart_rows(html)
    assert rows
    for answer, people, bar in rows:
        if people.isdigit():
            assert "<svg" in bar, answer
        else:  # hidden: said in words, never drawn as a bar that reads as zero
            assert "<svg" not in bar, answer
            assert ">hidden<" in bar, answer
    assert ("Yes", "10 to 13") in {(a, p) for a, p, _ in rows}


def test_with_one_event_chosen_the_questions_name_it(dash: Dash) -> None:
    dash.officer("val@council.example", "viewer")
    event = dash.seeded.north
    with dash.login("val@council.example") as val:
        overview = val.get(f"/dashboard/?event={event}").text
        report = val.get(f"/dashboard/report?event={event}").text
    for html in (overview, report):
        assert "Overall, how was North coffee morning?" in html
        assert "[event name]" not in html
        assert NOTE in html

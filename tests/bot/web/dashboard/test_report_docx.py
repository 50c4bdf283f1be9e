"""The committee report as a Word document: the page's sections and figures, small groups hidden."""

from __future__ import annotations

import re

from tests.bot.web.dashboard.coding_helpers import add_theme, answers_on, code_answers, coding_url
from tests.bot.web.dashboard.conftest import Dash, post_form
from tests.bot.web.dashboard.report_helpers import (
    BAR,
    bar_fills,
    fetch_docx,
    headings,
    row_of,
    rows,
    text,
)
from tests.bot.web.dashboard.seed import NORTH, TYPED_NUMBER


def test_the_word_report_has_the_pages_sections_figures_and_hides_small_groups(
    dash: Dash,
) -> None:
    dash.officer("ann@council.example", "officer", ("north",))
    with dash.login("ann@council.example") as ann:
        speakers = add_theme(ann, "Speakers")
        found = answers_on(ann.get(coding_url(step="worked_well")).text)
        people = [v for k, v in found.items() if "speakers" in k.lower() or "parents" in k]
        people += [found["Childcare on site"]]
        code_answers(ann, people, speakers)
        post_form(
            ann,
            "/dashboard/actions?flow=post_event",
            "/dashboard/actions",
            {"theme": str(speakers), "what": "Two speakers at every session", "owner": "SEND team"},
        )
        page = ann.get("/dashboard/report", params={"event": str(dash.seeded.north)}).text
        assert "Download as Word (.docx)" in page
        link = re.search(r'href="(/dashboard/report\.docx\?[^"]*)"', page)
        assert link is not None
        assert f"event={dash.seeded.north}" in link.group(1)
        document = fetch_docx(ann, event=str(dash.seeded.north))
        everything = fetch_docx(ann, flow="post_event")

    assert headings(document)[:2] == [
        "Committee report: North coffee morning",
        "Who was asked, who replied",
    ]
    for heading in (
        "What people told us",
        "Top themes in what people wrote",
        "Every family's own words read by a person",
        "You said, we did",
        "Speakers (5 answers)",
        "Themes in what people wrote",
    ):
        assert heading in headings(document), heading
    words = text(document)
    assert "Event: North coffee morning, 14 March 2026, north." in words
    assert "Why some figures are hidden" in words
    # The figures, labelled as on the page.
    assert row_of(document, "Invited")[1] == "14"
    assert row_of(document, "Started")[1:] == ["14", "100% of those invited replied"]
    assert row_of(document, "5 - Excellent")[1:] == ["6", "46%", ""]  # the bar: shaded cells
    assert row_of(document, "News only")[1:3] == ["8", "62%"]  # labels, never `updates`
    assert row_of(document, "Speakers")[1:3] == ["5", "100%"]
    assert row_of(document, "Answers coded")[1] == "5"
    assert row_of(document, "Speakers")[:5] != row_of(document, "You said (theme)")
    assert ["Speakers", "Two speakers at every session", "SEND team", "Planned", "-"] in rows(
        document
    )
    assert bar_fills(document).count(BAR) > 5
    # Small groups: words, and a bar that says "hidden", never a number or a short bar.
    assert row_of(document, "3 - OK")[1:] == ["fewer than 5", "", "hidden"]
    assert row_of(document, "Both")[1:] == ["fewer than 5", "", "hidden"]
    # The whole flow: the south's two parents are never a number, nor is the north, which would
    # give the south away by subtraction.
    assert row_of(everything, "south")[1:] == ["fewer than 5"] * 3
    assert row_of(everything, "north")[1:] == ["12 to 15", "12 to 15", "11 to 14"]
    for row in rows(everything):
        if "fewer than 5" in row or any(" to " in c for c in row[1:2]):
            assert not re.search(r"\d+%", " ".join(row)), row  # no percentage of a hidden one
    # No number a family typed, and quotes only from groups of five or more.
    assert TYPED_NUMBER not in words
    assert TYPED_NUMBER not in text(everything)
    quotes = [
        p.text for p in document.paragraphs if p.style is not None and p.style.name == "Quote"
    ]
    assert quotes
    assert set(quotes) <= {worked for _rating, worked, _stay in NORTH}


def test_a_viewer_gets_the_word_report_without_quotes_and_bad_filters_are_400(dash: Dash) -> None:
    dash.officer("val@council.example", "viewer")
    with dash.login("val@council.example") as val:
        document = fetch_docx(val, flow="post_event")
        assert "Committee report: Feedback after an event" in headings(document)
        assert not [p for p in document.paragraphs if p.style and p.style.name == "Quote"]
        for params in ({"event": "x"}, {"since": "2026-13-01"}, {"flow": "\x00"}):
            response = val.get("/dashboard/report.docx", params=params)
            assert response.status_code == 400, params
    with dash.client() as anonymous:
        response = anonymous.get("/dashboard/report.docx")
        assert response.status_code == 303
        assert "/dashboard/login" in response.headers["location"]


def test_the_word_report_shows_what_the_messages_cost_by_channel(dash: Dash) -> None:
    dash.officer("ann@council.example", "officer", ("north",))
    with dash.login("ann@council.example") as ann:
        page = ann.get("/dashboard/report", params={"flow": "post_event"}).text
        document = fetch_docx(ann, flow="post_event")

    assert "What the messages cost, by channel" in page
    assert "What the messages cost, by channel" in headings(document)
    assert ["Channel", "Messages sent", "Charged as", "Cost"] in rows(document)
    # The seeded answers came in with nothing sent, as the page says too.
    assert "No messages sent yet." in page
    assert any(r[:1] == ["No messages sent yet."] for r in rows(document))
    assert "At the prices in the settings:" in text(document)

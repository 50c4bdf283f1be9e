"""The committee report (page, PDF, Word) and the exports honour the filter by an answer as the
Responses page does, and say so: over HTTP against the seeded events, with the lowest small-group
threshold (2), so that the one parent who rated 2 shows as a group too small to count."""

from __future__ import annotations

import asyncio
import csv
import io
import re
from collections.abc import Iterator
from html import unescape

import pytest

from bot.channels.base import Sender
from bot.clock import FrozenClock
from bot.services import build_services
from tests.bot.web.dashboard.conftest import Dash, Undelivered, dashboard_app, dashboard_settings
from tests.bot.web.dashboard.report_helpers import fetch_docx
from tests.bot.web.dashboard.seed import EVENT_START, seed
from tests.live import LiveServer

LOW = "answer=rating:1,rating:2"
SAID = "Only people who answered Overall, how was [event name]?: 1 - Poor or 2 - Not great."


@pytest.fixture
def open_dash(database_url: str) -> Iterator[Dash]:
    clock = FrozenClock(EVENT_START)
    senders: dict[str, Sender] = {c: Undelivered(c) for c in ("sms", "telegram")}
    settings = dashboard_settings(database_url, small_group_threshold=2)
    services = build_services(settings, clock=clock, senders=senders)
    seeded = seed(services, clock)
    with LiveServer(dashboard_app(services)) as server:
        yield Dash(services, clock, server, seeded)
    asyncio.run(services.aclose())
    services.close()


def _started(html: str) -> str:
    found = re.search(r'<th scope="row">Started</th><td>(.*?)</td>', html)
    assert found, "the report shows how many started"
    return re.sub(r"<[^>]+>", "", found.group(1))


def test_a_report_filtered_to_low_ratings_counts_only_those_people(open_dash: Dash) -> None:
    dash = open_dash
    dash.officer("ann@council.example", "officer", ("*",))
    with dash.login("ann@council.example") as client:
        everyone = client.get("/dashboard/report?flow=post_event")
        assert everyone.status_code == 200
        assert int(_started(everyone.text)) > 12
        assert "Only people who answered" not in everyone.text
        low = client.get(f"/dashboard/report?flow=post_event&{LOW}")
        assert low.status_code == 200
        assert _started(low.text) == "fewer than 2"  # the south parent who rated 2, alone
        assert SAID in " ".join(unescape(low.text).split())
        assert 'value="rating:2" checked' in low.text  # the form keeps what was ticked
        # The downloads carry the filter.
        assert "report.docx?flow=post_event&amp;answer=rating%3A1%2Crating%3A2" in low.text
        high = client.get("/dashboard/report?flow=post_event&answer=rating:4,rating:5")
        assert _started(high.text) == "12"
        document = fetch_docx(client, flow="post_event", answer="rating:1,rating:2")
        paragraphs = [p.text for p in document.paragraphs]
        assert SAID in paragraphs
        started = [
            row.cells[1].text
            for table in document.tables
            for row in table.rows
            if row.cells[0].text == "Started"
        ]
        assert started[0] == "fewer than 2"
        for bad in ("answer=rating:9", "answer=nonsense"):
            assert client.get(f"/dashboard/report?flow=post_event&{bad}").status_code == 400
            assert client.get(f"/dashboard/report.docx?flow=post_event&{bad}").status_code == 400


def test_export_these_keeps_the_answer_filter(open_dash: Dash) -> None:
    dash = open_dash
    dash.officer("ann@council.example", "officer", ("*",))
    with dash.login("ann@council.example") as client:
        responses = client.get(f"/dashboard/responses?flow=post_event&{LOW}").text
        link = re.search(r'<a href="(/dashboard/exports\?[^"]*)">Export these</a>', responses)
        assert link, "the Responses page links to its export"
        exports = client.get(unescape(link.group(1)))
        assert exports.status_code == 200
        assert SAID.replace("answered ", "answered <strong>")[:30] in exports.text
        assert 'value="rating:1" checked' in exports.text
        download = re.search(
            r'href="(/dashboard/exports/download\?[^"]*format=csv[^"]*)"', exports.text
        )
        assert download
        rows = list(csv.reader(io.StringIO(client.get(unescape(download.group(1))).text)))
        everyone = client.get("/dashboard/exports/download?flow=post_event&layout=wide&format=csv")
        assert len(rows) == 2  # the heading and the one parent who rated 2
        assert len(list(csv.reader(io.StringIO(everyone.text)))) > 2

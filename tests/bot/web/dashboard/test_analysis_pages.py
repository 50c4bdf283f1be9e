"""Cross-tabs, the filter by an answer, trends, quote approval and publishing, over HTTP against
the seeded events: fourteen north parents, and two south parents (a small group)."""

from __future__ import annotations

import asyncio
import contextlib
import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

from bot.channels.base import Sender
from bot.clock import FrozenClock
from bot.services import build_services
from storage import audit, reporting
from tests.bot.web.dashboard.coding_helpers import add_theme, answers_on, code_answers, coding_url
from tests.bot.web.dashboard.conftest import (
    Dash,
    Undelivered,
    dashboard_app,
    dashboard_settings,
    post_form,
)
from tests.bot.web.dashboard.seed import EVENT_START, seed
from tests.live import LiveServer

CROSSTAB = "/dashboard/crosstab?flow=post_event&question=rating&by=area"


def _matches(html: str) -> int:
    found = re.search(r"(\d+) conversations? match", html)
    assert found, "the page says how many match"
    return int(found.group(1))


def test_a_crosstab_suppresses_the_small_area_and_downloads_as_csv(dash: Dash) -> None:
    dash.officer("val@council.example", "viewer")
    with dash.login("val@council.example") as client:  # counts only: a viewer may see them
        page = client.get(CROSSTAB)
        assert page.status_code == 200
        body = page.text.split('<table class="crosstab">', 1)[1].split("</table>", 1)[0]
        assert "fewer than 5" in body
        assert "not shown" in body
        south = body.split('<th scope="row">south</th>', 1)[1].split("</tr>", 1)[0]
        assert re.search(r"<td>[1-4](<| )", south) is None  # the two south parents stay hidden
        download = client.get(CROSSTAB.replace("/crosstab?", "/crosstab.csv?"))
        assert download.status_code == 200
        assert download.headers["content-type"].startswith("text/csv")
        rows = list(csv.reader(io.StringIO(download.text)))
        assert rows[1][0] == "Area"
        labels = [v for row in rows[2:5] for v in row[1::2]]
        for label in labels:
            assert label in ("not shown", "fewer than 5") or not 0 < int(label) < 5, label
        # Against another closed question, and by event.
        other = client.get(CROSSTAB.replace("by=area", "by=step:come_again"))
        assert other.status_code == 200
        assert "by the answer to: Would you come to another event like this?" in other.text
        by_event = client.get(CROSSTAB.replace("by=area", "by=event"))
        assert "North coffee morning" in by_event.text
        # What cannot be compared is refused, not guessed.
        assert client.get(CROSSTAB.replace("by=area", "by=shoe_size")).status_code == 400
        assert client.get(CROSSTAB.replace("rating", "worked_well")).status_code == 400
        csv_without_flow = client.get("/dashboard/crosstab.csv")
        assert csv_without_flow.status_code == 400


def test_responses_filtered_by_an_answer_and_the_other_filters(dash: Dash) -> None:
    dash.officer("ann@council.example", "officer", ("*",))
    with dash.login("ann@council.example") as client:
        base = "/dashboard/responses?flow=post_event"
        low = client.get(base + "&answer=rating:1&answer=rating:2")
        assert low.status_code == 200
        assert _matches(low.text) == 1  # the south parent who rated 2
        assert "Only people who answered" in low.text
        assert _matches(client.get(base + "&answer=rating:4,rating:5").text) == 12
        assert _matches(client.get(base + "&answer=rating:4,rating:5&area=north").text) == 11
        assert _matches(client.get(base + "&answer=rating:1,rating:2&area=north").text) == 0
        # Two questions: both must hold.
        both = client.get(base + "&answer=rating:5&answer=stay_in_touch:updates")
        assert _matches(both.text) == 4
        # The form shows the answers filtered by, ticked.
        assert 'value="rating:2" checked' in low.text
        for bad in ("&answer=rating:9", "&answer=worked_well:x", "&answer=nonsense"):
            assert client.get(base + bad).status_code == 400
        assert client.get("/dashboard/responses?answer=rating:1").status_code == 400
        crosstab = client.get(CROSSTAB + "&answer=rating:4,rating:5")
        assert crosstab.status_code == 200
        assert "Only people who answered" in crosstab.text


def test_trends_give_rates_per_month_and_kind_with_a_table_beside_each_chart(dash: Dash) -> None:
    dash.officer("val@council.example", "viewer")
    with dash.services.session_factory() as s:
        (funnel,) = reporting.funnel(s, reporting.Filters(flow_id="post_event"))
    with dash.login("val@council.example") as client:
        page = client.get("/dashboard/trends?flow=post_event")
        assert page.status_code == 200
        assert page.text.count('<svg role="img"') >= 3
        month = page.text.split('<th scope="row">Mar 2026</th>', 1)[1].split("</tr>", 1)[0]
        cells = re.findall(r"<td>(.*?)</td>", month)
        assert cells[0] == str(funnel.invited)
        assert cells[1] == str(funnel.started)
        assert cells[3] == f"{round(100 * funnel.started / funnel.invited, 1)}%"
        assert "Coffee morning" in page.text
        # No invitations by channel: no response rate to give, rather than a wrong one.
        by_channel = client.get("/dashboard/trends?flow=post_event&channel=sms")
        month = by_channel.text.split('<th scope="row">Mar 2026</th>', 1)[1].split("</tr>", 1)[0]
        assert re.findall(r"<td>(.*?)</td>", month)[3] == '<span class="na">-</span>'
        assert client.get("/dashboard/trends?since=nonsense").status_code == 400


@contextlib.contextmanager
def publishing_dash(database_url: str, folder: Path) -> Iterator[Dash]:
    """The seeded dashboard, with PUBLISH_DIR set."""
    clock = FrozenClock(EVENT_START)
    senders: dict[str, Sender] = {c: Undelivered(c) for c in ("sms", "telegram")}
    settings = dashboard_settings(database_url, publish_dir=str(folder))
    services = build_services(settings, clock=clock, senders=senders)
    try:
        seeded = seed(services, clock)
        with LiveServer(dashboard_app(services)) as server:
            yield Dash(services, clock, server, seeded)
    finally:
        asyncio.run(services.aclose())
        services.close()


def test_officers_approve_quotes_and_admins_publish_the_page(
    database_url: str, tmp_path: Path
) -> None:
    folder = tmp_path / "local-offer"
    with publishing_dash(database_url, folder) as dash:
        admin = dash.officer("ada@council.example", "admin", ("*",))
        dash.officer("ann@council.example", "officer", ("*",))
        dash.officer("sam@council.example", "officer", ("south",))
        with dash.login("ann@council.example") as officer:
            theme = add_theme(officer, "Meeting others")
            answers = answers_on(officer.get(coding_url(step="worked_well")).text)
            picked = [
                i for text, i in answers.items() if "parent" in text.lower() or "speak" in text
            ]
            picked += [answers["Parking was easy"], answers["The handouts"]]
            assert code_answers(officer, picked, theme).status_code == 303
            quotes = f"/dashboard/themes/{theme}/quotes"
            page = officer.get(quotes)
            assert "Not approved" in page.text
            first = answers["Meeting other parents"]
            approve = post_form(officer, quotes, quotes, {"answer": str(first), "op": "approve"})
            assert approve.status_code == 303
            assert "Approved" in officer.get(quotes).text
            untagged = answers["The room was too small"]
            refused = post_form(officer, quotes, quotes, {"answer": str(untagged)})
            assert refused.status_code == 400
            preview = officer.get("/dashboard/publish/preview")
            assert "Meeting other parents" in preview.text
            # Officers approve quotes; only admins publish.
            assert officer.get("/dashboard/publish").status_code == 403
            assert post_form(officer, quotes, "/dashboard/publish", {}).status_code == 403
        with dash.login("sam@council.example") as south:
            quotes = f"/dashboard/themes/{theme}/quotes"
            assert "Meeting other parents" not in south.get(quotes).text  # not in their areas
            outside = post_form(south, quotes, quotes, {"answer": str(first), "op": "withdraw"})
            assert outside.status_code == 404
        with dash.login("ada@council.example") as client:
            page = client.get("/dashboard/publish")
            assert str(folder) in page.text
            published = post_form(client, "/dashboard/publish", "/dashboard/publish", {})
            assert published.status_code == 303
            html = (folder / "index.html").read_text()
            assert "Meeting other parents" in html
            assert "Meeting others" in html
            assert "Published index.html" in client.get("/dashboard/publish").text
        with dash.services.session_factory() as s:
            entries = audit.recent(s)
        published_by = [e for e in entries if e.action == "publish_page"]
        assert published_by[0].actor == f"officer:{admin}"
        assert "approve_quote" in [e.action for e in entries]


def test_publishing_needs_a_folder(dash: Dash) -> None:
    dash.officer("ada@council.example", "admin", ("*",))
    with dash.login("ada@council.example") as client:
        assert "PUBLISH_DIR" in client.get("/dashboard/publish").text
        refused = post_form(client, "/dashboard/publish", "/dashboard/publish", {})
        assert refused.status_code == 400

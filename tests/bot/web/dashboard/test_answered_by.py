"""Who answered, as officers split by it: the filter, the breakdown, the report and the exports.

Seeded: eleven people answered themselves, three with help, one had someone answer for them,
and one would not say (see seed.py).
"""

from __future__ import annotations

import csv
import io
import re
from html import unescape

from openpyxl import load_workbook

from tests.bot.web.dashboard.conftest import Dash


def split_rows(html: str) -> dict[str, list[str]]:
    """The "By who answered" table: label -> [started, completed] as shown."""
    table = re.search(r"<caption>By who answered</caption>(.*?)</table>", html, re.S)
    assert table is not None, "no breakdown by who answered"
    rows = re.findall(r'<tr><th scope="row">([^<]*)</th>(.*?)</tr>', table.group(1), re.S)
    return {
        unescape(label): [
            unescape(re.sub(r"<[^>]+>", "", c)) for c in re.findall(r"<td>(.*?)</td>", cells)
        ]
        for label, cells in rows
    }


def test_the_overview_and_the_report_break_the_replies_down_by_who_answered(dash: Dash) -> None:
    dash.officer("val@council.example", "viewer")
    with dash.login("val@council.example") as val:
        overview = val.get("/dashboard/").text
        report = val.get("/dashboard/report?flow=post_event").text
    for html in (overview, report):
        rows = split_rows(html)
        assert list(rows) == [
            "Answered themselves",
            "Answered with help",
            "Someone answered for them",
            "Did not say",
        ]
        assert rows["Answered themselves"][0] == "11"
        # Small groups are never shown, nor can they be worked out from the rest.
        for small in ("Answered with help", "Someone answered for them", "Did not say"):
            assert rows[small][0] == "fewer than 5", small
        assert "3" not in rows["Answered with help"]
        assert "Not asked" not in rows  # every bundled flow asks


def test_the_report_can_be_read_for_one_way_of_answering_and_says_so(dash: Dash) -> None:
    dash.officer("val@council.example", "viewer")
    with dash.login("val@council.example") as val:
        html = val.get("/dashboard/report?flow=post_event&answered_by=self").text
    assert '<option value="self" selected>Answered themselves</option>' in html
    assert 'the answer to "who answered" was: answered themselves.' in html
    started = re.search(r'<th scope="row">Started</th><td>(.*?)</td>', html, re.S)
    assert started is not None
    assert started.group(1) == "11"


def test_filtering_by_who_answered_narrows_every_figure_and_keeps_small_ones_hidden(
    dash: Dash,
) -> None:
    dash.officer("val@council.example", "viewer")
    with dash.login("val@council.example") as val:
        helped = val.get("/dashboard/?flow=post_event&answered_by=with_help")
        alone = val.get("/dashboard/?flow=post_event&answered_by=self").text
    assert helped.status_code == 200
    assert '<option value="with_help" selected>Answered with help</option>' in helped.text
    started = re.search(r'<th scope="row">Started</th><td>(.*?)</td>', helped.text, re.S)
    assert started is not None
    assert "fewer than 5" in started.group(1)  # three people: never counted out
    started = re.search(r'<th scope="row">Started</th><td>(.*?)</td>', alone, re.S)
    assert started is not None
    assert started.group(1) == "11"


def test_the_responses_list_shows_and_filters_who_answered(dash: Dash) -> None:
    dash.officer("ann@council.example", "admin")
    with dash.login("ann@council.example") as ann:
        everyone = ann.get("/dashboard/responses").text
        helped = ann.get("/dashboard/responses?answered_by=with_help").text
        refused = ann.get("/dashboard/responses?answered_by=grandma")
    assert '<th scope="col">Who answered</th>' in everyone
    assert everyone.count("<td>Answered themselves</td>") == 11
    assert "3 conversations match." in helped
    assert helped.count("<td>Answered with help</td>") == 3
    assert "<td>Answered themselves</td>" not in helped
    assert refused.status_code == 400
    assert "Who answered must be one of the choices offered" in refused.text


def test_exports_carry_who_answered_in_csv_and_xlsx(dash: Dash) -> None:
    dash.officer("admin@council.example", "admin")
    with dash.login("admin@council.example") as admin:
        wide = admin.get(
            "/dashboard/exports/download",
            params={"flow": "post_event", "layout": "wide", "format": "csv"},
        )
        long = admin.get(
            "/dashboard/exports/download",
            params={"flow": "post_event", "layout": "long", "format": "xlsx"},
        )
        helped = admin.get(
            "/dashboard/exports/download",
            params={"answered_by": "with_help", "layout": "wide", "format": "csv"},
        )
    rows = list(csv.reader(io.StringIO(wide.content.decode("utf-8-sig"))))
    column = rows[0].index("Who answered")
    assert sorted(row[column] for row in rows[1:]) == sorted(
        ["self"] * 11 + ["with_help"] * 3 + ["for_them", "unknown"]
    )
    assert not any(h.startswith("answered_by:") for h in rows[0])  # never a question column
    book = load_workbook(io.BytesIO(long.content), read_only=True)
    sheet = list(book["responses"].iter_rows(values_only=True))
    book.close()
    at = sheet[0].index("Who answered")
    assert {row[at] for row in sheet[1:]} == {"self", "with_help", "for_them", "unknown"}
    assert "answered_by" not in {row[sheet[0].index("Question id")] for row in sheet[1:]}
    only = list(csv.reader(io.StringIO(helped.content.decode("utf-8-sig"))))
    assert [row[column] for row in only[1:]] == ["with_help"] * 3


def test_the_export_command_filters_by_who_answered(dash: Dash, tmp_path, monkeypatch) -> None:
    from click.testing import CliRunner

    from bot.cli.export import export_command
    from bot.config import get_settings

    monkeypatch.setenv("DATABASE_URL", dash.services.settings.database_url)
    get_settings.cache_clear()
    try:
        out = tmp_path / "for_them.csv"
        result = CliRunner().invoke(
            export_command, ["--answered-by", "for_them", "--format", "csv", "--out", str(out)]
        )
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    assert "wrote 1 rows" in result.output or "wrote 1 row" in result.output
    rows = list(csv.reader(io.StringIO(out.read_text("utf-8-sig"))))
    assert [row[rows[0].index("Who answered")] for row in rows[1:]] == ["for_them"]

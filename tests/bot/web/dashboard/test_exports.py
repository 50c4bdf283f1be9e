"""Exports: pseudonymised by default, identified only by an admin with a reason, always audited."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

from click.testing import CliRunner
from openpyxl import load_workbook

from bot.cli.export import export_command
from bot.cli.officers import officers_group
from storage import audit
from storage import officers as officers_repo
from tests.bot.web.dashboard.conftest import PASSWORD, Dash, post_form
from tests.bot.web.dashboard.seed import TYPED_NUMBER


def every_number(dash: Dash) -> list[str]:
    numbers = dash.seeded.north_numbers + dash.seeded.south_numbers
    return numbers + [n.replace("+44", "0") for n in numbers] + [n[1:] for n in numbers]


def readable(data: bytes) -> str:
    """All the text inside a CSV, or inside every part of an XLSX (a zip of XML files)."""
    if data.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            return "".join(book.read(name).decode("utf-8") for name in book.namelist())
    return data.decode("utf-8-sig")


def test_downloads_are_pseudonymised_and_every_one_is_audited(dash: Dash) -> None:
    officer_id = dash.officer("admin@council.example", "admin")
    with dash.login("admin@council.example") as admin:
        files = {
            (layout, fmt): admin.get(
                "/dashboard/exports/download",
                params={"flow": "post_event", "layout": layout, "format": fmt},
            )
            for layout in ("wide", "long")
            for fmt in ("csv", "xlsx")
        }
    for (layout, fmt), response in files.items():
        assert response.status_code == 200, (layout, fmt)
        assert "attachment" in response.headers["content-disposition"]
        text = readable(response.content)
        for number in every_number(dash):
            assert number not in text, (layout, fmt, number)
        assert TYPED_NUMBER not in text  # typed into an answer, blanked in the export
        assert "[phone number]" in text
    wide = list(csv.reader(io.StringIO(files["wide", "csv"].content.decode("utf-8-sig"))))
    assert wide[0][:2] == ["Response id", "Pseudonym"]
    assert wide[0].index("attended: Did you go to [event name]?") < wide[0].index(
        "rating: Overall, how was [event name]?"
    )
    assert len(wide) == 1 + 16
    rating = wide[0].index("rating: Overall, how was [event name]?")
    assert sorted({row[rating] for row in wide[1:]}) == ["", "2", "3", "4", "5"]
    book = load_workbook(io.BytesIO(files["long", "xlsx"].content), read_only=True)
    long_rows = list(book["responses"].iter_rows(values_only=True))
    assert "Question id" in long_rows[0]
    assert len(long_rows) > 100
    book.close()
    with dash.services.session_factory() as s:
        entries = audit.recent(s, action="export")
    assert len(entries) == 4
    assert {e.actor for e in entries} == {f"officer:{officer_id}"}
    assert all(e.detail["identified"] is False for e in entries)
    assert {e.detail["rows"] for e in entries if e.detail["layout"] == "wide"} == {16}
    assert all(e.detail["filters"] == {"flow_id": "post_event"} for e in entries)


def test_identified_export_needs_an_admin_and_a_reason(dash: Dash) -> None:
    dash.officer("ann@council.example", "officer", ("north",))
    dash.officer("admin@council.example", "admin")
    form = {"flow": "post_event", "layout": "wide", "format": "csv"}
    with dash.login("ann@council.example") as ann:
        refused = post_form(
            ann,
            "/dashboard/exports",
            "/dashboard/exports/identified",
            {**form, "reason": "to ring people back about the forum"},
        )
        assert refused.status_code == 403
    with dash.login("admin@council.example") as admin:
        no_reason = post_form(admin, "/dashboard/exports", "/dashboard/exports/identified", form)
        assert no_reason.status_code == 403
        assert "reason" in no_reason.text
        given = post_form(
            admin,
            "/dashboard/exports",
            "/dashboard/exports/identified",
            {**form, "reason": "to ring people back about the forum"},
        )
    assert given.status_code == 200
    assert "IDENTIFIED" in given.headers["content-disposition"]
    text = readable(given.content)
    assert dash.seeded.north_numbers[0] in text
    assert TYPED_NUMBER in text
    with dash.services.session_factory() as s:
        [entry] = audit.recent(s, action="export")
    assert entry.detail["identified"] is True
    assert entry.detail["reason"] == "to ring people back about the forum"


def test_cli_export_streams_a_file_and_is_audited(dash: Dash, tmp_path: Path, monkeypatch) -> None:
    from bot.config import get_settings

    monkeypatch.setenv("DATABASE_URL", dash.services.settings.database_url)
    get_settings.cache_clear()
    try:
        out = tmp_path / "north.xlsx"
        runner = CliRunner()
        result = runner.invoke(
            export_command,
            ["--event", str(dash.seeded.north), "--format", "xlsx", "--out", str(out)],
        )
        assert result.exit_code == 0, result.output
        assert "wrote 14 rows (pseudonymised, wide)" in result.output
        text = readable(out.read_bytes())
        for number in every_number(dash):
            assert number not in text
        refused = runner.invoke(
            export_command, ["--format", "csv", "--out", str(tmp_path / "x.csv"), "--identified"]
        )
        assert refused.exit_code != 0
        assert "--reason" in refused.output
        assert not (tmp_path / "x.csv").exists()
        identified = runner.invoke(
            export_command,
            [
                "--format",
                "csv",
                "--layout",
                "long",
                "--out",
                str(tmp_path / "id.csv"),
                "--identified",
                "--reason",
                "safeguarding follow-up agreed by the manager",
            ],
        )
        assert identified.exit_code == 0, identified.output
        assert dash.seeded.south_numbers[0] in (tmp_path / "id.csv").read_text("utf-8-sig")
    finally:
        get_settings.cache_clear()
    with dash.services.session_factory() as s:
        entries = audit.recent(s, action="export")
    assert [(e.actor, e.detail["identified"]) for e in entries] == [("cli", True), ("cli", False)]


def test_cli_adds_and_lists_officers(dash: Dash, monkeypatch) -> None:
    from bot.config import get_settings

    monkeypatch.setenv("DATABASE_URL", dash.services.settings.database_url)
    get_settings.cache_clear()
    try:
        runner = CliRunner()
        short = runner.invoke(
            officers_group,
            ["add", "bo@council.example", "--role", "officer", "--password-stdin"],
            input="too short\n",
        )
        assert short.exit_code != 0
        assert "at least 12 characters" in short.output
        added = runner.invoke(
            officers_group,
            ["add", "bo@council.example", "--role", "officer", "--area", "north", "--area", "east"],
            input=f"{PASSWORD}\n{PASSWORD}\n",
        )
        assert added.exit_code == 0, added.output
        assert PASSWORD not in added.output  # typed hidden
        listing = runner.invoke(officers_group, ["list"])
        assert "bo@council.example" in listing.output
        assert "east, north" in listing.output
    finally:
        get_settings.cache_clear()
    with dash.services.session_factory() as s:
        bo = officers_repo.by_email(s, "bo@council.example")
        assert bo is not None
        assert bo.password_hash.startswith("$argon2id$")
    with dash.login("bo@council.example") as bo_client:
        assert bo_client.get("/dashboard/responses").status_code == 200

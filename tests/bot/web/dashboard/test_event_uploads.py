"""Attendee lists uploaded in an event's page, the plan it makes, pausing it, and the poster."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from bot.followups.runner import FollowUpRunner
from bot.web.dashboard.views_report import pdf_available
from bot.web.limits import MiB
from storage import audit
from storage import events as events_repo
from storage.models import Attendee, Contact, Event, FollowUp
from tests.bot.web.dashboard.conftest import Dash, open_bare_dash, post_form, token_from
from tests.bot.web.dashboard.event_pages import (
    COLUMNS,
    PEOPLE,
    attendee_csv,
    create_event,
    upload_attendees,
)

# 24 hours after the form's default end (12:00 on 14 March, GMT): Sunday noon.
FIRST_DUE = datetime(2026, 3, 15, 12, 0, tzinfo=UTC)
BAD_ROW = {"name": "Dan Example", "phone": "0770090", "role": "parent", "consent": "yes"}


def _count(dash: Dash, model: type[object], event_id: int | None = None) -> int:
    query = select(func.count()).select_from(model)
    if event_id is not None:
        query = query.where(model.event_id == event_id)  # type: ignore[attr-defined]
    with dash.services.session_factory() as s:
        return s.scalar(query) or 0


def _sent(dash: Dash, event_id: int) -> int:
    with dash.services.session_factory() as s:
        return (
            s.scalar(
                select(func.count())
                .select_from(FollowUp)
                .where(FollowUp.event_id == event_id, FollowUp.status == "sent")
            )
            or 0
        )


def test_a_file_with_a_bad_row_imports_nobody_and_says_how_to_fix_each_row(dash: Dash) -> None:
    dash.officer("ann@council.example", "officer", ("north",))
    with dash.login("ann@council.example") as client:
        event_id = create_event(client)
        contacts_before = _count(dash, Contact)
        response = upload_attendees(client, event_id, attendee_csv([*PEOPLE, BAD_ROW]))
        assert response.status_code == 400
        page = response.text
        assert "Nobody was imported from came.csv" in page
        assert "1 problem in 1 of 4 rows" in page
        assert "nothing from it was kept" in page
        # Row 5 (row 1 is the headings), the column, what is wrong, how to fix it.
        assert (
            "<td>5</td><td>phone</td><td>&#39;0770090&#39; is not a phone number (too short or too "
            "long for a mobile)</td><td>Type a UK mobile number such as 07700 900123"
        ) in page
    assert _count(dash, Attendee, event_id) == 0
    assert _count(dash, Contact) == contacts_before


def test_a_good_file_is_counted_and_consent_no_is_recorded_but_never_planned(dash: Dash) -> None:
    officer = dash.officer("ann@council.example", "officer", ("north",))
    with dash.login("ann@council.example") as client:
        event_id = create_event(client)
        response = upload_attendees(client, event_id, attendee_csv(PEOPLE))
        assert response.status_code == 200, response.text
        page = response.text
        assert "3 people read from came.csv" in page
        assert "Follow-up requests planned: 6" in page  # two people, a request and two reminders
        assert "Did not agree to be contacted: 1" in page
        assert "Who came: 3 people" in page
        # The plan, person by person: counts at the top, then each pseudonym and why.
        assert '<span class="count">2</span> Waiting' in page
        assert '<span class="count">1</span> No consent' in page
        assert "did not agree to be contacted: never sent anything" in page
        for person in PEOPLE:
            assert person["name"] not in page
            assert person["phone"] not in page
    with dash.services.session_factory() as s:
        entry = audit.recent(s, action="import_attendees")[0]
        assert (entry.actor, entry.subject) == (f"officer:{officer}", f"event:{event_id}")
        assert entry.detail["no_consent"] == 1


def test_a_workbook_uploads_like_a_csv(dash: Dash) -> None:
    dash.officer("ann@council.example", "officer", ("north",))
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(COLUMNS)
    for person in PEOPLE:
        sheet.append([person.get(c) for c in COLUMNS])
    data = io.BytesIO()
    book.save(data)
    with dash.login("ann@council.example") as client:
        event_id = create_event(client)
        response = upload_attendees(client, event_id, data.getvalue(), "came.xlsx")
        assert response.status_code == 200, response.text
        assert "3 people read from came.xlsx" in response.text
    assert _count(dash, Attendee, event_id) == 3


@pytest.mark.parametrize(
    ("filename", "data", "message"),
    [
        ("came.csv", b"", "the file is empty"),
        ("came.pdf", b"%PDF-1.7", "Upload the list as a CSV file (.csv) or an Excel workbook"),
        ("came.xlsx", b"PK\x03\x04 not really", "cannot be opened"),
        ("came.csv", b"\xff\xfe\x00", "cut short or damaged"),
    ],
)
def test_a_file_that_is_not_a_list_is_refused_with_a_reason(
    dash: Dash, filename: str, data: bytes, message: str
) -> None:
    dash.officer("ann@council.example", "officer", ("north",))
    with dash.login("ann@council.example") as client:
        response = upload_attendees(client, dash.seeded.north, data, filename)
        assert response.status_code == 400
        assert message in response.text
        token = token_from(client.get(f"/dashboard/events/{dash.seeded.north}").text)
        nothing = client.post(
            f"/dashboard/events/{dash.seeded.north}/attendees", data={"csrf_token": token}
        )
        assert nothing.status_code == 400
        assert "Choose the file to upload." in nothing.text


def test_an_upload_over_max_upload_mb_gets_413_before_it_is_read(database_url: str) -> None:
    with open_bare_dash(database_url, max_upload_mb=1) as dash:
        dash.officer("ann@council.example", "officer", ("north",))
        with dash.login("ann@council.example") as client:
            event_id = create_event(client)
            big = attendee_csv(PEOPLE) + b"x" * (MiB + 1)
            response = upload_attendees(client, event_id, big)
            assert response.status_code == 413
            # Sent without a length, it is counted as it comes and cut off the same way.
            token = token_from(client.get(f"/dashboard/events/{event_id}").text)
            boundary = "sendvoiceboundary"
            head = (
                f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n'
                f"{token}\r\n--{boundary}\r\nContent-Disposition: form-data; "
                'name="attendees"; filename="came.csv"\r\nContent-Type: text/csv\r\n\r\n'
            ).encode()

            def body() -> object:
                yield head + attendee_csv(PEOPLE)
                for _ in range(40):
                    yield b"x" * (64 * 1024)
                yield f"\r\n--{boundary}--\r\n".encode()

            try:
                streamed = client.post(
                    f"/dashboard/events/{event_id}/attendees",
                    content=body(),  # type: ignore[arg-type]
                    headers={"content-type": f"multipart/form-data; boundary={boundary}"},
                )
                assert streamed.status_code == 413
            except httpx.WriteError:
                pass  # the server closed the connection mid-body: refused just the same
            # A list under the limit still goes in, and other forms keep their small limit.
            assert upload_attendees(client, event_id, attendee_csv(PEOPLE)).status_code == 200
            edit = client.post(
                f"/dashboard/events/{event_id}/edit", content=b"title=" + b"x" * (100 * 1024)
            )
            assert edit.status_code == 413
        with dash.services.session_factory() as s:
            assert len(events_repo.attendees(s, event_id)) == 3  # from the small upload only
            assert len(audit.recent(s, action="import_attendees")) == 1


def test_a_paused_plan_sends_nothing_and_resuming_sends_what_is_due(dash: Dash) -> None:
    dash.officer("ann@council.example", "officer", ("north",))
    runner = FollowUpRunner(dash.services)
    with dash.login("ann@council.example") as client:
        event_id = create_event(client)
        upload_attendees(client, event_id, attendee_csv(PEOPLE))
        page = f"/dashboard/events/{event_id}"
        paused = post_form(client, page, f"{page}/pause", {})
        assert paused.status_code == 303
        shown = client.get(paused.headers["location"]).text
        assert "The follow-up plan is paused" in shown
        assert '<span class="count">2</span> Paused' in shown
        assert "Resume the plan" in shown

        dash.clock.now = FIRST_DUE
        runner.run_due()
        assert _sent(dash, event_id) == 0

        resumed = post_form(client, page, f"{page}/resume", {})
        assert resumed.status_code == 303
        assert (
            "requests already due go on the scheduler"
            in client.get(resumed.headers["location"]).text
        )
        runner.run_due()
        assert _sent(dash, event_id) == 2
        shown = client.get(page).text
        assert '<span class="count">2</span> Sent' in shown
        assert '<span class="count">1</span> No consent' in shown
        assert "no reply yet; reminder due" in shown
    with dash.services.session_factory() as s:
        actions = [e.action for e in audit.recent(s) if e.subject == f"event:{event_id}"]
        assert {"pause_followups", "resume_followups"} <= set(actions)
        assert s.get_one(Event, event_id).paused_at is None


def test_the_poster_has_the_qr_code_links_and_how_to_stop(
    database_url: str, tmp_path: Path
) -> None:
    settings = {"telegram_bot_username": "@testshire_bot", "twilio_from_number": "+447700900000"}
    with open_bare_dash(database_url, **settings) as dash:
        dash.officer("ann@council.example", "officer", ("north",))
        with dash.login("ann@council.example") as client:
            event_id = create_event(client, title="Poster <test> morning")
            with dash.services.session_factory() as s:
                code = s.get_one(Event, event_id).code
            page = client.get(f"/dashboard/events/{event_id}/poster")
            assert page.status_code == 200
            html = page.text
            assert "Poster &lt;test&gt; morning" in html
            assert '<svg viewBox="0 0 ' in html
            assert "<title>QR code for Poster &lt;test&gt; morning</title>" in html
            assert f"https://t.me/testshire_bot?start={code}" in html
            assert "Text <strong>FEEDBACK</strong> to <strong>+447700900000</strong>" in html
            assert "Send STOP at any time" in html
            assert "Saturday 14 March 2026, 10:00 to 12:00" in html
            assert "Northtown library" in html
            if not pdf_available():
                assert "poster.pdf" not in html
                assert client.get(f"/dashboard/events/{event_id}/poster.pdf").status_code == 501
                return
            assert f"/dashboard/events/{event_id}/poster.pdf" in html
            pdf = client.get(f"/dashboard/events/{event_id}/poster.pdf")
            assert pdf.status_code == 200
            assert pdf.headers["content-type"] == "application/pdf"
            assert pdf.content.startswith(b"%PDF")
    if shutil.which("pdfinfo"):
        (tmp_path / "poster.pdf").write_bytes(pdf.content)
        info = subprocess.run(
            ["pdfinfo", "poster.pdf"], cwd=tmp_path, check=True, capture_output=True, text=True
        ).stdout
        assert "Pages:           1" in info
        assert "A4" in info

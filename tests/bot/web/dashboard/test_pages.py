"""What each role sees: transcripts, quotes, small groups, escaping, coding, you said we did."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from bot.followups.runner import FollowUpRunner
from storage import audit
from storage import contacts as contacts_repo
from storage.dashboard_models import YouSaidUpdate
from storage.models import Conversation, Event, FollowUp, Message
from tests.bot.web.dashboard.coding_helpers import add_theme, answers_on, code_answers, coding_url
from tests.bot.web.dashboard.conftest import Dash, post_form
from tests.bot.web.dashboard.seed import NORTH, SCRIPT, TYPED_NUMBER


def conversation_of(dash: Dash, number: str) -> tuple[int, str]:
    with dash.services.session_factory() as s:
        found = contacts_repo.find_by_address(s, "sms", number)
        assert found is not None
        contact = found[0]
        conversation = s.scalars(
            select(Conversation).where(Conversation.contact_id == contact.id)
        ).one()
        return conversation.id, contact.pseudonym


def test_a_viewer_sees_counts_but_never_transcripts_or_quotes(dash: Dash) -> None:
    dash.officer("ann@council.example", "officer", ("north",))
    dash.officer("val@council.example", "viewer")
    conversation_id, _ = conversation_of(dash, dash.seeded.north_numbers[0])
    with dash.login("ann@council.example") as ann:
        theme_id = add_theme(ann, "Speakers")
        answer_ids = list(answers_on(ann.get(coding_url(step="worked_well")).text).values())
        assert code_answers(ann, answer_ids[:6], theme_id).status_code == 303
        themes = ann.get("/dashboard/themes?flow=post_event").text
        assert "<blockquote>" in themes  # officers read quotes
    with dash.login("val@council.example") as val:
        assert val.get(f"/dashboard/responses/{conversation_id}").status_code == 403
        themes = val.get("/dashboard/themes?flow=post_event").text
        assert "Speakers" in themes
        assert ">6<" in themes
        assert "<blockquote>" not in themes
        report = val.get("/dashboard/report?flow=post_event").text
        assert "Speakers" in report
        assert "<blockquote>" not in report
        for _rating, worked, _stay in NORTH:
            assert worked not in report
            assert worked not in themes


def test_an_officer_reads_transcripts_only_in_their_areas_and_each_view_is_audited(
    dash: Dash,
) -> None:
    officer_id = dash.officer("sam@council.example", "officer", ("south",))
    north_id, _ = conversation_of(dash, dash.seeded.north_numbers[0])
    south_id, south_pseudonym = conversation_of(dash, dash.seeded.south_numbers[0])
    with dash.login("sam@council.example") as sam:
        assert sam.get(f"/dashboard/responses/{north_id}").status_code == 404
        assert sam.get("/dashboard/responses/999999").status_code == 404
        page = sam.get(f"/dashboard/responses/{south_id}")
        assert page.status_code == 200
        assert "Too noisy" in page.text
        assert south_pseudonym in page.text
        listing = sam.get("/dashboard/responses").text
        assert "2 conversations match." in listing
    for number in dash.seeded.south_numbers:
        assert number not in page.text
        assert number not in listing
    with dash.services.session_factory() as s:
        [entry] = audit.recent(s, action="view_transcript")
    assert (entry.actor, entry.subject) == (f"officer:{officer_id}", south_pseudonym)


def test_a_script_in_a_reply_shows_as_text(dash: Dash) -> None:
    dash.officer("admin@council.example", "admin")
    conversation_id, _ = conversation_of(dash, dash.seeded.north_numbers[6])
    with dash.login("admin@council.example") as admin:
        for path in (
            f"/dashboard/responses/{conversation_id}",
            "/dashboard/coding?flow=post_event&step=worked_well",
        ):
            html = admin.get(path).text
            assert SCRIPT not in html, path
            assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, path


def _row(html: str, label: str) -> str:
    found = re.search(rf'<tr><th scope="row">{re.escape(label)}</th>(.*?)</tr>', html, re.S)
    assert found, label
    return found.group(1)


def test_groups_smaller_than_five_are_never_shown_as_numbers(dash: Dash) -> None:
    dash.officer("val@council.example", "viewer")
    with dash.login("val@council.example") as val:
        html = val.get("/dashboard/?flow=post_event").text
    # Two parents from the south: fewer than 5, and the north is given only as a range, since
    # the total (16) minus the north would give the south away.
    south, north = _row(html, "south"), _row(html, "north")
    assert "fewer than 5" in south
    assert re.search(r">\s*2\s*<", south) is None
    assert "12 to 15" in north
    assert ">14<" not in north
    # Ratings: two 3s and one 2 are both small; the 4s and 5s stand.
    assert "fewer than 5" in _row(html, "2 - Not great")
    assert "fewer than 5" in _row(html, "3 - OK")
    assert ">6<" in _row(html, "4 - Good")
    # Nobody can subtract their way back to a hidden count from the percentages either.
    assert "%" not in _row(html, "3 - OK")


def test_you_said_we_did_goes_to_those_who_asked_to_hear_back(dash: Dash) -> None:
    dash.officer("ann@council.example", "officer", ("north",))
    north = dash.seeded.north
    with dash.login("ann@council.example") as ann:
        post_form(
            ann,
            "/dashboard/coding?flow=post_event",
            "/dashboard/coding/themes",
            {"flow": "post_event", "name": "Room too small"},
        )
        page = ann.get("/dashboard/actions?flow=post_event").text
        theme_id = re.search(r'<option value="(\d+)">Room too small', page).group(1)  # type: ignore[union-attr]
        added = post_form(
            ann,
            "/dashboard/actions?flow=post_event",
            "/dashboard/actions",
            {
                "theme": theme_id,
                "what": "We booked the big hall for the next one",
                "owner": "Events team",
                "status": "done",
                "date": "2026-04-01",
            },
        )
        assert added.status_code == 303
        preview = ann.get(f"/dashboard/events/{north}/you-said").text
        # 8 chose news and 2 both; 3 said no thanks and one never got that far.
        assert "<strong>10</strong> people" in preview
        assert "We booked the big hall for the next one." in preview
        sent = post_form(
            ann,
            f"/dashboard/events/{north}/you-said",
            f"/dashboard/events/{north}/you-said",
            {"summary": "We booked the big hall for the next one."},
        )
        assert sent.status_code == 303
        assert "sent=10" in sent.headers["location"]
        assert "already planned" in ann.get(f"/dashboard/events/{north}/you-said").text
        report = ann.get("/dashboard/report?flow=post_event").text
        assert "We booked the big hall for the next one" in report
    with dash.services.session_factory() as s:
        # No second event: the update is recorded against the real one.
        assert s.scalars(select(Event).where(Event.kind == "you_said_we_did")).all() == []
        assert s.scalar(select(func.count()).select_from(Event)) == 2
        [update] = s.scalars(select(YouSaidUpdate)).all()
        assert (update.event_id, update.people) == (north, 10)
        assert update.summary == "We booked the big hall for the next one."
        planned = s.scalars(select(FollowUp).where(FollowUp.update_id == update.id)).all()
        assert len(planned) == 10
        assert {(f.event_id, f.flow_id, f.kind) for f in planned} == {
            (north, "you_said_we_did", f"update_{update.id}")
        }
        [entry] = audit.recent(s, action="send_you_said_we_did")
        assert entry.subject == f"event:{north}"
        assert entry.detail == {"update_id": update.id, "people": 10}


def test_the_update_message_carries_the_actions_summary(dash: Dash) -> None:
    dash.officer("ann@council.example", "officer", ("north",))
    with dash.login("ann@council.example") as ann:
        post_form(
            ann,
            f"/dashboard/events/{dash.seeded.north}/you-said",
            f"/dashboard/events/{dash.seeded.north}/you-said",
            {"summary": "We moved the coffee mornings to after school drop-off."},
        )
    FollowUpRunner(dash.services).run_due()
    with dash.services.session_factory() as s:
        bodies = [
            m.body
            for m in s.scalars(select(Message).where(Message.direction == "out"))
            if "Here is what we did" in m.body
        ]
        updates = s.scalars(select(Conversation).where(Conversation.flow_id == "you_said_we_did"))
        assert {c.event_id for c in updates} == {dash.seeded.north}
    assert len(bodies) == 10
    assert all("We moved the coffee mornings to after school drop-off." in b for b in bodies)
    with dash.login("ann@council.example") as ann:
        page = ann.get(f"/dashboard/events/{dash.seeded.north}/you-said").text
        assert re.search(r"<td>We moved the coffee mornings[^<]*</td><td>10</td><td>10</td>", page)
        # The event's own report still counts only its survey, not the replies to the update.
        report = ann.get(f"/dashboard/report?event={dash.seeded.north}").text
        assert '<th scope="row">Started</th><td>14</td>' in report.replace("\n", "")


def test_the_committee_report_prints_and_downloads_as_pdf(dash: Dash) -> None:
    from bot.web.dashboard.views_report import pdf_available

    dash.officer("val@council.example", "viewer")
    with dash.login("val@council.example") as val:
        page = val.get(f"/dashboard/report?event={dash.seeded.north}")
        assert page.status_code == 200
        assert "Committee report: North coffee morning" in page.text
        assert "@media print" in val.get("/dashboard/static/dashboard.css").text
        pdf = val.get(f"/dashboard/report.pdf?event={dash.seeded.north}")
    if not pdf_available():
        assert pdf.status_code == 501
        return
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert TYPED_NUMBER.encode() not in pdf.content


def test_stored_codes_read_as_labels_on_every_page(dash: Dash) -> None:
    dash.officer("admin@council.example", "admin")
    conversation_id, _ = conversation_of(dash, dash.seeded.north_numbers[0])
    with dash.login("admin@council.example") as admin:
        listing = admin.get("/dashboard/responses").text
        transcript = admin.get(f"/dashboard/responses/{conversation_id}").text
        to_read = admin.get("/dashboard/to-read").text
    row = re.search(r"<tbody>\s*<tr>(.*?)</tr>", listing, re.S)
    assert row is not None
    cells = re.findall(r"<td>([^<]*)</td>", row.group(1))
    assert "Parent or carer" in cells
    assert "SMS" in cells
    assert "English" in cells
    assert {"parent", "sms", "en", "completed"}.isdisjoint(cells)
    assert '<option value="young_person">Young person</option>' in listing
    assert '<option value="expired">Ran out of time</option>' in listing
    assert "<dd>Parent or carer</dd>" in transcript
    assert "<dd>SMS, English</dd>" in transcript
    assert "News only" in transcript
    assert ">updates<" not in transcript
    assert "Parent or carer;" in to_read


def test_an_update_event_made_by_an_earlier_version_is_not_offered_as_an_event(dash: Dash) -> None:
    with dash.services.session_factory.begin() as s:
        # As storage.you_said used to write it: not through events.create.
        carrier = Event(
            title="Legacy update carrier",
            kind="you_said_we_did",
            starts_at=dash.clock(),
            ends_at=dash.clock(),
            area="north",
            flow_id="you_said_we_did",
            followup_delay_s=0,
            request_expires_s=14 * 24 * 3600,
            created_at=dash.clock(),
            updated_at=dash.clock(),
        )
        s.add(carrier)
        s.flush()
        legacy = carrier.id
    dash.officer("admin@council.example", "admin")
    with dash.login("admin@council.example") as admin:
        for path in ("/dashboard/", "/dashboard/report", "/dashboard/coding"):
            page = admin.get(path).text
            assert "North coffee morning" in page, path
            assert f'<option value="{legacy}"' not in page, path
        assert "Legacy update carrier" not in admin.get("/dashboard/actions").text

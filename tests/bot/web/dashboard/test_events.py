"""Events in the dashboard over HTTP, through the real app: list, create, change, cancel, areas."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from storage import audit
from storage import events as events_repo
from storage.models import Event, FollowUp
from tests.bot.web.dashboard.conftest import Dash, post_form
from tests.bot.web.dashboard.event_pages import (
    PEOPLE,
    attendee_csv,
    create_event,
    event_form,
    upload_attendees,
)


def _event(dash: Dash, event_id: int) -> Event:
    with dash.services.session_factory() as s:
        return s.get_one(Event, event_id)


def _actions(dash: Dash) -> list[tuple[str, str | None, str]]:
    with dash.services.session_factory() as s:
        return [(e.action, e.subject, e.actor) for e in reversed(audit.recent(s))]


def test_an_officer_lists_only_the_events_in_their_areas(dash: Dash) -> None:
    dash.officer("ann@council.example", "officer", ("north",))
    dash.officer("vic@council.example", "viewer", ("south",))
    with dash.login("ann@council.example") as client:
        page = client.get("/dashboard/events").text
        assert "North coffee morning" in page
        assert "South parent panel" not in page
        assert 'href="/dashboard/events"' in client.get("/dashboard/").text  # in the navigation
    with dash.login("vic@council.example") as viewer:
        page = viewer.get("/dashboard/events").text
        assert "South parent panel" in page
        assert "Add an event" not in page  # viewers see counts, change nothing
        assert viewer.get(f"/dashboard/events/{dash.seeded.south}").status_code == 403


def test_an_officer_creates_an_event_in_local_time_and_it_is_audited(dash: Dash) -> None:
    officer = dash.officer("ann@council.example", "officer", ("north",))
    with dash.login("ann@council.example") as client:
        # 14 June is British Summer Time: 10:00 local is 09:00 UTC.
        event_id = create_event(
            client, title="Summer workshop", start="2026-06-14T10:00", end="2026-06-14T12:30"
        )
        page = client.get(f"/dashboard/events/{event_id}?done=created")  # where it went
        assert page.status_code == 200
        assert "The event is added" in page.text
        assert "Summer workshop" in page.text
        # Every form on the page carries the token (an empty one would be refused).
        assert page.text.count('name="csrf_token" value="') >= 4
        assert 'name="csrf_token" value=""' not in page.text
        form = client.get("/dashboard/events/new").text
        assert 'name="csrf_token" value=""' not in form
    event = _event(dash, event_id)
    assert (event.starts_at, event.ends_at) == (
        datetime(2026, 6, 14, 9, 0, tzinfo=UTC),
        datetime(2026, 6, 14, 11, 30, tzinfo=UTC),
    )
    assert (event.area, event.flow_id, event.reminder_1_s, event.reminder_2_s) == (
        "north",
        "post_event",
        48 * 3600,
        7 * 86400,
    )
    assert ("create_event", f"event:{event_id}", f"officer:{officer}") in _actions(dash)


def test_bad_input_comes_back_on_the_form_with_the_field_to_fix(dash: Dash) -> None:
    dash.officer("ann@council.example", "officer", ("north",))
    cases = {
        "start": ({"start": "2026-13-40T10:00"}, "is not a date and time"),
        "end": ({"end": "2026-03-14T09:00"}, "the event must end after it starts"),
        "title": ({"title": ""}, "an event needs a title"),
        "delay": ({"delay": "soon"}, "is not a length of time"),
        "reminder": ({"reminder_1": "30d"}, "would come after it expires"),
        "flow": ({"flow": "no_such_flow"}, "no flow &#39;no_such_flow&#39;"),
        "area": ({"area": "south"}, "choose one of your areas: north"),
        "kind": ({"kind": "party"}, "choose what kind of event it is"),
        "gap": ({"start": "2026-03-29T01:30", "end": "2026-03-29T03:00"}, "the clocks go forward"),
        "year": ({"start": "99999-01-01T10:00"}, "is not a date and time"),
        "huge": ({"delay": "9" * 30 + "w"}, "is not a length of time"),
        "long": ({"expires": "60w", "delay": "1w"}, "a year at most"),
    }
    with dash.login("ann@council.example") as client:
        for name, (fields, message) in cases.items():
            response = post_form(
                client, "/dashboard/events/new", "/dashboard/events", event_form(**fields)
            )
            assert response.status_code == 400, name
            assert "There is a problem" in response.text, name
            assert message in response.text, (name, response.text)
            # What was typed is kept, so nothing has to be typed again.
            assert 'value="Northtown library"' in response.text, name
    with dash.services.session_factory() as s:
        assert len(events_repo.list_all(s)) == 2  # only the seeded ones


def test_another_areas_event_and_bad_ids_are_not_found(dash: Dash) -> None:
    dash.officer("ann@council.example", "officer", ("north",))
    south = dash.seeded.south
    with dash.login("ann@council.example") as client:
        for path in (
            f"/dashboard/events/{south}",
            f"/dashboard/events/{south}/edit",
            f"/dashboard/events/{south}/poster",
            "/dashboard/events/999999",
            "/dashboard/events/2147483648",  # too large for an id
            "/dashboard/events/99999999999",  # too long to be one
            "/dashboard/events/abc",
            "/dashboard/events/-1",
        ):
            assert client.get(path).status_code == 404, path
        for action, data in (
            ("edit", event_form()),
            ("cancel", {"confirm": "yes"}),
            ("pause", {}),
            ("resume", {}),
        ):
            response = post_form(
                client, "/dashboard/events", f"/dashboard/events/{south}/{action}", data
            )
            assert response.status_code == 404, action
        response = upload_attendees(client, dash.seeded.north, attendee_csv(PEOPLE))
        assert response.status_code == 200
        token_page = client.get(f"/dashboard/events/{dash.seeded.north}").text
        assert "Who came" in token_page
    assert _event(dash, south).cancelled_at is None
    assert _event(dash, south).paused_at is None


def test_a_form_without_its_csrf_token_is_refused(dash: Dash) -> None:
    dash.officer("ann@council.example", "officer", ("north",))
    north = dash.seeded.north
    with dash.login("ann@council.example") as client:
        for path in (
            "/dashboard/events",
            f"/dashboard/events/{north}/edit",
            f"/dashboard/events/{north}/cancel",
            f"/dashboard/events/{north}/pause",
        ):
            response = client.post(path, data={**event_form(), "confirm": "yes"})
            assert response.status_code == 403, path
            assert "This form has expired" in response.text
        response = client.post(
            f"/dashboard/events/{north}/attendees",
            data={"csrf_token": "forged"},
            files={"attendees": ("came.csv", attendee_csv(PEOPLE), "text/csv")},
        )
        assert response.status_code == 403
    assert _event(dash, north).cancelled_at is None
    with dash.services.session_factory() as s:
        assert len(events_repo.attendees(s, north)) == len(dash.seeded.north_numbers)


def test_changing_the_times_moves_what_is_still_to_be_sent(dash: Dash) -> None:
    dash.officer("ann@council.example", "officer", ("north",))
    with dash.login("ann@council.example") as client:
        event_id = create_event(client)
        upload_attendees(client, event_id, attendee_csv(PEOPLE))
        changed = event_form(end="2026-03-14T13:00", reminder_2="")
        response = post_form(
            client,
            f"/dashboard/events/{event_id}/edit",
            f"/dashboard/events/{event_id}/edit",
            changed,
        )
        assert response.status_code == 303, response.text
        assert "Your changes are saved" in client.get(response.headers["location"]).text
    with dash.services.session_factory() as s:
        rows = s.scalars(select(FollowUp).where(FollowUp.event_id == event_id)).all()
    first = datetime(2026, 3, 15, 13, 0, tzinfo=UTC)  # 24 hours after the new end
    assert {r.due_at for r in rows if r.kind == "initial"} == {first}
    assert {r.due_at for r in rows if r.kind == "reminder_1"} == {first + timedelta(hours=48)}
    assert {(r.status, r.reason) for r in rows if r.kind == "reminder_2"} == {
        ("cancelled", "the reminder was taken out of the plan")
    }
    assert ("edit_event", f"event:{event_id}") in [a[:2] for a in _actions(dash)]


def test_cancelling_needs_confirming_then_stops_every_follow_up(dash: Dash) -> None:
    dash.officer("ann@council.example", "officer", ("north",))
    with dash.login("ann@council.example") as client:
        event_id = create_event(client)
        upload_attendees(client, event_id, attendee_csv(PEOPLE))
        page = f"/dashboard/events/{event_id}"
        unconfirmed = post_form(client, page, f"{page}/cancel", {})
        assert unconfirmed.status_code == 400
        assert "Tick the box" in unconfirmed.text
        assert _event(dash, event_id).cancelled_at is None
        response = post_form(client, page, f"{page}/cancel", {"confirm": "yes"})
        assert response.status_code == 303
        shown = client.get(response.headers["location"]).text
        assert "The event is cancelled" in shown
        assert "Upload the list" not in shown
        assert client.get(f"{page}/edit").status_code == 409
        late = upload_attendees(client, event_id, attendee_csv(PEOPLE))  # from a stale page
        assert late.status_code == 400
        assert "this event was cancelled: nobody can be added to it" in late.text
    with dash.services.session_factory() as s:
        rows = s.scalars(select(FollowUp).where(FollowUp.event_id == event_id)).all()
    assert rows
    assert {(r.status, r.reason) for r in rows} == {("cancelled", "the event was cancelled")}
    assert ("cancel_event", f"event:{event_id}") in [a[:2] for a in _actions(dash)]

"""The designated safeguarding lead's queue in the dashboard."""

from __future__ import annotations

from sqlalchemy import select

from bot.conversation.inbound import InboundMessage
from storage import audit
from storage.models import SafeguardingFlag
from tests.bot.web.dashboard.conftest import Dash, post_form

WORDS = "my step dad hits me <script>alert(1)</script>"


def flag(dash: Dash) -> None:
    dash.services.dispatcher.handle(
        dash.services.session_factory,
        InboundMessage("sms", "+447700900999", WORDS, "SMflag1", dash.clock()),
    )


def test_the_queue_shows_the_words_escaped_and_how_to_reach_them(dash: Dash) -> None:
    flag(dash)
    dash.officer("dsl@council.example", "officer", ("north",), lead=True)
    with dash.login("dsl@council.example") as dsl:
        page = dsl.get("/dashboard/safeguarding")
        assert page.status_code == 200
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
        assert "<script>alert(1)" not in page.text
        assert "physical abuse" in page.text
        assert "sms: +447700900999" in page.text
        note = {"note": "Rang the parent; referred to MASH"}
        action = f"/dashboard/safeguarding/{flag_id(dash, WORDS)}/ack"
        response = post_form(dsl, "/dashboard/safeguarding", action, note)
        assert response.status_code == 303
        assert "&lt;script&gt;alert(1)" not in dsl.get("/dashboard/safeguarding").text
    with dash.services.session_factory() as s:
        [raised] = [f for f in s.scalars(select(SafeguardingFlag)) if f.text == WORDS]
        assert raised.acknowledged_by.startswith("officer:")
        actions = {e.action for e in audit.recent(s)}
    assert {"view_safeguarding_queue", "acknowledge_safeguarding_flag"} <= actions


def test_viewers_cannot_open_the_queue(dash: Dash) -> None:
    flag(dash)
    dash.officer("viewer@council.example", "viewer")
    with dash.login("viewer@council.example") as viewer:
        assert viewer.get("/dashboard/safeguarding").status_code == 403


def test_acknowledging_needs_the_csrf_token(dash: Dash) -> None:
    flag(dash)
    dash.officer("dsl@council.example", "admin")
    with dash.login("dsl@council.example") as dsl:
        assert dsl.post("/dashboard/safeguarding/1/ack").status_code == 403
        assert (
            WORDS.replace("<", "&lt;").replace(">", "&gt;")
            in dsl.get("/dashboard/safeguarding").text
        )


def flag_in_area(dash: Dash, area: str, number: str, words: str) -> None:
    """A parent who came to an event in `area` discloses harm."""
    from datetime import timedelta

    from storage import contacts as contacts_repo
    from storage import events as events_repo

    at = dash.clock()
    with dash.services.session_factory.begin() as s:
        event = events_repo.create(
            s,
            title=f"{area} coffee morning",
            kind="coffee_morning",
            starts_at=at - timedelta(days=1),
            ends_at=at - timedelta(days=1) + timedelta(hours=2),
            flow_id="post_event",
            area=area,
            now=at,
        )
        contact, _, _ = contacts_repo.find_or_create(s, "sms", number, at, role="parent")
        events_repo.add_attendee(
            s, event, contact, role="parent", consent=True, source="import", now=at
        )
    dash.services.dispatcher.handle(
        dash.services.session_factory,
        InboundMessage("sms", number, words, f"SM{number[-4:]}", at),
    )


def flag_id(dash: Dash, words: str) -> int:
    with dash.services.session_factory() as s:
        # The words are encrypted: found by reading them, not by asking the database.
        [found] = [f.id for f in s.scalars(select(SafeguardingFlag)) if f.text == words]
        return found


NORTH_WORDS = "my partner hit me and the kids again last night"
SOUTH_WORDS = "my son says his stepdad locks him in his room with no food"


def test_an_officer_sees_and_acknowledges_only_their_areas_flags(dash: Dash) -> None:
    flag_in_area(dash, "north", "+447700900111", NORTH_WORDS)
    flag_in_area(dash, "south", "+447700900222", SOUTH_WORDS)
    dash.officer("north@council.example", "officer", ("north",))
    with dash.login("north@council.example") as north:
        page = north.get("/dashboard/safeguarding").text
        assert NORTH_WORDS in page
        assert "+447700900111" in page
        assert SOUTH_WORDS not in page
        assert "+447700900222" not in page  # nor the other area's number
        south_id = flag_id(dash, SOUTH_WORDS)
        note = {"note": "checked"}
        action = f"/dashboard/safeguarding/{south_id}/ack"
        assert post_form(north, "/dashboard/safeguarding", action, note).status_code == 404
    with dash.services.session_factory() as s:
        flag = s.get(SafeguardingFlag, south_id)
        assert flag is not None
        assert flag.area == "south"
        assert flag.acknowledged_at is None


def test_a_designated_safeguarding_lead_sees_every_area(dash: Dash) -> None:
    flag_in_area(dash, "north", "+447700900111", NORTH_WORDS)
    flag_in_area(dash, "south", "+447700900222", SOUTH_WORDS)
    dash.officer("dsl@council.example", "officer", ("north",), lead=True)
    with dash.login("dsl@council.example") as dsl:
        page = dsl.get("/dashboard/safeguarding").text
        assert NORTH_WORDS in page
        assert SOUTH_WORDS in page


def test_acknowledging_needs_a_note_of_what_was_done_which_the_audit_log_keeps(dash: Dash) -> None:
    flag_in_area(dash, "north", "+447700900111", NORTH_WORDS)
    dash.officer("north@council.example", "officer", ("north",))
    action = f"/dashboard/safeguarding/{flag_id(dash, NORTH_WORDS)}/ack"
    with dash.login("north@council.example") as north:
        blank = post_form(north, "/dashboard/safeguarding", action, {"note": "  "})
        assert blank.status_code == 400
        assert "note is required" in blank.text
        assert NORTH_WORDS in north.get("/dashboard/safeguarding").text  # still waiting
        done = {"note": "Spoke to mum; police informed; referral made"}
        assert post_form(north, "/dashboard/safeguarding", action, done).status_code == 303
        assert NORTH_WORDS not in north.get("/dashboard/safeguarding").text
    with dash.services.session_factory() as s:
        flag = s.get(SafeguardingFlag, flag_id(dash, NORTH_WORDS))
        assert flag is not None
        assert flag.acknowledge_note == "Spoke to mum; police informed; referral made"
        [entry] = [e for e in audit.recent(s) if e.action == "acknowledge_safeguarding_flag"]
        assert entry.detail["note"] == "Spoke to mum; police informed; referral made"


def test_an_admin_makes_an_officer_a_safeguarding_lead(dash: Dash) -> None:
    flag_in_area(dash, "south", "+447700900222", SOUTH_WORDS)
    officer_id = dash.officer("north@council.example", "officer", ("north",))
    dash.officer("admin@council.example", "admin")
    with dash.login("north@council.example") as north:
        assert SOUTH_WORDS not in north.get("/dashboard/safeguarding").text
    with dash.login("admin@council.example") as admin:
        action = f"/dashboard/officers/{officer_id}/safeguarding-lead"
        assert post_form(admin, "/dashboard/officers", action, {"lead": "1"}).status_code == 303
        assert "sees every area" in admin.get("/dashboard/officers").text
    with dash.login("north@council.example") as north:
        assert SOUTH_WORDS in north.get("/dashboard/safeguarding").text

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
    dash.officer("dsl@council.example", "officer", ("north",))
    with dash.login("dsl@council.example") as dsl:
        page = dsl.get("/dashboard/safeguarding")
        assert page.status_code == 200
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
        assert "<script>alert(1)" not in page.text
        assert "physical abuse" in page.text
        assert "sms: +447700900999" in page.text
        response = post_form(dsl, "/dashboard/safeguarding", "/dashboard/safeguarding/1/ack", {})
        assert response.status_code == 303
        assert "Nothing waiting." in dsl.get("/dashboard/safeguarding").text
    with dash.services.session_factory() as s:
        assert s.scalars(select(SafeguardingFlag)).one().acknowledged_by.startswith("officer:")
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

"""An officer's whole day in Chromium, with no command line: sign in, add an event, upload who came,
read the plan, let the follow-ups go (to the fake Twilio), families answer over signed webhooks,
read a transcript with both sides, preview a flow, tag answers in bulk, add an action, produce the
committee report as HTML, PDF and Word, and export. Every page passes axe-core (WCAG 2.x A/AA).

Run with SHOTS=docs/officers-guide to refresh the screenshots in docs/officers-guide.md.
"""

from __future__ import annotations

import asyncio
import contextlib
import csv
import io
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from bot.clock import FrozenClock
from bot.followups.runner import FollowUpRunner
from bot.services import Services, build_services
from bot.web.app import create_app
from tests.bot.channels.sms.conftest import COUNCIL_NUMBER, sms_settings
from tests.bot.web.dashboard.coding_helpers import tag_in_browser
from tests.bot.web.dashboard.conftest import PASSWORD, SECRET
from tests.bot.web.dashboard.event_pages import (
    PEOPLE,
    attendee_csv,
    create_event_in_browser,
    upload_in_browser,
)
from tests.bot.web.dashboard.flow_preview import preview_in_browser
from tests.bot.web.dashboard.report_helpers import download_docx_in_browser, headings
from tests.bot.web.dashboard.test_accessibility import AXE, violations
from tests.bot.web.dashboard.test_browser import CHROMIUM, open_browser
from tests.fakes.twilio import FakeTwilio, inbound_sms_form, sign
from tests.helpers import wait_until
from tests.live import LiveServer

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium"),
]
SHOTS = os.environ.get("SHOTS", "")
BEFORE_THE_EVENT = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
AFTER_THE_DELAY = datetime(2026, 3, 15, 13, 0, tzinfo=UTC)  # the day after, past the 24h delay
ANN, BEA, CAL = "+447700900501", "+447700900502", "+447700900503"
ANN_SAYS = "The speakers were great and the quiet room helped"
BEA_SAYS = "The room was too noisy for my son"


@dataclass
class Day:
    services: Services
    clock: FrozenClock
    server: LiveServer
    twilio: FakeTwilio
    http: httpx.Client

    def url(self, path: str) -> str:
        return self.server.url("/dashboard" + path)

    def text(self, number: str, body: str) -> None:
        """A family's reply, as Twilio delivers it: a signed webhook."""
        form = inbound_sms_form(
            from_=number, to=COUNCIL_NUMBER, body=body, account_sid=self.twilio.account_sid
        )
        url = self.services.settings.public_url("/webhooks/twilio/sms")
        signature = sign(self.twilio.auth_token, url, form)
        response = self.http.post(
            self.server.url("/webhooks/twilio/sms"),
            data=form,
            headers={"X-Twilio-Signature": signature},
        )
        assert response.status_code == 200

    def to(self, number: str) -> list[str]:
        return [m.body for m in self.twilio.messages if m.to == number]


@pytest.fixture
def day(database_url: str) -> Iterator[Day]:
    with FakeTwilio() as twilio:
        settings = sms_settings(
            database_url,
            twilio,
            "http://sendvoice.test",  # plain http: the session cookie works on the test server
            session_secret=SecretStr(SECRET),
            telegram_bot_username="testshire_bot",
        )
        clock = FrozenClock(BEFORE_THE_EVENT)
        services = build_services(settings, clock=clock)
        with LiveServer(create_app(services)) as server, httpx.Client(timeout=10) as http:
            yield Day(services, clock, server, twilio, http)
        asyncio.run(services.aclose())
        services.close()


def _reply_to(question: str, person: str) -> str:
    """What a parent says to each question of the post-event flow (whatever its exact wording)."""
    asked = question.lower()
    for words, ann, bea in [
        ("who is answering", "1", "2"),
        ("did you go", "yes", "yes"),
        ("how was", "4", "2"),
        ("worked well", ANN_SAYS, "the speakers"),
        ("main problem", "-", BEA_SAYS),
        ("even better", "more time for questions", "a quieter room"),
        ("use what you learned", "a bit", "yes"),
        ("another event", "yes", "no"),
        ("news about events", "both", "no thanks"),
    ]:
        if words in asked:
            return ann if person == ANN else bea
    return "skip"


def _answer_everything(day: Day, number: str) -> None:
    """Reply to each question as it comes, until the thanks."""
    for _ in range(20):
        said = day.to(number)
        if any("Thank you for your time" in m for m in said[-2:]):
            return
        day.text(number, _reply_to(said[-1], number))
        _wait_for_more(day, number, len(said))
    raise AssertionError(f"the conversation did not end: {day.to(number)[-3:]}")


def _sign_in(page: Any, day: Day) -> None:
    page.goto(day.url("/login"))
    page.get_by_label("Email").fill("ann.officer@council.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Overview").wait_for()


def _wait_for_more(day: Day, number: str, seen: int) -> None:
    wait_until(lambda: len(day.to(number)) > seen, timeout=20)


def _shot(page: Any, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def _checked(page: Any, found: dict[str, list[str]], name: str, *, at_least: int = 10) -> None:
    """axe-core on the page as it is now, and a screenshot for the guide."""
    if AXE and Path(AXE).exists():
        found[name] = violations(page, at_least=at_least)
    _shot(page, name)


def test_an_officers_whole_day_without_the_command_line(day: Day, tmp_path: Path) -> None:
    from bot.web.dashboard import passwords
    from storage import officers as officers_repo

    with day.services.session_factory.begin() as s:
        officers_repo.create(
            s,
            email="ann.officer@council.example",
            password_hash=passwords.hash_password(PASSWORD),
            role="officer",
            areas=("north",),
            now=day.clock(),
        )
    found: dict[str, list[str]] = {}
    with contextlib.ExitStack() as stack:
        page: Any = stack.enter_context(open_browser(bypass_csp=bool(AXE)))

        page.goto(day.url("/login"))
        _checked(page, found, "01-sign-in", at_least=5)  # a small page: fewer rules apply
        _sign_in(page, day)

        # An event, and who came (one of them said no to being contacted).
        event_id = create_event_in_browser(page, day.url, title="Northtown coffee morning")
        _checked(page, found, "02-event-added")
        came = tmp_path / "came.csv"
        came.write_bytes(attendee_csv(PEOPLE))
        upload_in_browser(page, came)
        assert "3 people read from came.csv" in page.get_by_role("status").inner_text()
        counts = page.get_by_role("list", name="People by status").inner_text()
        assert "No consent" in counts
        assert "Ann Example" not in page.content()  # pseudonyms only
        _checked(page, found, "03-attendees-and-plan")

        # The follow-ups go the day after; Cal said no, so nothing goes to Cal.
        day.clock.now = AFTER_THE_DELAY
        FollowUpRunner(day.services).run_due()
        wait_until(lambda: bool(day.to(ANN)) and bool(day.to(BEA)), timeout=20)
        assert day.to(CAL) == []
        _sign_in(page, day)  # days later: yesterday's session has ended
        page.goto(day.url(f"/events/{event_id}"))
        assert "Sent" in page.get_by_role("list", name="People by status").inner_text()
        _checked(page, found, "04-plan-sent")

        # The families answer by text, over signed webhooks.
        _answer_everything(day, ANN)
        _answer_everything(day, BEA)

        # A transcript shows both sides, in order, with answers as their labels.
        page.goto(day.url("/responses"))
        page.get_by_role("heading", name="Responses").wait_for()
        _checked(page, found, "05-responses")
        page.locator("table a[href*='/responses/']").first.click()
        page.get_by_text(ANN_SAYS if ANN_SAYS in page.content() else BEA_SAYS).first.wait_for()
        transcript = page.content()
        assert "We sent" in transcript or "we sent" in transcript.lower()
        assert ANN_SAYS in transcript or BEA_SAYS in transcript
        assert "True" not in page.locator("main").inner_text()  # labels, not raw values
        _checked(page, found, "06-transcript")

        # Preview a flow as a family would see it.
        bubbles = preview_in_browser(page, day.url, "post_event", "sms", ["1", "yes"])
        assert any(b.side == "out" and b.segments for b in bubbles)
        _checked(page, found, "07-flow-preview")

        # Code the free text: a theme, then tag answers in bulk with the keyboard.
        page.goto(day.url("/coding?flow=post_event&step=worked_well"))
        page.get_by_label("New theme").fill("Speakers")
        page.get_by_role("button", name="Add theme").click()
        page.get_by_role("heading", name="Coding free-text answers").wait_for()
        tag_in_browser(
            page,
            day.url("").rstrip("/"),
            [ANN_SAYS, "the speakers"],
            "Speakers",
            query="flow=post_event&step=worked_well",
        )
        _checked(page, found, "08-coding")

        # An action against the theme.
        page.goto(day.url("/actions?flow=post_event"))
        page.get_by_label("Theme").select_option(label="Speakers")
        page.get_by_label("What we did").fill("Booked the same speakers for the summer session")
        page.get_by_label("Owner").fill("SEND engagement team")
        page.get_by_role("button", name="Add action").click()
        page.get_by_text("Booked the same speakers for the summer session").first.wait_for()
        _checked(page, found, "09-actions")

        # The committee report: HTML, PDF (when WeasyPrint is here) and Word.
        page.goto(day.url(f"/report?event={event_id}"))
        page.get_by_role("heading", name="Northtown coffee morning", exact=False).first.wait_for()
        report = page.locator("main").inner_text()
        assert "Speakers" in report
        _checked(page, found, "10-report")
        pdf_link = page.get_by_role("link", name="Download as PDF")
        if pdf_link.count():
            pdf = page.request.get(day.url(f"/report.pdf?event={event_id}"))
            assert pdf.ok
            assert pdf.body().startswith(b"%PDF")
        document = download_docx_in_browser(page)
        assert any("Northtown coffee morning" in h for h in headings(document))

        # The export, pseudonymised: both families' answers, no phone numbers.
        page.goto(day.url("/exports?flow=post_event"))
        _checked(page, found, "11-exports")
        with page.expect_download() as info:
            page.get_by_role("link", name="CSV, long", exact=False).first.click()
        rows = list(
            csv.DictReader(io.StringIO(Path(info.value.path()).read_text(encoding="utf-8-sig")))
        )
        said = {r["Value"] for r in rows}
        assert ANN_SAYS in said
        assert BEA_SAYS in said
        assert not any("07700" in v or "+4477" in v for r in rows for v in r.values())
    assert {name: v for name, v in found.items() if v} == {}

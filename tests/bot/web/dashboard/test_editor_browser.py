"""The flow editor in a real headless Chromium: the README's coffee-morning flow built without
touching YAML, previewed, published as version 1, texted by a parent (the real SMS webhook and the
fake Twilio), published again with a changed question, and each conversation on its own version;
then the editor's pages against axe-core's WCAG 2.x AA rules."""

from __future__ import annotations

import asyncio
import csv
import io
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import SecretStr
from sqlalchemy import select

from bot.clock import FrozenClock
from bot.services import Services, build_services
from bot.web.app import create_app
from storage import flow_versions
from storage import officers as officers_repo
from storage.models import Conversation
from tests.bot.channels.sms.conftest import COUNCIL_NUMBER, sms_settings
from tests.bot.web.dashboard.conftest import PASSWORD, SECRET, Dash
from tests.bot.web.dashboard.seed import EVENT_START
from tests.bot.web.dashboard.test_accessibility import AXE, violations
from tests.bot.web.dashboard.test_browser import open_browser
from tests.bot.web.dashboard.test_browser import pytestmark as browser_marks
from tests.fakes.twilio import FakeTwilio, inbound_sms_form, sign
from tests.helpers import wait_until
from tests.live import LiveServer

pytestmark = browser_marks  # slow, and only where Debian's chromium is installed
DOCS = Path(__file__).resolve().parents[4] / "docs" / "officers-guide"
SHOTS = os.environ.get("EDITOR_SCREENSHOTS")  # set to save the editor's screenshots in DOCS
ADMIN = "ada@council.example"
FIRST, SECOND = "+447700900501", "+447700900502"
LABELS = ["Not useful", "A little", "OK", "Useful", "Very useful"]


class World:
    def __init__(self, services: Services, server: LiveServer, twilio: FakeTwilio) -> None:
        self.services, self.server, self.twilio = services, server, twilio
        self.http = httpx.Client(timeout=10)

    def url(self, path: str) -> str:
        return self.server.url("/dashboard" + path)

    def text(self, number: str, body: str) -> None:
        """A parent's SMS, through the signed webhook Twilio would call."""
        form = inbound_sms_form(
            from_=number, to=COUNCIL_NUMBER, body=body, account_sid=self.twilio.account_sid
        )
        url = self.services.settings.public_url("/webhooks/twilio/sms")
        response = self.http.post(
            self.server.url("/webhooks/twilio/sms"),
            data=form,
            headers={"X-Twilio-Signature": sign(self.twilio.auth_token, url, form)},
        )
        assert response.status_code == 200

    def sent_to(self, number: str) -> list[str]:
        return [m.body for m in self.twilio.messages if m.to == number]

    def conversations(self) -> list[tuple[str, int, str]]:
        with self.services.session_factory.begin() as s:
            rows = s.scalars(
                select(Conversation)
                .where(Conversation.flow_id == "coffee_morning")
                .order_by(Conversation.id)
            )
            return [(r.flow_id, r.flow_version, r.status) for r in rows]


@pytest.fixture
def world(database_url: str) -> Iterator[World]:
    with FakeTwilio() as twilio:
        settings = sms_settings(
            database_url, twilio, "http://sendvoice.test", session_secret=SecretStr(SECRET)
        )
        services = build_services(settings, clock=FrozenClock(EVENT_START))
        with services.session_factory.begin() as s:
            from bot.web.dashboard import passwords

            officers_repo.create(
                s,
                email=ADMIN,
                password_hash=passwords.hash_password(PASSWORD),
                role="admin",
                areas=("*",),
                now=EVENT_START,
            )
        with LiveServer(create_app(services)) as server:  # the outbox sends to the fake
            world = World(services, server, twilio)
            yield world
            world.http.close()
        asyncio.run(services.aclose())
        services.close()


def sign_in(page: Any, url: str) -> None:
    page.goto(url)
    page.get_by_label("Email").fill(ADMIN)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/dashboard/")


def shot(page: Any, name: str, *, full_page: bool = True) -> None:
    if SHOTS:
        page.screenshot(path=str(DOCS / f"{name}.png"), full_page=full_page)


def press(page: Any, name: str) -> None:
    """A button that reloads the editor; wait for the new page before the next step."""
    with page.expect_navigation():
        page.get_by_role("button", name=name, exact=True).click()


def build_coffee_morning(page: Any) -> None:
    page.get_by_role("link", name="Flows", exact=True).click()
    page.get_by_role("link", name="Write a new flow").click()
    page.get_by_role("heading", name="New flow").wait_for()
    page.get_by_label("Title").fill("Coffee morning feedback")
    page.get_by_label("Name in files").fill("coffee_morning")
    page.get_by_label("For", exact=True).select_option("parent")
    page.get_by_label("Start word").fill("COFFEE")
    page.get_by_label("Closes after").fill("3d")
    # The new flow's first step is a message: make it the scale question.
    # Changing its kind brings the boxes a scale has.
    with page.expect_navigation():
        page.locator("#step-0").get_by_label("Kind").select_option("scale")
    first = page.locator("#step-0")
    first.get_by_label("Step name").fill("rating")
    first.get_by_label("Question in English").fill("How useful was {event_name}?")
    for n, words in enumerate(LABELS, 1):
        first.get_by_label(f"Point {n} words in English").fill(words)
    first.get_by_label("Skip").check()
    # The second step: their own words.
    page.get_by_label("Kind of step to add").select_option("text")
    press(page, "Add step")
    second = page.locator("#step-1")
    second.get_by_label("Step name").fill("what_went_wrong")
    second.get_by_label("Question in English").fill("Sorry about that. What could we do better?")
    press(page, "Check")
    # The branch, from the condition builder's boxes.
    first = page.locator("#step-0")
    first.get_by_label("Rule 1: question").select_option("rating")
    first.get_by_label("Rule 1: comparison").select_option("<=")
    first.get_by_label("Rule 1: value").fill("2")
    first.get_by_label("Rule 1: go to").select_option("what_went_wrong")


def test_the_coffee_morning_is_built_published_and_each_conversation_keeps_its_version(
    world: World,
) -> None:
    with open_browser() as page:
        sign_in(page, world.url("/login"))
        build_coffee_morning(page)
        # The checks as you type: the loader and the lint, without pressing anything.
        checks = page.locator("#checks")
        checks.get_by_text("No problems: this flow can be published.").wait_for()
        assert "who_answered" in checks.inner_text()  # the lint's warning, shown as it is
        shot(page, "flow-editor")

        # A mistake is named by step and field as soon as it is typed.
        first = page.locator("#step-0")
        first.get_by_label("Question in English").fill("How useful was {event_nmae}?")
        checks.get_by_text("unknown variable {event_nmae}").wait_for()
        assert "steps[0] (rating).ask" in checks.inner_text()
        shot(page, "flow-editor-problem")
        first.get_by_label("Question in English").fill("How useful was {event_name}?")
        checks.get_by_text("No problems: this flow can be published.").wait_for()

        # The draft in the preview: a low score takes the branch.
        press(page, "Save and preview")
        page.get_by_role("heading", name="Preview of the draft: Coffee morning feedback").wait_for()
        page.get_by_label("Their reply").fill("1")
        page.get_by_role("button", name="Send reply").click()
        page.locator("li.bubble.out", has_text="What could we do better?").wait_for()
        shot(page, "flow-editor-preview")

        page.get_by_role("link", name="Coffee morning feedback: back to the editor").click()
        page.get_by_text("Started from the saved draft").wait_for()
        press(page, "Publish")
        page.get_by_text("Published as version 1.").wait_for()

        # A parent starts it by its keyword, on version 1.
        world.text(FIRST, "COFFEE")
        wait_until(lambda: any("How useful was" in b for b in world.sent_to(FIRST)))
        assert world.conversations() == [("coffee_morning", 1, "active")]

        # Version 2 changes the question, while the first parent is still answering.
        first = page.locator("#step-0")
        first.get_by_label("Question in English").fill("How useful was {event_name} for you?")
        checks.get_by_text("No problems: this flow can be published.").wait_for()
        press(page, "Publish")
        page.get_by_text("Published as version 2.").wait_for()

        world.text(FIRST, "1")
        wait_until(lambda: any("What could we do better?" in b for b in world.sent_to(FIRST)))
        world.text(FIRST, "More chairs")
        wait_until(lambda: world.conversations()[0][2] == "completed")
        world.text(SECOND, "COFFEE")
        wait_until(lambda: any("for you?" in b for b in world.sent_to(SECOND)))
        assert not any("for you?" in b for b in world.sent_to(FIRST))
        world.text(SECOND, "5")
        assert world.conversations() == [
            ("coffee_morning", 1, "completed"),
            ("coffee_morning", 2, "active"),
        ] or world.conversations() == [
            ("coffee_morning", 1, "completed"),
            ("coffee_morning", 2, "completed"),
        ]

        # The export names each answer's version.
        page.goto(world.url("/exports?flow=coffee_morning"))
        with page.expect_download() as info:
            page.get_by_role("link", name="CSV, long (one row per answer)").click()
        rows = list(csv.DictReader(io.StringIO(Path(info.value.path()).read_text("utf-8-sig"))))
        assert {row["Flow version"] for row in rows} == {"1", "2"}

    with world.services.session_factory.begin() as s:
        numbers = [v.number for v in flow_versions.list_versions(s, "coffee_morning")]
    assert numbers == [2, 1]


@pytest.mark.skipif(not AXE or not Path(AXE).exists(), reason="set AXE_CORE_JS to axe.min.js")
def test_the_editor_meets_wcag_aa(bare_dash: Dash) -> None:
    bare_dash.officer(ADMIN, "admin", ("*",))
    found = {}
    with open_browser(bypass_csp=True) as page:  # only so axe itself can be injected
        sign_in(page, bare_dash.url("/login"))
        for path in ("/flows/new", "/flows/post_event/edit", "/flows/post_event/yaml"):
            page.goto(bare_dash.url(path))
            found[path] = violations(page)
            if path == "/flows/post_event/edit":
                page.goto(bare_dash.url(path + "#step-9"))
                shot(page, "flow-editor-welsh", full_page=False)
        # With problems shown beside their step, after the checks came in as they typed.
        page.goto(bare_dash.url("/flows/ehcp_experience/edit"))
        page.locator("#step-1").get_by_label("Step name").fill("")
        page.locator("#checks").get_by_text("to put right").wait_for()
        press(page, "Check")
        found["editor with problems"] = violations(page)
    assert {path: v for path, v in found.items() if v} == {}


def test_the_preview_follows_what_is_typed_without_saving(world: World) -> None:
    with open_browser() as page:
        sign_in(page, world.url("/login"))
        build_coffee_morning(page)
        preview = page.locator("#live-preview")
        preview.locator("li.bubble.out", has_text="How useful was the Preparing").wait_for()
        assert "segment" in preview.inner_text()  # an SMS shows what it costs

        first = page.locator("#step-0")
        first.get_by_label("Question in English").fill("Was {event_name} any good?")
        preview.locator("li.bubble.out", has_text="Was the Preparing for Adulthood").wait_for()
        # A reply to the unsaved flow, answered in place (the page stays, with this mark);
        # then an edit keeps the conversation.
        page.evaluate("window.stayed = true")
        preview.get_by_label("Their reply").fill("1")
        preview.get_by_role("button", name="Send reply to the preview").click()
        preview.locator("li.bubble.out", has_text="What could we do better?").wait_for()
        second = page.locator("#step-1")
        second.get_by_label("Question in English").fill("What should we change?")
        preview.locator("li.bubble.out", has_text="What should we change?").wait_for()
        # A flow that does not load: the panel waits.
        first.get_by_label("Question in English").fill("Was {event_nmae} any good?")
        preview.get_by_text("The preview waits for the problems").wait_for()
        assert page.evaluate("window.stayed === true")

    with world.services.session_factory.begin() as s:
        assert flow_versions.get_draft(s, "coffee_morning") is None

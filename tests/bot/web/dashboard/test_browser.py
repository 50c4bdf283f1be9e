"""End to end in a real headless Chromium: sign in, filter, code a theme, download, open the report.

Debian's chromium is driven through Playwright (never `playwright install`: no browser downloads).
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from tests.bot.web.dashboard.coding_helpers import tag_in_browser
from tests.bot.web.dashboard.conftest import PASSWORD, Dash
from tests.bot.web.dashboard.report_helpers import download_docx_in_browser, headings

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SHOTS = os.environ.get("DASHBOARD_SCREENSHOTS")  # a folder, to look at the pages by eye

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(), reason="needs Debian's chromium (apt-get install chromium)"
    ),
]


@contextlib.contextmanager
def open_browser(*, bypass_csp: bool = False) -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api", reason="needs the playwright package")
    profile = tempfile.mkdtemp(prefix="sendvoice-chromium-")
    try:
        with sync_api.sync_playwright() as p:
            context = p.chromium.launch_persistent_context(
                profile,
                executable_path=CHROMIUM,
                args=ARGS,
                headless=True,
                accept_downloads=True,
                bypass_csp=bypass_csp,
                viewport={"width": 1280, "height": 900},
            )
            try:
                yield context.pages[0] if context.pages else context.new_page()
            finally:
                context.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def browser_page() -> Iterator[Any]:
    with open_browser() as page:
        yield page


def shot(page: Any, name: str) -> None:
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def test_an_officer_works_through_the_dashboard_in_a_browser(
    dash: Dash, browser_page: object
) -> None:
    page = browser_page
    dash.officer("ann@council.example", "officer", ("north",))
    page.goto(dash.url("/"))
    assert page.url.endswith("/dashboard/login?next=%2Fdashboard%2F")
    page.get_by_label("Email").fill("ann@council.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Overview").wait_for()

    page.get_by_label("Flow").select_option("post_event")
    page.get_by_role("button", name="Apply filters").click()
    page.get_by_role("figure", name="rating Overall, how was [event name]?").wait_for()
    assert "fewer than 5" in page.content()
    shot(page, "overview")

    # Responses, filtered to the north coffee morning.
    page.get_by_role("link", name="Responses").click()
    page.get_by_label("Event").select_option(label="North coffee morning (14 Mar 2026)")
    page.get_by_label("Status").select_option("completed")
    page.get_by_role("button", name="Apply filters").click()
    page.get_by_text("14 conversations match.").wait_for()
    shot(page, "responses")

    # Build a coding frame and tag answers with the keyboard only.
    page.goto(dash.url("/coding?flow=post_event&step=worked_well"))
    page.get_by_label("New theme").fill("Speakers")
    page.get_by_role("button", name="Add theme").click()
    words = ["The speakers were brilliant", "The speakers knew their stuff"]
    tag_in_browser(page, dash.url(""), words, "Speakers")
    assert "2 answers tagged with 'Speakers'." in page.get_by_role("status").inner_text()
    for said in words:
        assert "Speakers" in page.locator("li.pick", has_text=said).inner_text()
    assert "&lt;script&gt;" in page.content() or "<script>alert" not in page.content()
    shot(page, "coding")

    # A pseudonymised XLSX, read back with openpyxl.
    page.goto(dash.url("/exports?flow=post_event"))
    with page.expect_download() as info:
        page.get_by_role("link", name="XLSX, wide (one row per response)").click()
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    data = Path(download.path()).read_bytes()
    sheet = load_workbook(io.BytesIO(data), read_only=True)["responses"]
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    assert header[:2] == ("Response id", "Pseudonym")
    assert "rating: Overall, how was [event name]?" in header
    assert len(rows) - 1 == 14  # north only: the officer's area
    text = repr(rows)
    for number in dash.seeded.north_numbers + dash.seeded.south_numbers:
        assert number not in text
        assert number.replace("+44", "0") not in text

    # The committee report, printable.
    page.goto(dash.url(f"/report?event={dash.seeded.north}"))
    page.get_by_role("heading", name="Committee report: North coffee morning").wait_for()
    assert page.get_by_role("heading", name="Top themes in what people wrote").is_visible()
    shot(page, "report")
    document = download_docx_in_browser(page)
    assert "Committee report: North coffee morning" in headings(document)
    page.emulate_media(media="print")
    assert not page.get_by_role("navigation", name="Main").is_visible()


def test_a_safeguarding_lead_reads_a_flag_and_records_what_was_done(
    dash: Dash, browser_page: object
) -> None:
    from tests.bot.web.dashboard.test_safeguarding_queue import NORTH_WORDS, flag_in_area

    page = browser_page
    flag_in_area(dash, "north", "+447700900111", NORTH_WORDS)
    dash.officer("dsl@council.example", "officer", ("south",), lead=True)
    page.goto(dash.url("/login"))
    page.get_by_label("Email").fill("dsl@council.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Safeguarding").click()
    page.get_by_role("heading", name="Safeguarding queue").wait_for()
    row = page.locator("tr", has_text=NORTH_WORDS)
    assert "violence" in row.inner_text() or "abuse" in row.inner_text()
    assert "+447700900111" in row.inner_text()  # the lead can reach the family
    shot(page, "safeguarding-queue")
    row.get_by_role("button", name="Acknowledge").click()
    # The browser refuses an empty note before the server has to.
    assert page.locator("tr", has_text=NORTH_WORDS).count() == 1
    row.get_by_label("What was done").fill("Rang mum; referral to children's services")
    row.get_by_role("button", name="Acknowledge").click()
    page.get_by_role("heading", name="Safeguarding queue").wait_for()
    assert NORTH_WORDS not in page.content()
    shot(page, "safeguarding-acknowledged")


def test_an_officer_reads_free_text_riskiest_first_in_a_browser(
    dash: Dash, browser_page: object
) -> None:
    page: Any = browser_page
    dash.officer("ann@council.example", "officer", ("north",))
    page.goto(dash.url("/login"))
    page.get_by_label("Email").fill("ann@council.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Overview").wait_for()
    page.get_by_role("link", name="To read").click()
    page.get_by_role("heading", name="To read", exact=True).wait_for()
    heading = page.locator("#backlog-title")
    before = int(heading.inner_text().split(":")[1])
    assert before > 2
    shot(page, "to-read")
    # Tick the first two, mark them read together.
    page.get_by_role("checkbox").nth(0).check()
    page.get_by_role("checkbox").nth(1).check()
    page.get_by_role("button", name="Mark the chosen items read").click()
    page.get_by_role("heading", name=f"Unread: {before - 2}").wait_for()
    # And one on its own.
    page.get_by_role("button", name="Mark read").first.click()
    page.get_by_role("heading", name=f"Unread: {before - 3}").wait_for()


def test_an_officer_codes_a_page_of_answers_with_the_keyboard(
    dash: Dash, browser_page: object
) -> None:
    page: Any = browser_page
    dash.officer("ann@council.example", "officer", ("north",))
    sign_in_browser(page, dash, "ann@council.example")
    page.goto(dash.url("/coding?flow=post_event&step=worked_well"))
    for name in ("Speakers", "Meeting parents"):
        page.get_by_label("New theme").fill(name)
        page.get_by_label("New theme").press("Enter")
        page.locator("ul.themes").get_by_text(name, exact=True).wait_for()
    tag_in_browser(
        page,
        dash.url(""),
        ["Meeting other parents", "Meeting other parents like me"],
        "Meeting parents",
    )
    # A visible focus ring on the answer the keyboard is on.
    box = page.get_by_role("checkbox", name="The handouts", exact=True)
    box.focus()
    ring = box.evaluate(
        "el => getComputedStyle(el).outlineStyle + ' ' + getComputedStyle(el).boxShadow"
    )
    assert ring.startswith("solid"), ring
    assert "255, 221, 0" in ring, ring
    # Everything not yet coded, ticked at once, coded "no theme"; then nothing is left to code.
    page.goto(dash.url("/coding?flow=post_event&step=worked_well&uncoded=1"))
    page.get_by_role("link", name=re.compile(r"^Tick all \d+ on this page$")).click()
    assert page.get_by_role("checkbox", checked=False).count() == 0
    shot(page, "coding-ticked")
    page.get_by_label("Theme", exact=True).select_option(label="No theme (read; nothing to code)")
    page.get_by_role("button", name="Apply to the ticked answers").click()
    page.get_by_role("status").wait_for()
    assert "coded as having no theme" in page.get_by_role("status").inner_text()
    assert page.get_by_text("No free-text answers match.").is_visible()
    page.goto(dash.url("/coding?flow=post_event&step=worked_well"))
    shot(page, "coding-done")
    page.goto(dash.url("/themes?flow=post_event"))
    page.get_by_role("figure", name="Themes in what people wrote").wait_for()
    shot(page, "themes-chart")


def sign_in_browser(page: Any, dash: Dash, email: str, password: str = PASSWORD) -> None:
    page.goto(dash.url("/login"))
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_an_admin_resets_a_password_and_the_officer_must_choose_a_new_one(
    dash: Dash, browser_page: object
) -> None:
    page: Any = browser_page
    dash.officer("admin@council.example", "admin")
    dash.officer("bo@council.example", "officer", ("north",))
    sign_in_browser(page, dash, "admin@council.example")
    page.get_by_role("link", name="Officers").click()
    page.get_by_role("button", name="Reset password of bo@council.example").click()
    page.get_by_role("heading", name="Password reset for bo@council.example").wait_for()
    temporary = page.locator("#temporary").inner_text()
    shot(page, "password-reset")
    page.get_by_role("button", name="Sign out").click()

    sign_in_browser(page, dash, "bo@council.example", temporary)
    page.get_by_role("heading", name="Choose your own password").wait_for()
    assert page.get_by_role("navigation", name="Main").count() == 0
    page.goto(dash.url("/responses"))  # nothing else opens until they have chosen
    page.get_by_role("heading", name="Choose your own password").wait_for()
    page.get_by_label("Temporary password").fill(temporary)
    page.get_by_label("New password", exact=False).first.fill("short")
    page.get_by_label("New password again").fill("short")
    # The browser's own check stops a short one first; the server refuses it too.
    page.get_by_role("button", name="Save my password").click()
    assert page.url.endswith("/dashboard/account")
    page.get_by_label("New password", exact=False).first.fill("my own passphrase 7")
    page.get_by_label("New password again").fill("my own passphrase 7")
    page.get_by_role("button", name="Save my password").click()
    page.get_by_text("Your password is changed.").wait_for()
    shot(page, "password-chosen")
    page.get_by_role("link", name="Responses").click()
    page.get_by_role("heading", name="Responses").wait_for()

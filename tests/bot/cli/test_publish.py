"""The public "we asked, you said, we did" page: counts a committee can trust, small groups hidden,
quotes only where an officer approved them (identifiers blanked), actions with their status, no
JavaScript, and WCAG 2.x AA in a real browser."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from storage import coding, published
from tests.bot.cli.test_cli import sendvoice
from tests.bot.cli.test_themes_cli import NOW, _answer, _answers
from tests.bot.web.dashboard.test_accessibility import AXE, violations
from tests.bot.web.dashboard.test_browser import CHROMIUM, open_browser

TRANSPORT = "the taxi to school is always late"
QUOTE = "the taxi driver never knows the way, ring me on 07700 900123"
NOT_APPROVED = "the bus escort shouts at him"


def _seed(session_factory: sessionmaker[Session]) -> None:
    ids = _answers(session_factory, [QUOTE, NOT_APPROVED] + [TRANSPORT] * 10 + ["no respite"] * 2)
    with session_factory.begin() as s:
        transport = coding.create_theme(
            s,
            flow_id="post_event",
            name="School transport",
            description=None,
            officer_id=None,
            now=NOW,
        )
        breaks = coding.create_theme(
            s, flow_id="post_event", name="Short breaks", description=None, officer_id=None, now=NOW
        )
        for answer_id in ids[:12]:
            coding.set_codings(s, _answer(s, answer_id), {transport.id}, officer_id=None, now=NOW)
        for answer_id in ids[12:]:
            coding.set_codings(s, _answer(s, answer_id), {breaks.id}, officer_id=None, now=NOW)
        published.approve(s, ids[0], transport.id, None, NOW)
        published.approve(s, ids[12], breaks.id, None, NOW)  # a small group: never shown
        coding.add_action(
            s,
            theme=transport,
            what="New transport contract with drivers trained in autism",
            owner="Transport team",
            status="in_progress",
            date=dt.date(2027, 1, 31),
            officer_id=None,
            now=NOW,
        )


def test_the_public_page_says_what_was_asked_said_and_done(
    database_url: str, session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    _seed(session_factory)
    out = tmp_path / "site"
    result = sendvoice("publish", "--out", str(out), env={"DATABASE_URL": database_url})
    assert result.returncode == 0, result.stderr
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "<script" not in page
    assert "We asked, you said, we did" in page
    assert "What would have made it even better?" in page  # what was asked
    assert '<span class="count">14</span> families answered.' in page
    assert "School transport" in page
    assert 'Raised by <span class="count">12</span> families.' in page
    assert "the taxi driver never knows the way, ring me on [phone number]" in page
    assert "07700 900123" not in page
    assert NOT_APPROVED not in page  # never approved: never quoted
    assert 'Raised by <span class="count">fewer than 5</span> families.' in page
    assert "no respite" not in page  # approved, but its theme is a small group
    assert "New transport contract with drivers trained in autism" in page
    assert "In progress" in page
    assert "31 January 2027" in page


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium")
@pytest.mark.skipif(not AXE or not Path(AXE).exists(), reason="set AXE_CORE_JS (npm axe-core)")
def test_the_public_page_meets_wcag_aa_without_javascript(
    database_url: str, session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    _seed(session_factory)
    out = tmp_path / "site"
    assert (
        sendvoice("publish", "--out", str(out), env={"DATABASE_URL": database_url}).returncode == 0
    )
    with open_browser(bypass_csp=True) as page:
        page.goto((out / "index.html").as_uri())
        page.screenshot(path=str(tmp_path / "public.png"), full_page=True)
        assert page.get_by_role("heading", name="We asked, you said, we did").is_visible()
        assert violations(page) == []


def test_a_quote_can_only_be_approved_under_a_theme_it_was_tagged_with(
    database_url: str, session_factory: sessionmaker[Session]
) -> None:
    ids = _answers(session_factory, [TRANSPORT])
    with session_factory.begin() as s:
        theme = coding.create_theme(
            s,
            flow_id="post_event",
            name="School transport",
            description=None,
            officer_id=None,
            now=NOW,
        )
    env = {"DATABASE_URL": database_url}
    refused = sendvoice("themes", "approve-quote", str(ids[0]), "--theme", str(theme.id), env=env)
    assert refused.returncode == 2
    assert "is not tagged with theme" in refused.stderr
    with session_factory.begin() as s:
        coding.set_codings(s, _answer(s, ids[0]), {theme.id}, officer_id=None, now=NOW)
    approved = sendvoice("themes", "approve-quote", str(ids[0]), "--theme", str(theme.id), env=env)
    assert approved.returncode == 0
    assert "approved" in approved.stdout
    withdrawn = sendvoice(
        "themes", "approve-quote", str(ids[0]), "--theme", str(theme.id), "--withdraw", env=env
    )
    assert "withdrawn" in withdrawn.stdout
    with session_factory() as s:
        assert published.quotes(s, theme.id) == []

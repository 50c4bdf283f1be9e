"""A follow-up for a channel that cannot send is held where officers see it, not counted sent."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from datetime import timedelta

import pytest
from click.testing import CliRunner
from pydantic import SecretStr
from sqlalchemy import func, select

from bot.cli.main import main
from bot.config import get_settings
from bot.followups.runner import FollowUpRunner
from bot.health import checks
from bot.services import build_services
from storage import contacts as contacts_repo
from storage.models import Contact, FollowUp, Message
from tests.bot.followups.conftest import EVENT_END, World, world_settings

YOUNG = "+447700900555"
NEXT_DAY_NOON = EVENT_END + timedelta(hours=24)


@pytest.fixture
def no_token(world: World) -> Iterator[World]:
    """The same database and fakes, served by a deployment that has no Telegram token."""
    settings = world_settings(
        world.services.settings.database_url, world.twilio, world.telegram
    ).model_copy(update={"telegram_bot_token": SecretStr("")})
    services = build_services(settings, clock=world.clock)
    assert "telegram" not in services.senders
    yield World(services, FollowUpRunner(services), world.clock, world.twilio, world.telegram)
    services.close()


def initial(world: World) -> FollowUp:
    with world.services.session_factory() as s:
        return s.scalars(select(FollowUp).where(FollowUp.kind == "initial")).one()


def outbound(world: World) -> int:
    with world.services.session_factory() as s:
        query = select(func.count()).select_from(Message).where(Message.direction == "out")
        return s.scalar(query) or 0


def test_a_telegram_follow_up_without_a_token_is_held_with_the_reason_and_logged_once(
    no_token: World, caplog: pytest.LogCaptureFixture
) -> None:
    event = no_token.event("young_person_voice", title="the youth forum")
    no_token.attend(event, YOUNG, telegram=7001, role="young_person")
    with caplog.at_level(logging.WARNING, logger="bot.followups.runner"):
        report = no_token.at(NEXT_DAY_NOON)
        again = no_token.at(NEXT_DAY_NOON + timedelta(minutes=5))
    assert (report.sent, report.held) == (0, 1)
    assert (again.sent, again.held) == (0, 0)  # held rows are not claimed again and again
    row = initial(no_token)
    assert row.status == "held"
    assert "Telegram cannot send" in (row.reason or "")
    assert "TELEGRAM_BOT_TOKEN" in (row.reason or "")
    assert outbound(no_token) == 0  # nothing queued where no one would send it
    assert no_token.telegram.sent() == []
    assert no_token.twilio.messages == []
    warnings = [r for r in caplog.records if "held" in r.getMessage()]
    assert len(warnings) == 1
    assert YOUNG not in caplog.text
    assert "7001" not in caplog.text


def test_held_follow_ups_go_out_once_the_token_is_set(no_token: World, world: World) -> None:
    event = no_token.event("young_person_voice", title="the youth forum")
    no_token.attend(event, YOUNG, telegram=7001, role="young_person")
    no_token.at(NEXT_DAY_NOON)
    assert initial(no_token).status == "held"
    report = world.at(NEXT_DAY_NOON + timedelta(hours=1))  # the same database, with the token
    assert report.sent == 1
    assert initial(world).status == "sent"
    assert "Is anyone helping you answer?" in world.telegram.wait_for(2)[-1].text


def test_opting_out_cancels_held_follow_ups(no_token: World) -> None:
    event = no_token.event("young_person_voice", title="the youth forum")
    contact_id = no_token.attend(event, YOUNG, telegram=7001, role="young_person")
    no_token.at(NEXT_DAY_NOON)
    with no_token.services.session_factory.begin() as s:
        contact = s.get_one(Contact, contact_id)
        contacts_repo.opt_out(s, contact, "telegram", no_token.clock())
    assert no_token.runner.housekeeping() == 3  # the held request and its two reminders
    assert initial(no_token).status == "cancelled"


def test_officers_see_held_follow_ups_and_why_and_doctor_fails_on_them(
    no_token: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    event = no_token.event("young_person_voice", title="the youth forum")
    no_token.attend(event, YOUNG, telegram=7001, role="young_person")
    no_token.at(NEXT_DAY_NOON)

    monkeypatch.setenv("DATABASE_URL", no_token.services.settings.database_url)
    get_settings.cache_clear()
    try:
        shown = CliRunner().invoke(main, ["events", "show", str(event)])
    finally:
        get_settings.cache_clear()
    assert shown.exit_code == 0, shown.output
    assert "1 held" in shown.output
    assert "held: Telegram cannot send until TELEGRAM_BOT_TOKEN is set" in shown.output

    found = checks(no_token.services.settings, no_token.services.engine)
    backlog = [c for c in found if c.name == "telegram backlog"]
    assert [(c.level, c.summary) for c in backlog] == [
        ("fail", "0 message(s) and 1 follow-up(s) wait for Telegram, which cannot send")
    ]


def test_a_run_with_every_channel_working_holds_nothing(world: World) -> None:
    event = world.event("young_person_voice", title="the youth forum")
    world.attend(event, YOUNG, telegram=7001, role="young_person")
    report = world.at(NEXT_DAY_NOON)
    assert (report.sent, report.held) == (1, 0)
    asyncio.run(world.services.outbox.deliver_due())
    names = {c.name for c in checks(world.services.settings, world.services.engine)}
    assert "telegram backlog" not in names
    assert "sms backlog" not in names

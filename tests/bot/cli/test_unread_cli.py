"""`sendvoice safeguarding unread`: the backlog of free text nobody has read, for a monitoring check."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy.orm import Session, sessionmaker

from bot.cli.main import main
from bot.config import get_settings
from storage import contacts, messages, to_read


@pytest.fixture
def env(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("READ_WITHIN_HOURS", "72")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def _waiting(session_factory: sessionmaker[Session], since: datetime) -> None:
    with session_factory.begin() as s:
        contact, identity, _ = contacts.find_or_create(s, "sms", "+447700900555", since)
        message = messages.record_inbound(
            s,
            channel="sms",
            provider_id="SMcli1",
            body="is there parking",
            contact_id=contact.id,
            identity_id=identity.id,
            meta={},
            now=since,
        )
        assert message is not None
        to_read.record(
            s,
            kind="message",
            contact_id=contact.id,
            conversation_id=None,
            message_id=message.id,
            answer_id=None,
            role="parent",
            score=0.0,
            now=since,
        )


def test_the_backlog_is_reported_and_fails_the_check_once_overdue(
    env: None, session_factory: sessionmaker[Session]
) -> None:
    runner = CliRunner()
    empty = runner.invoke(main, ["safeguarding", "unread"])
    assert empty.exit_code == 0, empty.output
    assert json.loads(empty.stdout)["unread"] == 0
    _waiting(session_factory, datetime.now(UTC) - timedelta(hours=80))
    late = runner.invoke(main, ["safeguarding", "unread"])
    assert late.exit_code == 1
    report = json.loads(late.stdout)
    assert (report["unread"], report["overdue"]) == (1, 1)
    assert report["areas"][0]["area"] is None
    assert "parking" not in late.stdout  # counts only, never the words

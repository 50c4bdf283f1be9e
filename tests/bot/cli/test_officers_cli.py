"""`sendvoice officers set-password` and `end-sessions`: both sign the officer out everywhere."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.cli.main import main
from bot.config import get_settings
from bot.web.dashboard import passwords
from storage import audit, officer_sessions
from storage import officers as officers_repo
from storage.dashboard_models import OfficerSession

Invoke = Callable[..., Result]
OLD, NEW = "the old passphrase", "a new passphrase!"
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def cli(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Invoke]:
    monkeypatch.setenv("DATABASE_URL", database_url)
    get_settings.cache_clear()
    runner = CliRunner()

    def invoke(*args: str, stdin: str = "") -> Result:
        return runner.invoke(main, list(args), input=stdin)

    yield invoke
    get_settings.cache_clear()


@pytest.fixture
def ann(session_factory: sessionmaker[Session]) -> int:
    with session_factory.begin() as s:
        officer = officers_repo.create(
            s,
            email="ann@council.example",
            password_hash=passwords.hash_password(OLD),
            role="officer",
            areas=["north"],
            now=NOW,
        )
        officer_sessions.start(s, officer.id, NOW)
        officer_sessions.start(s, officer.id, NOW)
        return officer.id


def _sessions(session_factory: sessionmaker[Session]) -> int:
    with session_factory() as s:
        return s.scalar(select(func.count()).select_from(OfficerSession)) or 0


def test_set_password_replaces_it_and_ends_every_session(
    cli: Invoke, ann: int, session_factory: sessionmaker[Session]
) -> None:
    result = cli("officers", "set-password", "Ann@council.example", "--password-stdin", stdin=NEW)
    assert result.exit_code == 0, result.output
    assert "signed out everywhere" in result.output
    assert _sessions(session_factory) == 0
    with session_factory() as s:
        officer = officers_repo.get(s, ann)
        assert officer is not None
        assert passwords.verify(officer.password_hash, NEW)
        assert not passwords.verify(officer.password_hash, OLD)
        assert [e.subject for e in audit.recent(s, action="set_password")] == [f"officer:{ann}"]


def test_set_password_refuses_a_short_one_and_an_unknown_email(
    cli: Invoke, ann: int, session_factory: sessionmaker[Session]
) -> None:
    short = cli("officers", "set-password", "ann@council.example", "--password-stdin", stdin="x")
    assert short.exit_code == 2
    assert "at least 12 characters" in short.output
    nobody = cli("officers", "set-password", "bo@council.example", "--password-stdin", stdin=NEW)
    assert nobody.exit_code == 2
    assert "no officer has that email" in nobody.output
    assert _sessions(session_factory) == 2


def test_end_sessions_signs_the_officer_out_everywhere(
    cli: Invoke, ann: int, session_factory: sessionmaker[Session]
) -> None:
    result = cli("officers", "end-sessions", "ann@council.example")
    assert result.exit_code == 0, result.output
    assert "ended 2 sessions of ann@council.example" in result.output
    assert _sessions(session_factory) == 0
    with session_factory() as s:
        (entry,) = audit.recent(s, action="end_officer_sessions")
    assert (entry.actor, entry.detail) == ("cli", {"sessions": 2})


def test_add_with_author_lets_the_officer_write_flows(
    cli: Invoke, session_factory: sessionmaker[Session]
) -> None:
    result = cli(
        "officers",
        "add",
        "bo@council.example",
        "--role",
        "officer",
        "--area",
        "north",
        "--author",
        "--password-stdin",
        stdin=NEW,
    )
    assert result.exit_code == 0, result.output
    plain = cli(
        "officers", "add", "cy@council.example", "--role", "officer", "--password-stdin", stdin=NEW
    )
    assert plain.exit_code == 0, plain.output
    with session_factory() as s:
        bo = officers_repo.by_email(s, "bo@council.example")
        cy = officers_repo.by_email(s, "cy@council.example")
        assert bo is not None
        assert cy is not None
        assert (bo.author, cy.author) == (True, False)
        details = [e.detail for e in audit.recent(s, action="add_officer")]
    assert {d["author"] for d in details} == {True, False}

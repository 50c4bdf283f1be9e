"""`sendvoice doctor` as an operator runs it before going live: each setting OK, WARN or FAIL."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from bot.cli.main import main
from bot.config import get_settings
from storage import contacts as contacts_repo
from storage import safeguarding as flags_repo
from storage.crypto import generate_key
from storage.db import make_engine
from storage.migrate import head_revision

Doctor = Callable[..., Result]

TWILIO_TOKEN = "twilio-secret-token-value"
BOT_TOKEN = "123456:bot-secret-token-value"
SESSION_SECRET = "s" * 48
SMTP_PASSWORD = "smtp-secret-password"
# Every setting a live deployment needs, set well.
GOOD = {
    "PUBLIC_BASE_URL": "https://sendvoice.example.gov.uk",
    "TWILIO_ACCOUNT_SID": "AC" + "1" * 32,
    "TWILIO_AUTH_TOKEN": TWILIO_TOKEN,
    "TWILIO_FROM_NUMBER": "+447700900000",
    "TELEGRAM_BOT_TOKEN": BOT_TOKEN,
    "TELEGRAM_WEBHOOK_SECRET": "webhook-secret",
    "SMTP_HOST": "smtp.example.gov.uk",
    "SMTP_USERNAME": "sendvoice",
    "SMTP_PASSWORD": SMTP_PASSWORD,
    "SMTP_FROM": "sendvoice@example.gov.uk",
    "SAFEGUARDING_EMAIL_TO": "dsl@example.gov.uk, deputy.dsl@example.gov.uk",
    "SESSION_SECRET": SESSION_SECRET,
    "DEFAULT_TIMEZONE": "Europe/London",
}
UNSET = [
    "TWILIO_MESSAGING_SERVICE_SID",
    "TWILIO_API_BASE_URL",
    "TELEGRAM_API_BASE_URL",
    "FLOW_PATHS",
    "SAFEGUARDING_EMAIL_INCLUDE_TEXT",
    "SAFEGUARDING_SMS_TO",
    "QUIET_HOURS_START",
    "QUIET_HOURS_END",
]


@pytest.fixture
def doctor(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Doctor]:
    monkeypatch.chdir(tmp_path)  # no stray .env
    monkeypatch.setenv("DATABASE_URL", database_url)
    for key, value in GOOD.items():
        monkeypatch.setenv(key, value)
    for key in UNSET:
        monkeypatch.delenv(key, raising=False)

    def run(**env: str | None) -> Result:
        for key, value in env.items():
            if value is None:
                monkeypatch.delenv(key, raising=False)
            else:
                monkeypatch.setenv(key, value)
        get_settings.cache_clear()
        return CliRunner().invoke(main, ["doctor"])

    yield run
    get_settings.cache_clear()


def line(result: Result, name: str) -> str:
    [found] = [x for x in result.output.splitlines() if x[6:].startswith(name)]
    return found


def fix_after(result: Result, name: str) -> str:
    lines = result.output.splitlines()
    at = lines.index(line(result, name))
    return lines[at + 1].strip()


def test_a_well_set_up_deployment_is_all_ok(doctor: Doctor) -> None:
    result = doctor()
    assert result.exit_code == 0, result.output
    names = ["encryption key", "public url", "sms (twilio)", "telegram", "safeguarding alerts"]
    names += ["dashboard", "time zone", "flows", "database", "schema", "stored data", "clock"]
    for name in names:
        assert line(result, name).startswith("OK  "), result.output
    assert "FAIL" not in result.output
    assert "WARN" not in result.output
    assert "https://sendvoice.example.gov.uk/webhooks/twilio/sms" in result.output
    assert result.output.rstrip().endswith("All good.")


def test_no_secret_is_ever_printed(doctor: Doctor) -> None:
    for result in (doctor(), doctor(SMTP_PASSWORD=None), doctor(TELEGRAM_WEBHOOK_SECRET="bad!")):
        for secret in (TWILIO_TOKEN, BOT_TOKEN, SESSION_SECRET, SMTP_PASSWORD, "webhook-secret"):
            assert secret not in result.output


def test_no_alert_route_fails_and_says_what_to_set(doctor: Doctor) -> None:
    result = doctor(SMTP_HOST=None, SAFEGUARDING_EMAIL_TO=None)
    assert result.exit_code == 1
    assert line(result, "safeguarding alerts").startswith("FAIL")
    assert "SMTP_HOST and SAFEGUARDING_EMAIL_TO not set" in line(result, "safeguarding alerts")
    assert fix_after(result, "safeguarding alerts").startswith("fix: set SMTP_HOST")
    assert result.output.rstrip().endswith("1 to fix, 0 to look at.")


def test_sms_alone_is_an_alert_route_worth_a_warning(doctor: Doctor) -> None:
    result = doctor(SMTP_HOST=None, SAFEGUARDING_EMAIL_TO=None, SAFEGUARDING_SMS_TO="+447700900777")
    assert result.exit_code == 0, result.output
    assert line(result, "safeguarding alerts").startswith("WARN")
    assert "by SMS only, to 1 number(s)" in line(result, "safeguarding alerts")
    assert "+447700900777" not in result.output  # never a number


def test_both_alert_routes_are_ok(doctor: Doctor) -> None:
    result = doctor(SAFEGUARDING_SMS_TO="+447700900777")
    assert line(result, "safeguarding alerts").startswith("OK")
    assert "and by SMS to 1 number(s)" in line(result, "safeguarding alerts")


@pytest.mark.parametrize(
    ("env", "name", "words"),
    [
        ({"SAFEGUARDING_EMAIL_TO": None}, "safeguarding alerts", "SAFEGUARDING_EMAIL_TO not set"),
        ({"SAFEGUARDING_EMAIL_TO": "the dsl"}, "safeguarding alerts", "not a comma-separated"),
        ({"SMTP_PASSWORD": None}, "safeguarding alerts", "SMTP_PASSWORD is not"),
        ({"DATA_ENCRYPTION_KEY": None}, "encryption key", "no encryption key"),
        ({"DATA_ENCRYPTION_KEY": "not-a-key"}, "encryption key", "Fernet keys"),
        ({"PUBLIC_BASE_URL": "http://sendvoice.example.gov.uk"}, "public url", "not https"),
        ({"PUBLIC_BASE_URL": "sendvoice.example.gov.uk"}, "public url", "not a web address"),
        ({"TWILIO_AUTH_TOKEN": None}, "sms (twilio)", "TWILIO_AUTH_TOKEN missing"),
        ({"TWILIO_ACCOUNT_SID": "AB123"}, "sms (twilio)", "not an account SID"),
        ({"TWILIO_FROM_NUMBER": "council"}, "sms (twilio)", "not a phone number"),
        ({"TELEGRAM_BOT_TOKEN": "nonsense"}, "telegram", "not a bot token"),
        ({"TELEGRAM_BOT_TOKEN": None}, "telegram", "TELEGRAM_WEBHOOK_SECRET is set but"),
        ({"SESSION_SECRET": "short"}, "dashboard", "shorter than 32"),
        ({"TWILIO_API_BASE_URL": "http://sms-gateway.example"}, "sms (twilio)", "not https"),
        ({"TELEGRAM_API_BASE_URL": "api.telegram.org"}, "telegram", "not a web address"),
        ({"DEFAULT_TIMEZONE": "Europe/Londn"}, "time zone", "not a known time zone"),
        ({"QUIET_HOURS_START": "8pm"}, "time zone", "not a time of day"),
        ({"FLOW_PATHS": "/nowhere/flows"}, "flows", "do not load"),
    ],
)
def test_each_broken_setting_fails_with_a_fix(
    doctor: Doctor, env: dict[str, str | None], name: str, words: str
) -> None:
    result = doctor(**env)
    assert result.exit_code == 1, result.output
    assert line(result, name).startswith("FAIL"), result.output
    assert words in line(result, name)
    assert fix_after(result, name).startswith("fix: ")


@pytest.mark.parametrize(
    ("env", "name", "words"),
    [
        ({"TELEGRAM_BOT_TOKEN": None, "TELEGRAM_WEBHOOK_SECRET": None}, "telegram", "is off"),
        ({"TELEGRAM_WEBHOOK_SECRET": None}, "telegram", "refuses every update"),
        ({"SESSION_SECRET": None}, "dashboard", "the dashboard is off"),
        ({"TWILIO_API_BASE_URL": "http://127.0.0.1:9000"}, "sms (twilio)", "a test server?"),
        ({"TELEGRAM_API_BASE_URL": "http://localhost:9001"}, "telegram", "a test server?"),
        ({"SMTP_FROM": "sendvoice@localhost"}, "safeguarding alerts", "SMTP_FROM is a localhost"),
        ({"PUBLIC_BASE_URL": "http://127.0.0.1:8000"}, "public url", "local address"),
        ({"SAFEGUARDING_EMAIL_INCLUDE_TEXT": "true"}, "safeguarding alerts", "own words"),
        (
            {"TWILIO_ACCOUNT_SID": None, "TWILIO_AUTH_TOKEN": None, "TWILIO_FROM_NUMBER": None},
            "sms (twilio)",
            "SMS is off",
        ),
    ],
)
def test_what_a_deployment_may_choose_is_a_warning_not_a_failure(
    doctor: Doctor, env: dict[str, str | None], name: str, words: str
) -> None:
    result = doctor(**env)
    assert result.exit_code == 0, result.output
    assert line(result, name).startswith("WARN")
    assert words in line(result, name)
    assert result.output.rstrip().splitlines()[-1].startswith("Nothing to fix;")


def test_an_out_of_date_schema_fails_with_the_command_that_fixes_it(
    doctor: Doctor, empty_database_url: str
) -> None:
    if empty_database_url.startswith("sqlite:///"):
        Path(empty_database_url.removeprefix("sqlite:///")).touch()  # there, but empty
    result = doctor(DATABASE_URL=empty_database_url)
    assert result.exit_code == 1
    assert line(result, "schema").startswith("FAIL")
    assert fix_after(result, "schema") == "fix: run `sendvoice db upgrade`"


def test_an_unreachable_database_fails_without_showing_its_password(doctor: Doctor) -> None:
    result = doctor(DATABASE_URL="postgresql+psycopg://sv:pg-password@127.0.0.1:1/sendvoice")
    assert result.exit_code == 1
    assert line(result, "database").startswith("FAIL  database             cannot connect")
    assert "pg-password" not in result.output


def test_a_missing_sqlite_file_fails_and_is_not_created(doctor: Doctor, tmp_path: Path) -> None:
    path = tmp_path / "typo" / "sendvoice.db"
    result = doctor(DATABASE_URL=f"sqlite:///{path}")
    assert result.exit_code == 1
    assert "does not exist" in line(result, "database")
    assert not path.exists()


def test_stored_data_the_key_cannot_read_fails(
    doctor: Doctor, session_factory: sessionmaker[Session]
) -> None:
    with session_factory.begin() as s:
        contacts_repo.find_or_create(s, "sms", "+447700900123", datetime.now(UTC))
    assert line(doctor(), "stored data").startswith("OK")
    result = doctor(DATA_ENCRYPTION_KEY=generate_key())
    assert result.exit_code == 1
    assert line(result, "stored data").startswith("FAIL")
    assert "+447700900123" not in result.output


def test_safeguarding_alerts_waiting_to_be_emailed_fail(
    doctor: Doctor, session_factory: sessionmaker[Session]
) -> None:
    with session_factory.begin() as s:
        flags_repo.record(
            s,
            contact_id=None,
            conversation_id=None,
            message_id=None,
            channel="sms",
            category="self_harm_suicide",
            reasons=["test"],
            text="words that must not be printed",
            now=datetime.now(UTC) - timedelta(hours=1),
        )
    result = doctor()
    assert result.exit_code == 1
    assert "1 safeguarding alert(s) have waited more than 5 minutes" in line(
        result, "alert backlog"
    )
    assert "words that must not be printed" not in result.output


def _only_a_version_table(url: str, version: str) -> str:
    """A throwaway database that claims a schema version and has no tables (the shared test
    database is left alone)."""
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).touch()
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32))"))
            connection.execute(text("INSERT INTO alembic_version VALUES (:v)"), {"v": version})
    finally:
        engine.dispose()
    return url


def test_a_database_written_by_a_newer_sendvoice_says_to_upgrade_sendvoice(
    doctor: Doctor, empty_database_url: str
) -> None:
    result = doctor(DATABASE_URL=_only_a_version_table(empty_database_url, "9999"))
    assert result.exit_code == 1
    assert "newer than this version of sendvoice" in line(result, "schema")
    assert (
        fix_after(result, "schema") == "fix: install the sendvoice version that wrote this database"
    )


def test_a_broken_database_is_a_failure_not_a_crash(
    doctor: Doctor, empty_database_url: str
) -> None:
    url = _only_a_version_table(empty_database_url, head_revision())  # current, but no tables
    result = doctor(DATABASE_URL=url)
    assert result.exit_code == 1
    assert any(
        x.startswith("FAIL  database             the database checks stopped with")
        for x in result.output.splitlines()
    ), result.output
    assert "Traceback" not in result.output


def test_free_text_unread_past_the_deadline_is_a_warning_without_the_words(
    doctor: Doctor, session_factory: sessionmaker[Session]
) -> None:
    from storage import contacts, messages, to_read

    assert line(doctor(), "unread free text").startswith("OK  ")
    since = datetime.now(UTC) - timedelta(hours=80)
    with session_factory.begin() as s:
        contact, identity, _ = contacts.find_or_create(s, "sms", "+447700900555", since)
        message = messages.record_inbound(
            s,
            channel="sms",
            provider_id="SMdoc1",
            body="words that must not be printed",
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
    result = doctor(READ_WITHIN_HOURS="72")
    assert result.exit_code == 0, result.output  # a backlog to clear, not a broken service
    found = line(result, "unread free text")
    assert found.startswith("WARN")
    assert "1 free-text message(s) have waited more than 72 hours" in found
    assert "/dashboard/to-read" in fix_after(result, "unread free text")
    assert "words that must not be printed" not in result.output

"""Protection at rest, retention, erasure, subject access and key rotation."""

from __future__ import annotations

import json
import os
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import MetaData, create_engine, select

from bot.clock import FrozenClock
from bot.config import Settings
from bot.conversation.inbound import InboundMessage
from bot.privacy.access import subject_access
from bot.privacy.forgetting import find_person, forget
from bot.privacy.keys import rotate
from bot.privacy.retention import purge
from bot.services import Services, build_services
from storage import contacts as contacts_repo
from storage.crypto import IdentifierCipher, generate_key
from storage.db import make_engine, make_session_factory
from storage.models import Answer, AuditEntry, ChannelIdentity, Contact, Message
from tests.command import run_command
from tests.serve import EXE, free_port

NUMBER = "+447700900777"
NAME = "Rhiannon Pritchard"
CHAT_ID = "987654321"
NOW = datetime(2026, 3, 16, 12, 0, tzinfo=UTC)


@pytest.fixture
def services(database_url: str) -> Services:
    settings = Settings(_env_file=None, database_url=database_url)  # type: ignore[call-arg]
    svc = build_services(settings, clock=FrozenClock(NOW))
    yield svc  # type: ignore[misc]
    svc.close()


def converse(
    services: Services, replies: list[str], *, channel: str = "sms", address: str = NUMBER
) -> None:
    for i, body in enumerate(replies):
        services.clock.now = NOW + timedelta(minutes=i)  # type: ignore[attr-defined]
        services.dispatcher.handle(
            services.session_factory,
            InboundMessage(channel, address, body, f"{channel}-{i}", services.clock()),
        )


def named_parent(services: Services) -> None:
    converse(services, ["FEEDBACK", "1", "yes", "4", "Meeting Sam's teacher", "Earlier start"])
    with services.session_factory.begin() as s:
        contact = contacts_repo.find_by_address(s, "sms", NUMBER)[0]  # type: ignore[index]
        contact.set_display_name(NAME, s.info["identifier_cipher"])
        contacts_repo.link_identity(s, contact, "telegram", CHAT_ID, NOW)


def test_identifiers_are_unreadable_in_the_raw_database(
    services: Services, database_url: str
) -> None:
    named_parent(services)
    engine = create_engine(database_url)
    metadata = MetaData()
    metadata.reflect(engine)
    dump = []
    with engine.connect() as connection:
        for table in metadata.sorted_tables:
            for row in connection.execute(table.select()):
                dump.append(" ".join(str(v) for v in row))
    engine.dispose()
    everything = "\n".join(dump)
    for secret in (NUMBER, NUMBER[1:], "7700900777", NAME, "Rhiannon", CHAT_ID):
        assert secret not in everything
    # ... and yet the application finds and reads them.
    with services.session_factory() as s:
        contact, identity = contacts_repo.find_by_address(s, "sms", NUMBER)  # type: ignore[misc]
        assert identity.address == NUMBER
        assert contact.display_name == NAME


def test_subject_access_export_holds_everything_and_is_audited(services: Services) -> None:
    named_parent(services)
    with services.session_factory.begin() as s:
        contact = find_person(s, "07700 900777", "GB")
        assert contact is not None
        data = subject_access(s, contact, actor="cli", now=NOW)
    assert data["person"]["name"] == NAME
    assert {i["address"] for i in data["identities"]} == {NUMBER, CHAT_ID}
    assert {a["question"]: a["value"] for a in data["answers"]}["rating"] == 4
    assert any(m["text"] == "Meeting Sam's teacher" for m in data["messages"])
    assert json.dumps(data, default=str)
    with services.session_factory() as s:
        actions = [e.action for e in s.scalars(select(AuditEntry))]
    assert "subject_access_export" in actions


def test_forget_removes_identifiers_and_free_text_but_keeps_anonymised_answers(
    services: Services,
) -> None:
    named_parent(services)
    with services.session_factory.begin() as s:
        contact = find_person(s, CHAT_ID, "GB")
        assert contact is not None
        report = forget(s, services.library, contact, delete_answers=False, actor="cli", now=NOW)
    assert report.identities == 2
    with services.session_factory() as s:
        assert s.scalars(select(ChannelIdentity)).all() == []
        assert s.scalars(select(Message)).all() == []
        contact = s.scalars(select(Contact)).one()
        assert contact.display_name is None
        assert contact.erased_at is not None
        answers = {a.step_id: (a.value, a.special, a.raw_text) for a in s.scalars(select(Answer))}
        assert answers["rating"] == (4, None, None)
        assert answers["worked_well"] == (None, "erased", None)
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "forget")).one()
        assert entry.subject == contact.pseudonym
        assert find_person(s, NUMBER, "GB") is None


def test_forget_can_delete_answers_too(services: Services) -> None:
    named_parent(services)
    with services.session_factory.begin() as s:
        contact = find_person(s, NUMBER, "GB")
        assert contact is not None
        forget(s, services.library, contact, delete_answers=True, actor="cli", now=NOW)
    with services.session_factory() as s:
        assert s.scalars(select(Answer)).all() == []


def test_purge_deletes_what_is_past_retention_and_keeps_statistics(services: Services) -> None:
    named_parent(services)
    later = NOW + timedelta(days=731)
    dry = purge(
        services.session_factory, services.library, retention_days=730, now=later, dry_run=True
    )
    assert dry.messages > 0
    assert dry.contacts == 1
    with services.session_factory() as s:
        assert s.scalars(select(Message)).all() != []  # a dry run changes nothing
    purge(services.session_factory, services.library, retention_days=730, now=later, dry_run=False)
    with services.session_factory() as s:
        assert s.scalars(select(Message)).all() == []
        assert s.scalars(select(ChannelIdentity)).all() == []
        answers = {a.step_id: a for a in s.scalars(select(Answer))}
        assert answers["rating"].value == 4
        assert answers["worked_well"].value is None
        assert all(a.raw_text is None for a in answers.values())
        assert s.scalars(select(AuditEntry.action)).all() == ["retention_purge"]


def test_purge_leaves_recent_data_alone(services: Services) -> None:
    named_parent(services)
    report = purge(
        services.session_factory,
        services.library,
        retention_days=730,
        now=NOW + timedelta(days=30),
        dry_run=False,
    )
    assert (report.messages, report.contacts) == (0, 0)


def test_rotating_the_key_keeps_everything_findable(database_url: str) -> None:
    old, new = generate_key(), generate_key()
    engine = make_engine(database_url)
    try:
        with make_session_factory(engine, IdentifierCipher([old])).begin() as s:
            contact, _, _ = contacts_repo.find_or_create(s, "sms", NUMBER, NOW)
            contact.set_display_name(NAME, IdentifierCipher([old]))
        both = IdentifierCipher([new, old])
        with make_session_factory(engine, both).begin() as s:
            assert contacts_repo.find_by_address(s, "sms", NUMBER) is not None  # before rotating
            assert rotate(s, both, actor="cli", now=NOW) == 2
        with make_session_factory(engine, IdentifierCipher([new]))() as s:
            found = contacts_repo.find_by_address(s, "sms", NUMBER)
            assert found is not None
            assert found[1].address == NUMBER
            assert found[0].display_name == NAME
    finally:
        engine.dispose()


def test_the_server_refuses_to_start_without_a_key(database_url: str, tmp_path: Path) -> None:
    env = {**os.environ, "DATABASE_URL": database_url, "DATA_ENCRYPTION_KEY": ""}
    result = subprocess.run(
        [EXE, "serve", "--port", str(free_port())],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
        cwd=tmp_path,
    )
    assert result.returncode == 2
    assert "DATA_ENCRYPTION_KEY" in result.stderr


def test_the_demo_makes_a_key_of_its_own(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DATA_ENCRYPTION_KEY")}
    result = subprocess.run(
        [EXE, "demo", "--name", "Sam"],
        input="yes\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    key = tmp_path / "sendvoice.db.key"
    assert key.exists()
    assert oct(key.stat().st_mode & 0o777) == "0o600"


def test_privacy_commands_end_to_end(services: Services, database_url: str, tmp_path: Path) -> None:
    named_parent(services)
    env = {**os.environ, "DATABASE_URL": database_url}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return run_command(["privacy", *args], env=env, cwd=tmp_path)

    exported = run("export", "07700900777", "--out", str(tmp_path / "sar.json"))
    assert exported.returncode == 0, exported.stderr
    assert json.loads((tmp_path / "sar.json").read_text())["person"]["name"] == NAME
    dry = run("purge", "--dry-run")
    assert dry.returncode == 0
    assert "would delete 0 messages" in dry.stdout
    gone = run("forget", NUMBER, "--yes")
    assert gone.returncode == 0, gone.stderr
    assert "written to the audit log" in gone.stdout
    assert run("forget", NUMBER, "--yes").returncode == 1
    assert len(run("new-key").stdout.strip()) == 44

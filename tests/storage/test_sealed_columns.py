"""People's words are encrypted by the columns themselves: existing rows on upgrade, every write
after it, and no query can compare them in SQL by mistake."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Engine, insert, select, text, update
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from storage.crypto import EncryptionKeyError, IdentifierCipher
from storage.db import make_engine, make_session_factory
from storage.migrate import alembic_config, upgrade
from storage.models import Answer, Message, SafeguardingFlag
from storage.sealed import SealedValueError, sealed_columns
from storage.tables import metadata
from tests.helpers import IS_POSTGRES

WORDS = "Our keyworker Ffion never rings back"
NOW = "2026-03-01 10:00:00"


@pytest.fixture
def empty_engine(empty_database_url: str) -> Iterator[Engine]:
    engine = make_engine(empty_database_url)
    yield engine
    engine.dispose()


def test_a_query_that_compares_or_searches_words_in_sql_is_refused() -> None:
    for attempt in (
        lambda: Message.body == "help",
        lambda: Message.body.like("%help%"),
        lambda: Answer.value.in_(["yes"]),
        lambda: SafeguardingFlag.text.contains("hit"),
        lambda: Answer.raw_text > "a",
    ):
        with pytest.raises(SealedValueError, match="encrypted"):
            attempt()
    # Whether there is a value at all is still a question SQL can answer.
    assert str(Answer.value.is_(None)) == "answers.value IS NULL"
    assert str(Message.error_message == None) == "messages.error_message IS NULL"  # noqa: E711


def test_every_column_that_holds_words_is_encrypted() -> None:
    assert {(t.name, c) for t, c in sealed_columns(metadata)} >= {
        ("answers", "value"),
        ("answers", "raw_text"),
        ("messages", "body"),
        ("messages", "error_message"),
        ("safeguarding_flags", "text"),
        ("safeguarding_flags", "reasons"),
        ("safeguarding_flags", "acknowledge_note"),
    }


def _plant_words(engine: Engine) -> None:
    with engine.begin() as c:
        c.execute(
            text(
                "INSERT INTO contacts (id, pseudonym, role, preferred_language, timezone, "
                "created_at, updated_at) VALUES (1, 'abc', 'parent', 'en', 'Europe/London', "
                ":now, :now)"
            ),
            {"now": NOW},
        )
        c.execute(
            text(
                "INSERT INTO conversations (id, contact_id, flow_id, flow_version, language, "
                "channel, status, state, started_at, updated_at) VALUES (1, 1, 'post_event', 1, "
                "'en', 'sms', 'completed', '{}', :now, :now)"
            ),
            {"now": NOW},
        )
        c.execute(
            text(
                "INSERT INTO messages (id, contact_id, direction, channel, body, meta, status, "
                "attempts, created_at) VALUES (1, 1, 'in', 'sms', :w, '{}', 'received', 0, :now)"
            ),
            {"w": WORDS, "now": NOW},
        )
        c.execute(
            text(
                "INSERT INTO answers (id, conversation_id, contact_id, flow_id, step_id, value, "
                "raw_text, answered_at, updated_at) VALUES (1, 1, 1, 'post_event', 'better', :v, "
                ":w, :now, :now)"
            ),
            {"v": '"' + WORDS + '"', "w": WORDS, "now": NOW},
        )
        c.execute(
            text(
                "INSERT INTO answers (id, conversation_id, contact_id, flow_id, step_id, value, "
                "answered_at, updated_at) VALUES (2, 1, 1, 'post_event', 'rating', '4', :now, :now)"
            ),
            {"now": NOW},
        )
        c.execute(
            text(
                "INSERT INTO safeguarding_flags (id, contact_id, channel, category, reasons, text, "
                "created_at, alert_attempts, realerts) VALUES (1, 1, 'sms', 'harm', :r, :w, :now, "
                "0, 0)"
            ),
            {"r": '["said: keyworker Ffion"]', "w": WORDS, "now": NOW},
        )


def _clear_text(engine: Engine) -> str:
    with engine.connect() as c:
        return " ".join(
            str(v)
            for sql in (
                "SELECT body FROM messages",
                "SELECT value FROM answers",
                "SELECT raw_text FROM answers",
                "SELECT text FROM safeguarding_flags",
                "SELECT reasons FROM safeguarding_flags",
            )
            for v in c.execute(text(sql)).scalars()
        )


def test_upgrading_encrypts_the_words_already_held_and_downgrading_decrypts_them(
    empty_database_url: str, empty_engine: Engine
) -> None:
    config = alembic_config(empty_database_url)
    command.upgrade(config, "0009_to_read")
    _plant_words(empty_engine)
    command.upgrade(config, "head")
    assert "Ffion" not in _clear_text(empty_engine)
    factory = make_session_factory(
        empty_engine, IdentifierCipher([os.environ["DATA_ENCRYPTION_KEY"]])
    )
    with factory() as s:
        assert s.scalars(select(Message.body)).one() == WORDS
        answers = {a.step_id: (a.value, a.raw_text) for a in s.scalars(select(Answer))}
        assert answers == {"better": (WORDS, WORDS), "rating": (4, None)}
        flag = s.scalars(select(SafeguardingFlag)).one()
        assert (flag.text, flag.reasons) == (WORDS, ["said: keyworker Ffion"])
    command.downgrade(config, "0009_to_read")
    assert _clear_text(empty_engine).count("Ffion") == 5


def test_upgrading_words_without_a_key_refuses_rather_than_guessing(
    empty_database_url: str, empty_engine: Engine
) -> None:
    config = alembic_config(empty_database_url)
    command.upgrade(config, "0009_to_read")
    _plant_words(empty_engine)
    config.attributes["encryption_keys"] = []
    key = os.environ.pop("DATA_ENCRYPTION_KEY")
    try:
        with pytest.raises(EncryptionKeyError, match="DATA_ENCRYPTION_KEY"):
            command.upgrade(config, "head")
    finally:
        os.environ["DATA_ENCRYPTION_KEY"] = key


def test_words_written_by_core_statements_are_encrypted_too(session: Session) -> None:
    row = {"direction": "in", "channel": "sms", "body": WORDS, "status": "received"}
    session.execute(
        insert(Message), [{**row, "meta": {}, "attempts": 0, "created_at": datetime.now(UTC)}]
    )
    session.execute(update(Message).values(error_message="The 'To' number " + WORDS))
    raw = session.execute(text("SELECT body, error_message FROM messages")).one()
    assert "Ffion" not in " ".join(raw)
    assert session.scalars(select(Message.error_message)).one() == "The 'To' number " + WORDS


@pytest.mark.skipif(IS_POSTGRES, reason="reads the SQLite file's bytes")
def test_after_upgrading_no_clear_word_is_left_in_the_sqlite_file(
    empty_database_url: str, empty_engine: Engine
) -> None:
    """Encrypting rows in place must not leave the clear text in free pages or the write-ahead log
    (it did not before either: rows that grow are rewritten; this guards against a change)."""
    upgrade(empty_database_url, "0009_to_read")
    _plant_words(empty_engine)
    empty_engine.dispose()
    upgrade(empty_database_url)
    path = Path(make_url(empty_database_url).database or "")
    raw = b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))
    assert b"Ffion" not in raw
    assert b"keyworker" not in raw

"""Who answered, per conversation: the column, and the ehcp_experience answers moved into it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from alembic import command
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from flows import who_answered
from storage import conversations
from storage.db import make_engine
from storage.migrate import alembic_config
from storage.models import ANSWERED_BY, ChannelIdentity, Contact

T = "2024-01-01 00:00:00"
NOW = datetime(2024, 3, 14, 21, 30, tzinfo=UTC)


@pytest.fixture
def empty_engine(empty_database_url: str) -> Iterator[Engine]:
    engine = make_engine(empty_database_url)
    yield engine
    engine.dispose()


def test_the_stored_values_are_the_engines() -> None:
    assert frozenset(who_answered.RECORDED) == ANSWERED_BY


def test_a_conversation_keeps_who_answered_and_refuses_other_words(
    session: Session, parent: tuple[Contact, ChannelIdentity]
) -> None:
    contact, _ = parent
    conversation = conversations.create(
        session,
        contact_id=contact.id,
        flow_id="post_event",
        flow_version=1,
        language="en",
        channel="sms",
        state={"flow_id": "post_event"},
        status="active",
        now=NOW,
        wake_at=None,
    )
    assert conversation.answered_by is None  # not asked yet
    conversations.set_answered_by(conversation, "with_help")
    session.flush()
    session.expire(conversation)
    assert conversation.answered_by == "with_help"
    with pytest.raises(ValueError, match="unknown answered_by"):
        conversations.set_answered_by(conversation, "grandma")


def _conversation(connection: Any, flow_id: str) -> int:
    connection.execute(
        text(
            "INSERT INTO conversations (contact_id, flow_id, flow_version, language, channel,"
            " status, state, started_at, updated_at) VALUES (1, :flow, 1, 'en', 'sms',"
            " 'completed', '{}', :t, :t)"
        ),
        {"flow": flow_id, "t": T},
    )
    return int(connection.execute(text("SELECT max(id) FROM conversations")).scalar_one())


def _answer(connection: Any, conversation_id: int, flow_id: str, value: str | None) -> None:
    connection.execute(
        text(
            "INSERT INTO answers (conversation_id, contact_id, flow_id, step_id, value, special,"
            " answered_at, updated_at) VALUES (:c, 1, :flow, 'who_answered', :v, :s, :t, :t)"
        ),
        {
            "c": conversation_id,
            "flow": flow_id,
            "v": f'"{value}"' if value is not None else None,
            "s": None if value is not None else "skip",
            "t": T,
        },
    )


def test_upgrade_moves_ehcp_who_answered_answers_into_the_column_and_back(
    empty_database_url: str, empty_engine: Engine
) -> None:
    config = alembic_config(empty_database_url)
    command.upgrade(config, "0009_to_read")
    with empty_engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO contacts (id, pseudonym, role, preferred_language, timezone,"
                " created_at, updated_at) VALUES (1, 'abc', 'parent', 'en', 'Europe/London',"
                " :t, :t)"
            ),
            {"t": T},
        )
        mine = _conversation(connection, "ehcp_experience")
        _answer(connection, mine, "ehcp_experience", "myself")
        helped = _conversation(connection, "ehcp_experience")
        _answer(connection, helped, "ehcp_experience", "with_help")
        behalf = _conversation(connection, "ehcp_experience")
        _answer(connection, behalf, "ehcp_experience", "on_behalf")
        skipped = _conversation(connection, "ehcp_experience")
        _answer(connection, skipped, "ehcp_experience", None)
        never = _conversation(connection, "ehcp_experience")
        other = _conversation(connection, "my_own_flow")  # a council's flow with the same step id
        _answer(connection, other, "my_own_flow", "myself")

    command.upgrade(config, "head")
    with empty_engine.connect() as connection:
        found = dict(connection.execute(text("SELECT id, answered_by FROM conversations")).all())
        left = connection.execute(
            text("SELECT flow_id FROM answers WHERE step_id = 'who_answered'")
        ).all()
    assert found == {
        mine: "self",
        helped: "with_help",
        behalf: "for_them",
        skipped: "unknown",
        never: None,
        other: None,
    }
    assert left == [("my_own_flow",)]  # counted once, in the column, never twice

    command.downgrade(config, "0009_to_read")
    with empty_engine.connect() as connection:
        back = connection.execute(
            text(
                "SELECT conversation_id, special FROM answers"
                " WHERE step_id = 'who_answered' AND flow_id = 'ehcp_experience'"
                " ORDER BY conversation_id"
            )
        ).all()
    assert [c for c, _ in back] == [mine, helped, behalf, skipped]
    assert back[-1][1] == "skip"

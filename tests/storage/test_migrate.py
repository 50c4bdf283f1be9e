from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect, text

from storage.db import make_engine
from storage.errors import SchemaOutOfDate
from storage.migrate import (
    alembic_config,
    check_schema,
    current_revision,
    ensure_schema,
    head_revision,
    upgrade,
)
from storage.models import Base


@pytest.fixture
def empty_engine(empty_database_url: str) -> Iterator[Engine]:
    engine = make_engine(empty_database_url)
    yield engine
    engine.dispose()


def test_new_database_is_reported_as_needing_an_upgrade(empty_engine: Engine) -> None:
    assert current_revision(empty_engine) is None
    with pytest.raises(SchemaOutOfDate) as caught:
        check_schema(empty_engine)
    message = str(caught.value)
    assert "empty" in message
    assert head_revision() in message
    assert "sendvoice db upgrade" in message


def test_upgrade_brings_the_schema_to_head(empty_database_url: str, empty_engine: Engine) -> None:
    upgrade(empty_database_url)
    assert current_revision(empty_engine) == head_revision()
    check_schema(empty_engine)


def test_migrated_schema_matches_the_models(empty_database_url: str, empty_engine: Engine) -> None:
    upgrade(empty_database_url)
    with empty_engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_migrated_foreign_keys_and_partial_index_match_the_models(
    empty_database_url: str, empty_engine: Engine
) -> None:
    # Alembic's comparison ignores ON DELETE rules and partial-index conditions.
    upgrade(empty_database_url)
    inspector = inspect(empty_engine)
    for table in Base.metadata.sorted_tables:
        expected = {fk.name: fk.ondelete for fk in table.foreign_key_constraints}
        actual = {
            fk["name"]: fk["options"].get("ondelete")
            for fk in inspector.get_foreign_keys(table.name)
        }
        assert actual == expected, table.name
    (active,) = [
        ix
        for ix in inspector.get_indexes("conversations")
        if ix["name"] == "uq_conversations_active_contact"
    ]
    assert active["unique"]
    where = next(iter(active["dialect_options"].values()))
    assert "active" in str(where)


def test_upgrade_twice_keeps_data(empty_database_url: str, empty_engine: Engine) -> None:
    ensure_schema(empty_database_url)
    with empty_engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO contacts (pseudonym, role, preferred_language, timezone, created_at,"
                " updated_at) VALUES ('abc', 'parent', 'en', 'Europe/London', :t, :t)"
            ),
            {"t": "2024-01-01 00:00:00"},
        )
    ensure_schema(empty_database_url)
    upgrade(empty_database_url)
    with empty_engine.connect() as connection:
        assert connection.execute(text("SELECT pseudonym FROM contacts")).scalar_one() == "abc"


def test_two_processes_upgrading_at_once_both_succeed(
    empty_database_url: str, empty_engine: Engine
) -> None:
    barrier = threading.Barrier(2)

    def start() -> None:
        barrier.wait(timeout=10)
        upgrade(empty_database_url)

    with ThreadPoolExecutor(max_workers=2) as pool:
        for future in [pool.submit(start), pool.submit(start)]:
            future.result(timeout=60)
    check_schema(empty_engine)


def test_database_from_a_newer_version_says_so(
    empty_database_url: str, empty_engine: Engine
) -> None:
    upgrade(empty_database_url)
    with empty_engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(SchemaOutOfDate, match="newer than this version"):
        check_schema(empty_engine)


def test_downgrade_and_upgrade_again_through_plain_alembic(
    empty_database_url: str, empty_engine: Engine
) -> None:
    config = alembic_config(empty_database_url)
    command.upgrade(config, "head")
    command.downgrade(config, "base")
    assert set(inspect(empty_engine).get_table_names()) <= {"alembic_version"}
    command.upgrade(config, "head")
    check_schema(empty_engine)


def test_config_keeps_url_encoded_characters() -> None:
    url = "postgresql+psycopg://sendvoice:p%40ss%25word@db.example/sendvoice"
    assert alembic_config(url).get_main_option("sqlalchemy.url") == url

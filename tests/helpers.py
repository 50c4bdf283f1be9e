"""Shared test helpers that are not fixtures."""

from __future__ import annotations

import os
import time
from collections.abc import Callable

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

# CI runs the suite twice: without DATABASE_URL (SQLite) and with a PostgreSQL URL.
TEST_DATABASE_URL: str | None = os.environ.get("DATABASE_URL") or None
IS_POSTGRES: bool = (
    TEST_DATABASE_URL is not None and make_url(TEST_DATABASE_URL).get_backend_name() == "postgresql"
)

requires_postgres = pytest.mark.skipif(
    not IS_POSTGRES, reason="only meaningful on PostgreSQL (set DATABASE_URL)"
)


def pending_outbound(database_url: str) -> int:
    """Outbound messages still queued or held by a sender: while there are none, nothing more
    can be sent (a test's way of knowing a run is over, rather than sleeping past a lease)."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            return int(
                connection.scalar(
                    text(
                        "SELECT count(*) FROM messages WHERE direction = 'out' "
                        "AND status IN ('queued', 'sending')"
                    )
                )
                or 0
            )
    finally:
        engine.dispose()


def wait_until(predicate: Callable[[], object], timeout: float = 10.0) -> None:
    """For end-to-end tests of a server running beside the test: poll, never sleep blindly."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for the condition")
        time.sleep(0.02)


def readable_dump(database_url: str, *, skip: frozenset[str] = frozenset()) -> str:
    """Every row of every table as the application reads it, encrypted columns decrypted: to show
    that words were erased, not only that they are encrypted."""
    from storage.crypto import IdentifierCipher
    from storage.db import make_engine
    from storage.sealed import attach
    from storage.tables import metadata

    engine = make_engine(database_url)
    attach(engine, IdentifierCipher(os.environ["DATA_ENCRYPTION_KEY"].split(",")))
    rows = []
    try:
        with engine.connect() as connection:
            for table in metadata.sorted_tables:
                if table.name not in skip:
                    rows += [" ".join(map(str, row)) for row in connection.execute(table.select())]
    finally:
        engine.dispose()
    return "\n".join(rows)


def opened_engine(database_url: str) -> Engine:
    """An engine beside the one under test that reads encrypted columns with the tests' key."""
    from storage.crypto import IdentifierCipher
    from storage.sealed import attach

    engine = create_engine(database_url)
    attach(engine, IdentifierCipher(os.environ["DATA_ENCRYPTION_KEY"].split(",")))
    return engine

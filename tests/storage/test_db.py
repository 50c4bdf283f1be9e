from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from storage import contacts
from storage.db import DEFAULT_URL, database_url, is_postgres, make_engine
from storage.models import Contact
from tests.helpers import IS_POSTGRES, requires_postgres


def test_database_url_defaults_to_a_local_sqlite_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert database_url() == DEFAULT_URL == "sqlite:///./sendvoice.db"
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://u@h/db")
    assert database_url() == "postgresql+psycopg://u@h/db"


def test_sqlite_connections_are_configured_for_safe_concurrent_use(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    try:
        with engine.connect() as connection:
            pragma = connection.exec_driver_sql
            assert pragma("PRAGMA journal_mode").scalar() == "wal"
            assert pragma("PRAGMA foreign_keys").scalar() == 1
            assert pragma("PRAGMA busy_timeout").scalar() == 30_000
    finally:
        engine.dispose()


def test_sqlite_writers_queue_instead_of_failing_or_losing_updates(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE counter (n INTEGER NOT NULL)")
        connection.exec_driver_sql("INSERT INTO counter VALUES (0)")
    barrier = threading.Barrier(4)

    def bump() -> None:
        barrier.wait(timeout=10)
        for _ in range(25):
            # Read then write: with a deferred BEGIN two of these deadlock on the lock
            # upgrade and one fails with "database is locked".
            with engine.begin() as connection:
                n = connection.exec_driver_sql("SELECT n FROM counter").scalar_one()
                connection.execute(text("UPDATE counter SET n = :n"), {"n": n + 1})

    try:
        with ThreadPoolExecutor(max_workers=4) as pool:
            for future in [pool.submit(bump) for _ in range(4)]:
                future.result(timeout=60)
        with engine.connect() as connection:
            assert connection.exec_driver_sql("SELECT n FROM counter").scalar_one() == 100
    finally:
        engine.dispose()


def test_processes_opening_a_new_sqlite_file_at_once_all_start(tmp_path: Path) -> None:
    # Web workers and upgrades start together; turning WAL on used to fail one of them
    # ("database is locked") instead of waiting for the other.
    for trial in range(30):
        url = f"sqlite:///{tmp_path / f'new{trial}.db'}"
        ready = threading.Barrier(6)

        def connect(url: str = url, ready: threading.Barrier = ready) -> str:
            engine = make_engine(url)
            ready.wait(timeout=10)
            try:
                with engine.begin() as connection:
                    connection.exec_driver_sql("CREATE TABLE IF NOT EXISTS t (x INTEGER)")
                    return str(connection.exec_driver_sql("PRAGMA journal_mode").scalar())
            finally:
                engine.dispose()

        with ThreadPoolExecutor(max_workers=6) as pool:
            modes = [f.result(timeout=60) for f in [pool.submit(connect) for _ in range(6)]]
        assert modes == ["wal"] * 6


def test_is_postgres_accepts_engine_connection_and_session(
    db_engine: Engine, session: Session
) -> None:
    with db_engine.connect() as connection:
        assert is_postgres(db_engine) == is_postgres(connection) == is_postgres(session)
    assert is_postgres(session) == IS_POSTGRES


def test_objects_stay_readable_after_commit(
    session_factory: sessionmaker[Session], now: datetime
) -> None:
    with session_factory() as session:
        contact, _, _ = contacts.find_or_create(session, "sms", "+447700900123", now)
        session.commit()
    # The session is closed; reading attributes must not need the database.
    assert isinstance(contact, Contact)
    assert contact.preferred_language == "en"


@requires_postgres
def test_postgres_connection_dropped_by_the_server_is_replaced(db_engine: Engine) -> None:
    with db_engine.connect() as connection:
        pid = connection.exec_driver_sql("SELECT pg_backend_pid()").scalar_one()
    other = make_engine(db_engine.url.render_as_string(hide_password=False))
    try:
        with other.connect() as killer:
            killer.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    finally:
        other.dispose()
    with db_engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT pg_backend_pid()").scalar_one() != pid

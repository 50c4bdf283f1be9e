"""Database fixtures shared by every test that touches storage.

The database under test is PostgreSQL when DATABASE_URL names one, else SQLite files in
tmp_path. Migrations run once per test session; each test starts from empty tables.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from storage.crypto import IdentifierCipher
from storage.db import make_engine, make_session_factory
from storage.migrate import upgrade
from tests.helpers import IS_POSTGRES, TEST_DATABASE_URL

# A fixed key for tests; set before any Settings is built, and inherited by `sendvoice` subprocesses.
TEST_ENCRYPTION_KEY = "zVJ3hVn3y5cL1xq0cQh7V1b0z2k4m6p8r0t2v4x6z8A="
os.environ.setdefault("DATA_ENCRYPTION_KEY", TEST_ENCRYPTION_KEY)


def _sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def _postgres_url() -> str:
    assert TEST_DATABASE_URL is not None
    return TEST_DATABASE_URL


@pytest.fixture(scope="session")
def _migrated_template(tmp_path_factory: pytest.TempPathFactory) -> str:
    """PostgreSQL: the URL of a freshly migrated database. SQLite: a migrated template file."""
    if IS_POSTGRES:
        url = _postgres_url()
        engine = create_engine(url)
        try:
            with engine.begin() as connection:
                connection.exec_driver_sql("DROP SCHEMA IF EXISTS public CASCADE")
                connection.exec_driver_sql("CREATE SCHEMA public")
        finally:
            engine.dispose()
        upgrade(url)
        return url
    path = tmp_path_factory.mktemp("db-template") / "template.db"
    upgrade(_sqlite_url(path))
    return str(path)


def _truncate_all(url: str) -> None:
    """Empty every table a test wrote to and restart every sequence it used.

    TRUNCATE took most of a second per test on a busy machine; most tests write to a few tables,
    and deleting a few rows is a hundred times quicker. Children go before their parents."""
    from storage.tables import metadata

    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            tables = connection.scalars(
                text(
                    "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
                    "AND tablename <> 'alembic_version'"
                )
            ).all()
            written = set(
                connection.scalars(
                    text(
                        " UNION ALL ".join(
                            f"SELECT '{name}' WHERE EXISTS (SELECT 1 FROM \"{name}\")"
                            for name in tables
                        )
                    )
                ).all()
                if tables
                else []
            )
            known = [t.name for t in reversed(metadata.sorted_tables)]
            unknown = written.difference(known)  # a table no model maps: the old, slow way
            if unknown:
                names = ", ".join(f'"{name}"' for name in sorted(unknown))
                connection.exec_driver_sql(f"TRUNCATE {names} CASCADE")
            for name in known:
                if name in written:
                    connection.exec_driver_sql(f'DELETE FROM "{name}"')
            used = connection.scalars(
                text(
                    "SELECT sequencename FROM pg_sequences "
                    "WHERE schemaname = current_schema() AND last_value IS NOT NULL"
                )
            ).all()
            for sequence in used:
                connection.exec_driver_sql(f'ALTER SEQUENCE "{sequence}" RESTART')
    finally:
        engine.dispose()


@pytest.fixture
def database_url(_migrated_template: str, tmp_path: Path) -> str:
    """A migrated database with empty tables, for this test only."""
    if IS_POSTGRES:
        _truncate_all(_migrated_template)
        return _migrated_template
    target = tmp_path / "sendvoice.db"
    shutil.copyfile(_migrated_template, target)
    return _sqlite_url(target)


@pytest.fixture
def empty_database_url(tmp_path: Path) -> Iterator[str]:
    """A database with no tables at all (not even alembic_version), for migration tests.

    On PostgreSQL this is a throwaway schema selected through search_path.
    """
    if not IS_POSTGRES:
        yield _sqlite_url(tmp_path / "empty.db")
        return
    base = _postgres_url()
    schema = f"sv_empty_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base)
    try:
        with admin.begin() as connection:
            connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
        url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
        yield url.render_as_string(hide_password=False)
        with admin.begin() as connection:
            connection.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
    finally:
        admin.dispose()


@pytest.fixture
def db_engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session_factory(db_engine: Engine) -> sessionmaker[Session]:
    return make_session_factory(db_engine, IdentifierCipher([os.environ["DATA_ENCRYPTION_KEY"]]))


@pytest.fixture
def session(session_factory: sessionmaker[Session]) -> Iterator[Session]:
    session = session_factory()
    yield session
    session.rollback()
    session.close()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-snapshots",
        action="store_true",
        default=False,
        help="rewrite snapshot files (engine transcripts) from the current behaviour",
    )

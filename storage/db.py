from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import ConnectionPoolEntry

from storage import sealed
from storage.crypto import SESSION_KEY, IdentifierCipher

DEFAULT_URL = "sqlite:///./sendvoice.db"

_SQLITE_BUSY_TIMEOUT_MS = 30_000


def database_url() -> str:
    return os.environ.get("DATABASE_URL") or DEFAULT_URL


def make_engine(url: str | None = None, **kw: Any) -> Engine:
    url = url or database_url()
    backend = make_url(url).get_backend_name()
    # A statement's parameters are message bodies, names and keyed hashes: SQLAlchemy would put
    # them into every error's text (and so into tracebacks in the logs) and into echo output.
    kw["hide_parameters"] = True
    if backend == "sqlite":
        _create_private(make_url(url).database)
        connect_args = {"check_same_thread": False, "timeout": _SQLITE_BUSY_TIMEOUT_MS / 1000}
        connect_args.update(kw.pop("connect_args", {}))
        engine = create_engine(url, connect_args=connect_args, **kw)
        _configure_sqlite(engine)
        return engine
    kw.setdefault("pool_pre_ping", True)
    return create_engine(url, **kw)


def _create_private(database: str | None) -> None:
    """Create a new SQLite file readable by its owner only, before SQLite creates it under the
    umask (usually world-readable). SQLite gives its -wal and -shm files the database's own mode.
    An existing file keeps the mode its owner chose."""
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    # Already there, or SQLite will say why it cannot open it.
    with contextlib.suppress(FileExistsError, FileNotFoundError, PermissionError):
        os.close(os.open(database, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
        # Take transaction control away from pysqlite so every transaction can start with
        # BEGIN IMMEDIATE below (SQLAlchemy's documented recipe).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            _use_wal(cursor)
            cursor.execute("PRAGMA foreign_keys=ON")
            # What is deleted (a forgotten person's rows, purged messages) is overwritten with
            # zeros in the file, not left in free pages for anyone reading it raw.
            cursor.execute("PRAGMA secure_delete=ON")
            cursor.execute(f"PRAGMA busy_timeout={_SQLITE_BUSY_TIMEOUT_MS}")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        # A deferred BEGIN lets two transactions read, then both try to upgrade to a write
        # lock and one fails with "database is locked". Taking the write lock up front makes
        # concurrent writers queue on busy_timeout instead.
        connection.exec_driver_sql("BEGIN IMMEDIATE")


@contextlib.contextmanager
def foreign_keys_off(connection: Connection) -> Iterator[None]:
    """For migrations on SQLite: batch mode rebuilds a table by dropping it, and with foreign keys
    on, SQLite cascades that drop to every child row (answers, codings, attendees). Off around the
    migration's transaction (the pragma cannot change inside one), then every reference checked."""
    if connection.dialect.name != "sqlite":
        yield
        return
    raw = connection.connection.driver_connection
    assert raw is not None
    raw.execute("PRAGMA foreign_keys=OFF")  # autocommit: outside any transaction
    try:
        yield
        broken = raw.execute("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise RuntimeError(f"the migration left {len(broken)} broken references")
    finally:
        raw.execute("PRAGMA foreign_keys=ON")


def _use_wal(cursor: Any) -> None:
    # WAL is kept in the file, so usually it is already on. Turning it on needs the database to
    # itself, and SQLite answers "locked" at once, without waiting on busy_timeout, when another
    # process is connecting at the same moment (two web workers starting, two upgrades): retry.
    if str(cursor.execute("PRAGMA journal_mode").fetchone()[0]).lower() == "wal":
        return
    deadline = time.monotonic() + _SQLITE_BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def make_session_factory(
    engine: Engine, cipher: IdentifierCipher | None = None
) -> sessionmaker[Session]:
    """Sessions carry the identifier cipher, so models can decrypt what they hold on access; the
    engine gets it too, for the encrypted columns (storage.sealed) of every statement it runs."""
    # Every mapped table, so that foreign keys between model modules resolve even when the caller
    # (a command that loads only what it uses) imported just one of them.
    from storage import tables  # noqa: F401

    if cipher is not None:
        sealed.attach(engine, cipher)
    return sessionmaker(bind=engine, expire_on_commit=False, info={SESSION_KEY: cipher})


def is_postgres(bind: Engine | Connection | Session) -> bool:
    if isinstance(bind, Session):
        return bind.get_bind().dialect.name == "postgresql"
    return bind.dialect.name == "postgresql"


_DEFER_FLUSH = "sendvoice.defer_flush"


def flush(session: Session) -> None:
    """Write pending changes now (ids assigned, constraints checked), unless the caller batches.

    A caller that writes for many people at once defers flushing (`deferred_flush`), so their
    inserts go out as one statement per table instead of one per row; ids are then assigned at
    its flush, and relationships carry the references until then.
    """
    if not session.info.get(_DEFER_FLUSH):
        session.flush()


@contextmanager
def deferred_flush(session: Session) -> Iterator[None]:
    before = session.info.get(_DEFER_FLUSH, False)
    session.info[_DEFER_FLUSH] = True
    try:
        yield
    finally:
        session.info[_DEFER_FLUSH] = before

"""Opening the database from a command: current schema, the encryption key, clear refusals."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import Clock, system_clock
from bot.config import Settings
from storage.crypto import EncryptionKeyError, IdentifierCipher
from storage.db import make_engine, make_session_factory
from storage.errors import SchemaOutOfDate
from storage.migrate import check_schema

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)


def require_cipher(settings: Settings) -> IdentifierCipher:
    try:
        return IdentifierCipher(settings.encryption_keys())
    except EncryptionKeyError as exc:
        click.echo(f"error: {exc}", err=True)
        raise SystemExit(2) from None


def require_current_schema(settings: Settings) -> None:
    # Alembic announces its migration context at INFO on every check; officers need not see it.
    logging.getLogger("alembic.runtime.migration").setLevel(logging.WARNING)
    engine = make_engine(settings.database_url)
    try:
        check_schema(engine)
    except SchemaOutOfDate as exc:
        click.echo(f"error: {exc}", err=True)
        raise SystemExit(2) from None
    finally:
        engine.dispose()


def open_services(settings: Settings, clock: Clock = system_clock) -> Services:
    """For long-running commands: refuse without a key or on an old schema, then build it all."""
    from bot.services import build_services  # the web and channel stack, only when running

    require_cipher(settings)  # identifiers are encrypted at rest: no key, no server
    require_current_schema(settings)
    services = build_services(settings, clock=clock)
    sync_flow_files(services)
    return services


def sync_flow_files(services: Services) -> None:
    """Every flow file that changed becomes a published version, so the database holds every
    version a conversation may run (bot.versions.sync)."""
    from bot.versions.live import refresh
    from bot.versions.sync import sync_files
    from flows.library import LIBRARY_DIR

    paths: list[str | Path] = [LIBRARY_DIR, *services.settings.flow_path_list()]
    with services.session_factory.begin() as session:
        report = sync_files(session, paths, now=services.clock())
        refresh(services.library, session)
    for flow_id, number in report.published:
        log.info("flow %s published as version %d from its file", flow_id, number)
    for problem in report.problems:
        log.warning("flow file not published: %s", problem)


def warn_at_start(services: Services) -> None:
    """Say at start-up what `sendvoice doctor` would: a server that starts quietly with no alert
    route leaves safeguarding alerts waiting for ever."""
    from bot.health import checks, log_problems  # only for the long-running commands

    found = checks(
        services.settings, services.engine, sendable=services.senders, now=services.clock()
    )
    if log_problems(found, log):
        log.warning("run `sendvoice doctor` for the whole report")


@contextmanager
def open_database(settings: Settings) -> Iterator[sessionmaker[Session]]:
    cipher = require_cipher(settings)
    require_current_schema(settings)
    engine = make_engine(settings.database_url)
    try:
        yield make_session_factory(engine, cipher)
    finally:
        engine.dispose()

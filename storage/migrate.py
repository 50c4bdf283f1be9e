from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text

from storage.crypto import EncryptionKeyError, IdentifierCipher
from storage.db import foreign_keys_off, is_postgres, make_engine
from storage.errors import SchemaOutOfDate

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

# Any constant works; it only has to be the same for every sendvoice process.
_PG_MIGRATION_LOCK = 0x5E4D_701CE


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    # Config values go through configparser interpolation; URL-encoded characters must survive.
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str, revision: str = "head", keys: Sequence[str] = ()) -> None:
    """`keys`: the encryption keys, for migrations that encrypt what is already stored (without
    them, DATA_ENCRYPTION_KEY from the environment)."""
    engine = make_engine(url)
    try:
        with (
            engine.connect() as connection,
            foreign_keys_off(connection),
            connection.begin(),
        ):
            if is_postgres(connection):
                # Two processes starting at once must not both create the tables.
                connection.execute(
                    text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK}
                )
            config = alembic_config(url)
            config.attributes["connection"] = connection
            config.attributes["encryption_keys"] = list(keys)
            command.upgrade(config, revision)
    finally:
        engine.dispose()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config("")).get_current_head()
    if head is None:  # pragma: no cover - the package always ships migrations
        raise RuntimeError("no migrations found")
    return head


def check_schema(engine: Engine) -> None:
    current = current_revision(engine)
    head = head_revision()
    if current == head:
        return
    script = ScriptDirectory.from_config(alembic_config(""))
    known = {rev.revision for rev in script.walk_revisions()}
    raise SchemaOutOfDate(current, head, newer=current is not None and current not in known)


def ensure_schema(url: str, keys: Sequence[str] = ()) -> None:
    engine = make_engine(url)
    try:
        if current_revision(engine) == head_revision():
            return
    finally:
        engine.dispose()
    upgrade(url, keys=keys)


def migration_cipher() -> IdentifierCipher | None:
    """For a migration that reads or writes encrypted columns: the keys the caller passed in the
    Alembic config ("encryption_keys"), else DATA_ENCRYPTION_KEY; None when there are none."""
    from alembic import op

    config = op.get_context().config
    keys = config.attributes.get("encryption_keys") if config is not None else None
    if not keys:
        keys = os.environ.get("DATA_ENCRYPTION_KEY", "").split(",")
    try:
        return IdentifierCipher(keys)
    except EncryptionKeyError:
        return None

"""A family's words are encrypted at rest: answers (every value and the reply as typed), message
bodies and provider errors, safeguarding flags (words, excerpts quoted in reasons, the lead's note).

Existing rows are encrypted here with the first key of DATA_ENCRYPTION_KEY (or the keys the caller
passes in the Alembic config's "encryption_keys" attribute); the downgrade decrypts them. A
database with rows to convert and no key refuses to migrate rather than guess.

Revision ID: 0013_encrypt_free_text
Revises: 0012_event_welsh_title
Create Date: 2026-12-02
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence

import sqlalchemy as sa
from alembic import op

from storage.crypto import EncryptionKeyError, IdentifierCipher
from storage.migrate import migration_cipher

revision: str = "0013_encrypt_free_text"
down_revision: str | None = "0012_event_welsh_title"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = [
    ("answers", "value"),
    ("answers", "raw_text"),
    ("messages", "body"),
    ("messages", "error_message"),
    ("safeguarding_flags", "text"),
    ("safeguarding_flags", "reasons"),
    ("safeguarding_flags", "acknowledge_note"),
]
# Stored as JSON until now: (table, column, nullable)
JSON_COLUMNS = [("answers", "value", True), ("safeguarding_flags", "reasons", False)]
BATCH = 1000


def _convert(table: str, column: str, change: Callable[[IdentifierCipher, str], str]) -> None:
    bind = op.get_bind()
    cipher: IdentifierCipher | None = None
    after = -1
    while True:
        rows = bind.execute(
            sa.text(
                f"SELECT id, {column} FROM {table} "  # noqa: S608 - names from COLUMNS above
                f"WHERE id > :after AND {column} IS NOT NULL ORDER BY id LIMIT {BATCH}"
            ),
            {"after": after},
        ).all()
        if not rows:
            return
        cipher = cipher or migration_cipher()
        if cipher is None:
            raise EncryptionKeyError(
                f"{table}.{column} holds people's words: set DATA_ENCRYPTION_KEY to migrate them"
            )
        bind.execute(
            sa.text(f"UPDATE {table} SET {column} = :v WHERE id = :id"),  # noqa: S608
            [{"id": row_id, "v": change(cipher, str(value))} for row_id, value in rows],
        )
        after = rows[-1][0]


def _retype(table: str, column: str, type_: sa.types.TypeEngine[object], nullable: bool) -> None:
    """Change a column's type without rebuilding the table: on SQLite a rebuild drops the table,
    and with foreign keys on that deletes or unlinks the rows that point at it."""
    if op.get_bind().dialect.name == "postgresql":
        name = "TEXT" if isinstance(type_, sa.Text) else "JSONB"
        op.execute(f"ALTER TABLE {table} ALTER COLUMN {column} TYPE {name} USING {column}::{name}")
        return
    spare = f"{column}_retyped"
    # SQLite adds a NOT NULL column only with a default; every row gets its value just below.
    default = None if nullable else sa.text("''")
    op.add_column(table, sa.Column(spare, type_, nullable=nullable, server_default=default))
    op.execute(f"UPDATE {table} SET {spare} = {column}")  # noqa: S608
    op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    op.execute(f"ALTER TABLE {table} RENAME COLUMN {spare} TO {column}")


def upgrade() -> None:
    for table, column, nullable in JSON_COLUMNS:
        _retype(table, column, sa.Text(), nullable)
    for table, column in COLUMNS:
        _convert(table, column, lambda cipher, v: cipher.encrypt(v))


def downgrade() -> None:
    for table, column in COLUMNS:
        _convert(table, column, lambda cipher, v: cipher.decrypt(v))
    for table, column, nullable in JSON_COLUMNS:
        _retype(table, column, sa.JSON(), nullable)

"""An index on every foreign key, so deleting a row never scans the tables that point at it.

Deleting a conversation, a message or a channel identity sets NULL in (or cascades to) the rows
that refer to it; without an index the database reads the whole referring table for each row
deleted, and a retention purge of two years' data would hold its locks for hours.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = [
    ("answers", "message_id"),
    ("messages", "identity_id"),
    ("follow_ups", "conversation_id"),
    ("safeguarding_flags", "conversation_id"),
    ("safeguarding_flags", "message_id"),
    ("themes", "created_by"),
    ("codings", "officer_id"),
    ("actions", "created_by"),
]


def upgrade() -> None:
    for table, column in INDEXES:
        op.create_index(f"ix_{table}_{column}", table, [column])


def downgrade() -> None:
    for table, column in reversed(INDEXES):
        op.drop_index(f"ix_{table}_{column}", table_name=table)

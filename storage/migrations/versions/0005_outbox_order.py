"""Each person's pending outbound messages by id, so every claim keeps them in order.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PENDING_OUT = "direction = 'out' AND status IN ('queued', 'sending')"


def upgrade() -> None:
    op.create_index(
        "ix_messages_pending_by_person",
        "messages",
        ["identity_id", "id"],
        postgresql_where=sa.text(PENDING_OUT),
        sqlite_where=sa.text(PENDING_OUT),
    )


def downgrade() -> None:
    op.drop_index("ix_messages_pending_by_person", table_name="messages")

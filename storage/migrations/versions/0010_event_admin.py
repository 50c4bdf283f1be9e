"""Events run from the dashboard: an event's follow-ups can be paused, and an event cancelled.

Revision ID: 0010_event_admin
Revises: 0009_to_read
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_event_admin"
down_revision: str | None = "0009_to_read"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_DATETIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.add_column(sa.Column("paused_at", UTC_DATETIME, nullable=True))
        batch.add_column(sa.Column("cancelled_at", UTC_DATETIME, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.drop_column("cancelled_at")
        batch.drop_column("paused_at")

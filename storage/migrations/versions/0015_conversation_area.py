"""A conversation's area is fixed when it starts, so every page scopes it the same way.

Revision ID: 0015_conversation_area
Revises: 0014_answered_by
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015_conversation_area"
down_revision: str | None = "0014_answered_by"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The same rule as storage.areas: the event's area, else the person's last attended event's.
BACKFILL = """
UPDATE conversations SET area = COALESCE(
    (SELECT events.area FROM events WHERE events.id = conversations.event_id),
    (SELECT e.area FROM attendees a JOIN events e ON e.id = a.event_id
      WHERE a.contact_id = conversations.contact_id AND e.area IS NOT NULL
      ORDER BY e.starts_at DESC, e.id DESC LIMIT 1)
)
"""


def upgrade() -> None:
    with op.batch_alter_table("conversations") as batch:
        batch.add_column(sa.Column("area", sa.String(64), nullable=True))
    op.create_index("ix_conversations_area", "conversations", ["area"])
    op.execute(BACKFILL)


def downgrade() -> None:
    op.drop_index("ix_conversations_area", table_name="conversations")
    with op.batch_alter_table("conversations") as batch:
        batch.drop_column("area")

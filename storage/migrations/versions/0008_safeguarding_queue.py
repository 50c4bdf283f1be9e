"""The safeguarding queue by area: each flag's area, the note on acknowledging it, re-alerts, the
SMS alert route, and officers who are designated safeguarding leads.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_DATETIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("safeguarding_flags") as batch:
        batch.add_column(sa.Column("area", sa.String(64), nullable=True))
        batch.add_column(sa.Column("acknowledge_note", sa.Text(), nullable=True))
        batch.add_column(sa.Column("realert_at", UTC_DATETIME, nullable=True))
        batch.add_column(sa.Column("realerts", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("sms_alerted_at", UTC_DATETIME, nullable=True))
        batch.create_index("ix_safeguarding_flags_area", ["area"])
        batch.create_index("ix_safeguarding_flags_realert_at", ["realert_at"])
    # Flags already raised take the area of the event their conversation came from.
    op.execute(
        "UPDATE safeguarding_flags SET area = (SELECT events.area FROM conversations "
        "JOIN events ON events.id = conversations.event_id "
        "WHERE conversations.id = safeguarding_flags.conversation_id)"
    )
    with op.batch_alter_table("officers") as batch:
        batch.add_column(
            sa.Column(
                "safeguarding_lead", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("officers") as batch:
        batch.drop_column("safeguarding_lead")
    with op.batch_alter_table("safeguarding_flags") as batch:
        batch.drop_index("ix_safeguarding_flags_realert_at")
        batch.drop_index("ix_safeguarding_flags_area")
        for column in ("sms_alerted_at", "realerts", "realert_at", "acknowledge_note", "area"):
            batch.drop_column(column)

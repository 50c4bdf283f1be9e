"""The audit log, safeguarding flags and alerts, and encrypted identifiers.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_DATETIME = sa.DateTime(timezone=True)
JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", UTC_DATETIME, nullable=False),
        sa.Column("actor", sa.String(120), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("subject", sa.String(200), nullable=True),
        sa.Column("detail", JSON, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_audit_log"),
    )
    op.create_index("ix_audit_log_at", "audit_log", ["at"])
    op.create_table(
        "safeguarding_flags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=True),
        sa.Column("conversation_id", sa.Integer(), nullable=True),
        sa.Column("message_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("category", sa.String(32), nullable=False),
        sa.Column("reasons", JSON, nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("alert_sent_at", UTC_DATETIME, nullable=True),
        sa.Column("alert_attempts", sa.Integer(), nullable=False),
        sa.Column("alert_next_at", UTC_DATETIME, nullable=True),
        sa.Column("alert_error", sa.String(200), nullable=True),
        sa.Column("acknowledged_at", UTC_DATETIME, nullable=True),
        sa.Column("acknowledged_by", sa.String(120), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_safeguarding_flags"),
        sa.ForeignKeyConstraint(["contact_id"], ["contacts.id"],
                                name="fk_safeguarding_flags_contact_id_contacts", ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["conversation_id"], ["conversations.id"],
                                name="fk_safeguarding_flags_conversation_id_conversations",
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["message_id"], ["messages.id"],
                                name="fk_safeguarding_flags_message_id_messages", ondelete="SET NULL"),
    )
    op.create_index("ix_safeguarding_flags_contact_id", "safeguarding_flags", ["contact_id"])
    op.create_index("ix_safeguarding_flags_created_at", "safeguarding_flags", ["created_at"])
    op.create_index("ix_safeguarding_flags_alert", "safeguarding_flags",
                    ["alert_sent_at", "alert_next_at"])


def downgrade() -> None:
    op.drop_table("safeguarding_flags")
    op.drop_table("audit_log")

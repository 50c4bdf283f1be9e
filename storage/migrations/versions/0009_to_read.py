"""No free text goes unread: every free-text answer and free message waits to be read by a person.

Revision ID: 0009_to_read
Revises: 0008
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_to_read"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_DATETIME = sa.DateTime(timezone=True)
MESSAGE_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "to_read",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=True),
        sa.Column("conversation_id", sa.Integer(), nullable=True),
        sa.Column("message_id", MESSAGE_ID, nullable=True),
        sa.Column("answer_id", sa.Integer(), nullable=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("area", sa.String(64), nullable=True),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("arrived_at", UTC_DATETIME, nullable=False),
        sa.Column("read_at", UTC_DATETIME, nullable=True),
        sa.Column("read_by", sa.String(120), nullable=True),
        sa.Column("reminded_at", UTC_DATETIME, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_to_read"),
        sa.ForeignKeyConstraint(
            ["contact_id"], ["contacts.id"], name="fk_to_read_contact_id_contacts", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.id"],
            name="fk_to_read_conversation_id_conversations",
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["message_id"], ["messages.id"], name="fk_to_read_message_id_messages", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["answer_id"], ["answers.id"], name="fk_to_read_answer_id_answers", ondelete="SET NULL"
        ),
    )
    op.create_index("ix_to_read_unread", "to_read", ["read_at", "area"])
    op.create_index("ix_to_read_contact_id", "to_read", ["contact_id"])
    op.create_index("ix_to_read_conversation_id", "to_read", ["conversation_id"])
    op.create_index("ix_to_read_answer_id", "to_read", ["answer_id"])
    op.create_index("ix_to_read_message_id", "to_read", ["message_id"])


def downgrade() -> None:
    op.drop_table("to_read")

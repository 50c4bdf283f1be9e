"""Contacts, channel identities, conversations, answers and the message log/outbox.

Revision ID: 0001
Revises:
Create Date: 2025-01-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Types are spelled out here rather than imported from storage.types so this migration
# keeps meaning the same thing if those types change later.
UTC_DATETIME = sa.DateTime(timezone=True)
MESSAGE_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def json(*, none_as_null: bool = False) -> sa.types.TypeEngine:
    return sa.JSON(none_as_null=none_as_null).with_variant(
        postgresql.JSONB(none_as_null=none_as_null), "postgresql"
    )


def upgrade() -> None:
    op.create_table(
        "contacts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pseudonym", sa.String(16), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("preferred_language", sa.String(8), nullable=False),
        sa.Column("preferred_channel", sa.String(16), nullable=True),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("display_name_enc", sa.Text(), nullable=True),
        sa.Column("age_band", sa.String(16), nullable=True),
        sa.Column("consent_at", UTC_DATETIME, nullable=True),
        sa.Column("consent_source", sa.String(64), nullable=True),
        sa.Column("lawful_basis", sa.String(64), nullable=True),
        sa.Column("notice_sent_at", UTC_DATETIME, nullable=True),
        sa.Column("opted_out_at", UTC_DATETIME, nullable=True),
        sa.Column("opt_out_channel", sa.String(16), nullable=True),
        sa.Column("erased_at", UTC_DATETIME, nullable=True),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("updated_at", UTC_DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_contacts"),
        sa.UniqueConstraint("pseudonym", name="uq_contacts_pseudonym"),
    )

    op.create_table(
        "channel_identities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("address_hash", sa.String(64), nullable=False),
        sa.Column("address_enc", sa.Text(), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_channel_identities"),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contacts.id"],
            name="fk_channel_identities_contact_id_contacts",
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint(
            "channel", "address_hash", name="uq_channel_identities_channel_address_hash"
        ),
    )
    op.create_index(
        "ix_channel_identities_contact_id", "channel_identities", ["contact_id"]
    )

    op.create_table(
        "conversations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("flow_id", sa.String(64), nullable=False),
        sa.Column("flow_version", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("state", json(), nullable=False),
        sa.Column("started_at", UTC_DATETIME, nullable=False),
        sa.Column("updated_at", UTC_DATETIME, nullable=False),
        sa.Column("ended_at", UTC_DATETIME, nullable=True),
        sa.Column("wake_at", UTC_DATETIME, nullable=True),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_conversations"),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contacts.id"],
            name="fk_conversations_contact_id_contacts",
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_conversations_contact_id", "conversations", ["contact_id"])
    op.create_index("ix_conversations_wake_at", "conversations", ["wake_at"])
    op.create_index(
        "uq_conversations_active_contact",
        "conversations",
        ["contact_id"],
        unique=True,
        sqlite_where=sa.text("status = 'active'"),
        postgresql_where=sa.text("status = 'active'"),
    )

    op.create_table(
        "messages",
        sa.Column("id", MESSAGE_ID, nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=True),
        sa.Column("conversation_id", sa.Integer(), nullable=True),
        sa.Column("identity_id", sa.Integer(), nullable=True),
        sa.Column("direction", sa.String(3), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("meta", json(), nullable=False),
        sa.Column("provider_id", sa.String(128), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("error_code", sa.String(32), nullable=True),
        sa.Column("error_message", sa.Text(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", UTC_DATETIME, nullable=True),
        sa.Column("segments", sa.Integer(), nullable=True),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("sent_at", UTC_DATETIME, nullable=True),
        sa.Column("status_updated_at", UTC_DATETIME, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_messages"),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contacts.id"],
            name="fk_messages_contact_id_contacts",
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.id"],
            name="fk_messages_conversation_id_conversations",
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["identity_id"],
            ["channel_identities.id"],
            name="fk_messages_identity_id_channel_identities",
            ondelete="SET NULL",
        ),
        sa.UniqueConstraint(
            "channel",
            "direction",
            "provider_id",
            name="uq_messages_channel_direction_provider_id",
        ),
    )
    op.create_index("ix_messages_contact_id", "messages", ["contact_id"])
    op.create_index(
        "ix_messages_outbox", "messages", ["direction", "status", "next_attempt_at"]
    )

    op.create_table(
        "answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("flow_id", sa.String(64), nullable=False),
        sa.Column("step_id", sa.String(64), nullable=False),
        sa.Column("value", json(none_as_null=True), nullable=True),
        sa.Column("special", sa.String(32), nullable=True),
        sa.Column("raw_text", sa.Text(), nullable=True),
        sa.Column("message_id", MESSAGE_ID, nullable=True),
        sa.Column("answered_at", UTC_DATETIME, nullable=False),
        sa.Column("updated_at", UTC_DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_answers"),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.id"],
            name="fk_answers_conversation_id_conversations",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contacts.id"],
            name="fk_answers_contact_id_contacts",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["messages.id"],
            name="fk_answers_message_id_messages",
            ondelete="SET NULL",
        ),
        sa.UniqueConstraint(
            "conversation_id", "step_id", name="uq_answers_conversation_id_step_id"
        ),
    )
    op.create_index("ix_answers_contact_id", "answers", ["contact_id"])
    op.create_index("ix_messages_conversation_id", "messages", ["conversation_id"])

    op.create_table(
        "delivery_receipts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("provider_id", sa.String(128), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("error_code", sa.String(32), nullable=True),
        sa.Column("received_at", UTC_DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_delivery_receipts"),
        sa.UniqueConstraint(
            "channel",
            "provider_id",
            "status",
            name="uq_delivery_receipts_channel_provider_id_status",
        ),
    )


def downgrade() -> None:
    op.drop_table("delivery_receipts")
    op.drop_index("ix_messages_conversation_id", table_name="messages")
    op.drop_table("answers")
    op.drop_table("messages")
    op.drop_table("conversations")
    op.drop_table("channel_identities")
    op.drop_table("contacts")

"""Events, their attendees, and the follow-up schedule.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_DATETIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(16), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("starts_at", UTC_DATETIME, nullable=False),
        sa.Column("ends_at", UTC_DATETIME, nullable=False),
        sa.Column("location", sa.String(200), nullable=True),
        sa.Column("area", sa.String(64), nullable=True),
        sa.Column("flow_id", sa.String(64), nullable=False),
        sa.Column("followup_delay_s", sa.Integer(), nullable=False),
        sa.Column("reminder_1_s", sa.Integer(), nullable=True),
        sa.Column("reminder_2_s", sa.Integer(), nullable=True),
        sa.Column("request_expires_s", sa.Integer(), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("updated_at", UTC_DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_events"),
        sa.UniqueConstraint("code", name="uq_events_code"),
    )
    op.create_index("ix_events_area", "events", ["area"])
    op.create_table(
        "attendees",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("consent", sa.Boolean(), nullable=False),
        sa.Column("source", sa.String(32), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_attendees"),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], name="fk_attendees_event_id_events",
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["contact_id"], ["contacts.id"],
                                name="fk_attendees_contact_id_contacts", ondelete="CASCADE"),
        sa.UniqueConstraint("event_id", "contact_id", name="uq_attendees_event_id_contact_id"),
    )
    op.create_index("ix_attendees_contact_id", "attendees", ["contact_id"])
    op.create_table(
        "follow_ups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("flow_id", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("due_at", UTC_DATETIME, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("reason", sa.String(200), nullable=True),
        sa.Column("conversation_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("updated_at", UTC_DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_follow_ups"),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], name="fk_follow_ups_event_id_events",
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["contact_id"], ["contacts.id"],
                                name="fk_follow_ups_contact_id_contacts", ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["conversation_id"], ["conversations.id"],
                                name="fk_follow_ups_conversation_id_conversations",
                                ondelete="SET NULL"),
        sa.UniqueConstraint("event_id", "contact_id", "kind",
                            name="uq_follow_ups_event_id_contact_id_kind"),
    )
    op.create_index("ix_follow_ups_contact_id", "follow_ups", ["contact_id"])
    op.create_index("ix_follow_ups_due", "follow_ups", ["status", "due_at"])


def downgrade() -> None:
    op.drop_table("follow_ups")
    op.drop_table("attendees")
    op.drop_table("events")

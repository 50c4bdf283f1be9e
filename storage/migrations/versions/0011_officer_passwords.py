"""Admin password resets (a temporary password to change at next sign-in), answers coded as
having no theme, and "you said, we did" updates recorded against the real event.

Revision ID: 0011_officer_passwords
Revises: 0010_event_admin
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_officer_passwords"
down_revision: str | None = "0010_event_admin"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_DATETIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("officers") as batch:
        batch.add_column(
            sa.Column(
                "must_change_password", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )
        batch.add_column(sa.Column("password_expires_at", UTC_DATETIME, nullable=True))
    op.create_table(
        "no_theme_marks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("answer_id", sa.Integer(), nullable=False),
        sa.Column("officer_id", sa.Integer(), nullable=True),
        sa.Column("at", UTC_DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_no_theme_marks"),
        sa.UniqueConstraint("answer_id", name="uq_no_theme_marks_answer_id"),
        sa.ForeignKeyConstraint(
            ["answer_id"],
            ["answers.id"],
            name="fk_no_theme_marks_answer_id_answers",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["officer_id"],
            ["officers.id"],
            name="fk_no_theme_marks_officer_id_officers",
            ondelete="SET NULL",
        ),
    )
    op.create_index("ix_no_theme_marks_officer_id", "no_theme_marks", ["officer_id"])
    op.create_table(
        "you_said_updates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("people", sa.Integer(), nullable=False),
        sa.Column("officer_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_you_said_updates"),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name="fk_you_said_updates_event_id_events",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["officer_id"],
            ["officers.id"],
            name="fk_you_said_updates_officer_id_officers",
            ondelete="SET NULL",
        ),
    )
    op.create_index("ix_you_said_updates_event_id", "you_said_updates", ["event_id"])
    op.create_index("ix_you_said_updates_officer_id", "you_said_updates", ["officer_id"])
    with op.batch_alter_table("follow_ups") as batch:
        batch.add_column(sa.Column("update_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            "fk_follow_ups_update_id_you_said_updates",
            "you_said_updates",
            ["update_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch.create_index("ix_follow_ups_update_id", ["update_id"])


def downgrade() -> None:
    with op.batch_alter_table("follow_ups") as batch:
        batch.drop_index("ix_follow_ups_update_id")
        batch.drop_constraint("fk_follow_ups_update_id_you_said_updates", type_="foreignkey")
        batch.drop_column("update_id")
    op.drop_table("you_said_updates")
    op.drop_table("no_theme_marks")
    with op.batch_alter_table("officers") as batch:
        batch.drop_column("password_expires_at")
        batch.drop_column("must_change_password")

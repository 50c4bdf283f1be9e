"""The officers' dashboard: officers, coding frames and codings, actions; event variables.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_DATETIME = sa.DateTime(timezone=True)
JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "officers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("areas", JSON, nullable=False),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("locked_until", UTC_DATETIME, nullable=True),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("last_login_at", UTC_DATETIME, nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_officers"),
        sa.UniqueConstraint("email", name="uq_officers_email"),
    )
    op.create_table(
        "themes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("flow_id", sa.String(64), nullable=False),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_themes"),
        sa.ForeignKeyConstraint(["created_by"], ["officers.id"],
                                name="fk_themes_created_by_officers", ondelete="SET NULL"),
        sa.UniqueConstraint("flow_id", "name", name="uq_themes_flow_id_name"),
    )
    op.create_table(
        "codings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("answer_id", sa.Integer(), nullable=False),
        sa.Column("theme_id", sa.Integer(), nullable=False),
        sa.Column("officer_id", sa.Integer(), nullable=True),
        sa.Column("at", UTC_DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_codings"),
        sa.ForeignKeyConstraint(["answer_id"], ["answers.id"],
                                name="fk_codings_answer_id_answers", ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["theme_id"], ["themes.id"],
                                name="fk_codings_theme_id_themes", ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["officer_id"], ["officers.id"],
                                name="fk_codings_officer_id_officers", ondelete="SET NULL"),
        sa.UniqueConstraint("answer_id", "theme_id", name="uq_codings_answer_id_theme_id"),
    )
    op.create_index("ix_codings_theme_id", "codings", ["theme_id"])
    op.create_table(
        "actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("theme_id", sa.Integer(), nullable=False),
        sa.Column("what", sa.Text(), nullable=False),
        sa.Column("owner", sa.String(120), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("date", sa.Date(), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("updated_at", UTC_DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_actions"),
        sa.ForeignKeyConstraint(["theme_id"], ["themes.id"], name="fk_actions_theme_id_themes"),
        sa.ForeignKeyConstraint(["created_by"], ["officers.id"],
                                name="fk_actions_created_by_officers", ondelete="SET NULL"),
    )
    op.create_index("ix_actions_theme_id", "actions", ["theme_id"])
    with op.batch_alter_table("events") as batch:
        batch.add_column(sa.Column("variables", JSON, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.drop_column("variables")
    op.drop_table("actions")
    op.drop_table("codings")
    op.drop_table("themes")
    op.drop_table("officers")

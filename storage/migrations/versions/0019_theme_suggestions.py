"""What officers decided about each suggested theme (accepted, merged, rejected), so a reload of
the suggested-themes page keeps their decisions.

Revision ID: 0019_theme_suggestions
Revises: 0016_published_quotes
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019_theme_suggestions"
down_revision: str | None = "0018_whatsapp"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "theme_suggestion_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("flow_id", sa.String(length=64), nullable=False),
        sa.Column("step_id", sa.String(length=64), nullable=False),
        sa.Column("suggestion", sa.String(length=64), nullable=False),
        sa.Column("decision", sa.String(length=16), nullable=False),
        sa.Column("theme_id", sa.Integer(), nullable=True),
        sa.Column("officer_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_theme_suggestion_decisions"),
        sa.ForeignKeyConstraint(
            ["theme_id"],
            ["themes.id"],
            name="fk_theme_suggestion_decisions_theme_id_themes",
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["officer_id"],
            ["officers.id"],
            name="fk_theme_suggestion_decisions_officer_id_officers",
            ondelete="SET NULL",
        ),
        sa.UniqueConstraint(
            "flow_id",
            "step_id",
            "suggestion",
            name="uq_theme_suggestion_decisions_flow_id_step_id_suggestion",
        ),
    )
    op.create_index(
        "ix_theme_suggestion_decisions_theme_id", "theme_suggestion_decisions", ["theme_id"]
    )
    op.create_index(
        "ix_theme_suggestion_decisions_officer_id", "theme_suggestion_decisions", ["officer_id"]
    )


def downgrade() -> None:
    op.drop_table("theme_suggestion_decisions")

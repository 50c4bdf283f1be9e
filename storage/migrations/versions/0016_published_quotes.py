"""Quotes an officer approved for the public "we asked, you said, we did" page.

Revision ID: 0016_published_quotes
Revises: 0015_conversation_area
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016_published_quotes"
down_revision: str | None = "0015_conversation_area"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "published_quotes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("answer_id", sa.Integer(), nullable=False),
        sa.Column("theme_id", sa.Integer(), nullable=False),
        sa.Column("approved_by", sa.Integer(), nullable=True),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_published_quotes"),
        sa.ForeignKeyConstraint(
            ["answer_id"],
            ["answers.id"],
            name="fk_published_quotes_answer_id_answers",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["theme_id"],
            ["themes.id"],
            name="fk_published_quotes_theme_id_themes",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["approved_by"],
            ["officers.id"],
            name="fk_published_quotes_approved_by_officers",
            ondelete="SET NULL",
        ),
        sa.UniqueConstraint("answer_id", "theme_id", name="uq_published_quotes_answer_id_theme_id"),
    )
    op.create_index("ix_published_quotes_answer_id", "published_quotes", ["answer_id"])
    op.create_index("ix_published_quotes_theme_id", "published_quotes", ["theme_id"])
    op.create_index("ix_published_quotes_approved_by", "published_quotes", ["approved_by"])


def downgrade() -> None:
    op.drop_table("published_quotes")

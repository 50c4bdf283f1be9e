"""Dashboard sessions kept in the database (so they can be ended), and sign-in throttles.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_DATETIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "officer_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("officer_id", sa.Integer(), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("last_seen_at", UTC_DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_officer_sessions"),
        sa.ForeignKeyConstraint(["officer_id"], ["officers.id"],
                                name="fk_officer_sessions_officer_id_officers", ondelete="CASCADE"),
        sa.UniqueConstraint("token_hash", name="uq_officer_sessions_token_hash"),
    )
    op.create_index("ix_officer_sessions_officer_id", "officer_sessions", ["officer_id"])
    op.create_table(
        "login_throttles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("window_started_at", UTC_DATETIME, nullable=False),
        sa.Column("blocked_until", UTC_DATETIME, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_login_throttles"),
        sa.UniqueConstraint("key", name="uq_login_throttles_key"),
    )


def downgrade() -> None:
    op.drop_table("login_throttles")
    op.drop_table("officer_sessions")

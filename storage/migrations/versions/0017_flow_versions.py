"""Flow versions and drafts kept in the database, and officers who may write flows ("author").

Revision ID: 0017_flow_versions
Revises: 0016_published_quotes
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0017_flow_versions"
down_revision: str | None = "0016_published_quotes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_DATETIME = sa.DateTime(timezone=True)
JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("officers") as batch:
        batch.add_column(sa.Column("author", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_table(
        "flow_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("flow_id", sa.String(64), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("yaml_text", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("published_at", UTC_DATETIME, nullable=False),
        sa.Column("published_by", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_flow_versions"),
        sa.UniqueConstraint("flow_id", "number", name="uq_flow_versions_flow_id_number"),
        sa.ForeignKeyConstraint(
            ["published_by"],
            ["officers.id"],
            name="fk_flow_versions_published_by_officers",
            ondelete="SET NULL",
        ),
    )
    op.create_index("ix_flow_versions_published_by", "flow_versions", ["published_by"])
    op.create_table(
        "flow_drafts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("flow_id", sa.String(64), nullable=False),
        sa.Column("yaml_text", sa.Text(), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("report", JSON, nullable=True),
        sa.Column("updated_at", UTC_DATETIME, nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_flow_drafts"),
        sa.UniqueConstraint("flow_id", name="uq_flow_drafts_flow_id"),
        sa.ForeignKeyConstraint(
            ["updated_by"],
            ["officers.id"],
            name="fk_flow_drafts_updated_by_officers",
            ondelete="SET NULL",
        ),
    )
    op.create_index("ix_flow_drafts_updated_by", "flow_drafts", ["updated_by"])


def downgrade() -> None:
    op.drop_table("flow_drafts")
    op.drop_table("flow_versions")
    with op.batch_alter_table("officers") as batch:
        batch.drop_column("author")

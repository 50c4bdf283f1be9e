"""Export files written to disk are recorded (where, when, whose data), so that erasing a person
deletes every file that holds them.

Revision ID: 0013b_export_files
Revises: 0013_encrypt_free_text
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013b_export_files"
down_revision: str | None = "0013_encrypt_free_text"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_DATETIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "export_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("identified", sa.Boolean(), nullable=False),
        sa.Column("actor", sa.String(120), nullable=False),
        sa.Column("written_at", UTC_DATETIME, nullable=False),
        sa.Column("removed_at", UTC_DATETIME, nullable=True),
        sa.Column("removed_because", sa.String(32), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_export_files"),
    )
    op.create_index("ix_export_files_written_at", "export_files", ["written_at"])
    op.create_table(
        "export_file_contacts",
        sa.Column("file_id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("file_id", "contact_id", name="pk_export_file_contacts"),
        sa.ForeignKeyConstraint(
            ["file_id"],
            ["export_files.id"],
            name="fk_export_file_contacts_file_id_export_files",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contacts.id"],
            name="fk_export_file_contacts_contact_id_contacts",
            ondelete="CASCADE",
        ),
    )
    op.create_index(
        "ix_export_file_contacts_contact_id", "export_file_contacts", ["contact_id"]
    )


def downgrade() -> None:
    op.drop_table("export_file_contacts")
    op.drop_table("export_files")

"""An event's Welsh title, used in the texts Welsh readers get.

Revision ID: 0012_event_welsh_title
Revises: 0011_officer_passwords
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012_event_welsh_title"
down_revision: str | None = "0011_officer_passwords"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.add_column(sa.Column("title_cy", sa.String(200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.drop_column("title_cy")

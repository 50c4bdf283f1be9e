"""WhatsApp: each channel identity keeps its opt-in (when and from where) and, for WhatsApp,
the 24-hour window (the person's last message) and when a template last asked to reopen it.

Revision ID: 0018_whatsapp
Revises: 0016_published_quotes
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018_whatsapp"
down_revision: str | None = "0017_flow_versions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Every identity that exists today came with consent to that channel: an import with consent, a
# first message, or a deep link. Its creation is when.
BACKFILL = """
UPDATE channel_identities SET opted_in_at = created_at, opt_in_source = 'before_whatsapp'
"""


def upgrade() -> None:
    with op.batch_alter_table("channel_identities") as batch:
        batch.add_column(sa.Column("opted_in_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("opt_in_source", sa.String(32), nullable=True))
        batch.add_column(sa.Column("last_inbound_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("window_asked_at", sa.DateTime(timezone=True), nullable=True))
    op.execute(BACKFILL)


def downgrade() -> None:
    with op.batch_alter_table("channel_identities") as batch:
        batch.drop_column("window_asked_at")
        batch.drop_column("last_inbound_at")
        batch.drop_column("opt_in_source")
        batch.drop_column("opted_in_at")

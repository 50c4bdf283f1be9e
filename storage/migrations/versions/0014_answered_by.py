"""Who answered: one value per conversation (self, with_help, for_them, unknown).

The ehcp_experience flow asked it as its own last question (`who_answered`: myself, with_help,
on_behalf); those answers move into the new column and leave the answers table, so the same
fact is never counted twice. Downgrading puts them back as answers of that question.

Revision ID: 0014_answered_by
Revises: 0013b_export_files
Create Date: 2026-12-02
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

from storage.crypto import EncryptionKeyError
from storage.migrate import migration_cipher

revision: str = "0014_answered_by"
down_revision: str | None = "0013b_export_files"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FLOW = "ehcp_experience"
OLD_STEP = "who_answered"
OLD_TO_NEW = {"myself": "self", "with_help": "with_help", "on_behalf": "for_them"}
NEW_TO_OLD = {new: old for old, new in OLD_TO_NEW.items()}

conversations = sa.table(
    "conversations",
    sa.column("id", sa.Integer()),
    sa.column("contact_id", sa.Integer()),
    sa.column("flow_id", sa.String()),
    sa.column("updated_at", sa.DateTime(timezone=True)),
    sa.column("answered_by", sa.String()),
)
answers = sa.table(
    "answers",
    sa.column("id", sa.Integer()),
    sa.column("conversation_id", sa.Integer()),
    sa.column("contact_id", sa.Integer()),
    sa.column("flow_id", sa.String()),
    sa.column("step_id", sa.String()),
    sa.column("value", sa.Text()),  # encrypted JSON since 0013
    sa.column("special", sa.String()),
    sa.column("answered_at", sa.DateTime(timezone=True)),
    sa.column("updated_at", sa.DateTime(timezone=True)),
)


def upgrade() -> None:
    op.add_column("conversations", sa.Column("answered_by", sa.String(16), nullable=True))
    bind = op.get_bind()
    old = bind.execute(
        sa.select(answers.c.id, answers.c.conversation_id, answers.c.value, answers.c.special).where(
            answers.c.flow_id == FLOW, answers.c.step_id == OLD_STEP
        )
    ).all()
    cipher = migration_cipher() if old else None
    if old and cipher is None:
        raise EncryptionKeyError("answers are encrypted: set DATA_ENCRYPTION_KEY to migrate them")
    for _id, conversation_id, value, special in old:
        assert cipher is not None
        plain = None if value is None else json.loads(cipher.decrypt(value))
        new = OLD_TO_NEW.get(plain, "unknown") if special is None else "unknown"
        bind.execute(
            conversations.update()
            .where(conversations.c.id == conversation_id)
            .values(answered_by=new)
        )
    if old:
        bind.execute(answers.delete().where(answers.c.id.in_([row[0] for row in old])))


def downgrade() -> None:
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(
            conversations.c.id,
            conversations.c.contact_id,
            conversations.c.updated_at,
            conversations.c.answered_by,
        ).where(conversations.c.flow_id == FLOW, conversations.c.answered_by.is_not(None))
    ).all()
    cipher = migration_cipher() if rows else None
    if rows and cipher is None:
        raise EncryptionKeyError("answers are encrypted: set DATA_ENCRYPTION_KEY to migrate them")
    for conversation_id, contact_id, updated_at, answered_by in rows:
        assert cipher is not None
        old = NEW_TO_OLD.get(answered_by)
        when = updated_at or datetime.now(UTC)
        bind.execute(
            answers.insert().values(
                conversation_id=conversation_id,
                contact_id=contact_id,
                flow_id=FLOW,
                step_id=OLD_STEP,
                value=None if old is None else cipher.encrypt(json.dumps(old)),
                special=None if old is not None else "skip",
                answered_at=when,
                updated_at=when,
            )
        )
    op.drop_column("conversations", "answered_by")

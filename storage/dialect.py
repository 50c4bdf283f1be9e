from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from storage.errors import UnsupportedDatabase

Insert = postgresql.Insert | sqlite.Insert


def insert(session: Session, entity: Any) -> Insert:
    """An INSERT that supports ON CONFLICT on the session's database."""
    return insert_for(session.get_bind().dialect.name, entity)


def insert_for(name: str, entity: Any) -> Insert:
    """The same for a dialect by name, for statements built once and reused."""
    if name == "postgresql":
        return postgresql.insert(entity)
    if name == "sqlite":
        return sqlite.insert(entity)
    raise UnsupportedDatabase(name)

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from storage.errors import UnsupportedDatabase

Insert = postgresql.Insert | sqlite.Insert


def insert(session: Session, entity: Any) -> Insert:
    """An INSERT that supports ON CONFLICT on the session's database."""
    name = session.get_bind().dialect.name
    if name == "postgresql":
        return postgresql.insert(entity)
    if name == "sqlite":
        return sqlite.insert(entity)
    raise UnsupportedDatabase(name)

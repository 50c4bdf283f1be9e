"""Flow versions and drafts: every published definition of a flow is kept, word for word.

Registered on `storage.base.Base` beside the other tables; `storage.tables` imports it.
The YAML is not personal data (it is what the council asks), so it is stored in clear.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal, get_args

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base
from storage.types import UTCDateTime, json_type

# Where a version's YAML came from: a file in FLOW_PATHS or the bundled library, the dashboard's
# editor, a YAML file uploaded in the dashboard, or a RapidPro/TextIt export run through the importer.
VersionSource = Literal["file", "editor", "upload", "rapidpro"]
VERSION_SOURCES: tuple[str, ...] = get_args(VersionSource)


class FlowVersion(Base):
    """One published version of a flow. Never changed or deleted: conversations started on it
    run it to the end, and answers name it."""

    __tablename__ = "flow_versions"
    __table_args__ = (UniqueConstraint("flow_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    flow_id: Mapped[str] = mapped_column(String(64))
    number: Mapped[int] = mapped_column(Integer)
    yaml_text: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(16))
    published_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # None when no officer published it (a file, the command line).
    published_by: Mapped[int | None] = mapped_column(
        ForeignKey("officers.id", ondelete="SET NULL"), index=True
    )


class FlowDraft(Base):
    """Work in progress on a flow, one per flow: saved as often as wanted, published by an admin."""

    __tablename__ = "flow_drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    flow_id: Mapped[str] = mapped_column(String(64), unique=True)
    yaml_text: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(16))
    # What an import could not map, and where (a RapidPro upload), for whoever finishes the draft.
    report: Mapped[list[Any] | None] = mapped_column(json_type(none_as_null=True))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_by: Mapped[int | None] = mapped_column(
        ForeignKey("officers.id", ondelete="SET NULL"), index=True
    )

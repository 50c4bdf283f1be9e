"""What the officers' dashboard keeps: officers, their sessions and failed sign-ins, the coding
frame, codings, and "we did" actions.

Registered on `storage.base.Base` beside the tables of `storage.models`; `storage.tables` imports
both when the whole schema is needed (migrations, checks).
"""

from __future__ import annotations

import datetime as dt
from datetime import datetime
from typing import Literal, get_args

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base
from storage.types import UTCDateTime, json_type

OfficerRole = Literal["admin", "officer", "viewer"]
ActionStatus = Literal["planned", "in_progress", "done"]
OFFICER_ROLES: tuple[str, ...] = get_args(OfficerRole)
ACTION_STATUSES: tuple[str, ...] = get_args(ActionStatus)
# An officer whose areas include this sees every area, and responses that have no area at all.
ALL_AREAS = "*"


class Officer(Base):
    __tablename__ = "officers"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)  # stored lower-cased
    password_hash: Mapped[str] = mapped_column(String(255))  # argon2id, with its parameters
    role: Mapped[str] = mapped_column(String(16))
    areas: Mapped[list[str]] = mapped_column(json_type(), default=list)
    # Unused since failed sign-ins are counted per client address (storage.login_throttle); kept
    # because SQLite can drop a column only by rebuilding a table other tables point at.
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # A designated safeguarding lead sees and acknowledges every area's flags.
    safeguarding_lead: Mapped[bool] = mapped_column(Boolean, default=False)
    # May write flows in the dashboard (drafts, uploads); publishing stays with admins.
    author: Mapped[bool] = mapped_column(Boolean, default=False)
    # Set when an admin resets the password: the temporary one works once, to choose a new one,
    # and not after password_expires_at.
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    password_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class OfficerSession(Base):
    """One signed-in browser. Its cookie carries a random token and only the token's SHA-256 is
    kept here, so a copy of this table signs no one in; deleting the row ends the session."""

    __tablename__ = "officer_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    officer_id: Mapped[int] = mapped_column(
        ForeignKey("officers.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime())


class LoginThrottle(Base):
    """Failed sign-ins counted under one key: a client address, or an account from one address.

    The key is a SHA-256 (of "client <address>" or "account <id> <address>"), so the table keeps
    neither addresses nor the emails people tried.
    """

    __tablename__ = "login_throttles"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    window_started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    blocked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Theme(Base):
    """One heading of a flow's coding frame ("travel", "childcare"), for tagging free-text answers."""

    __tablename__ = "themes"
    __table_args__ = (UniqueConstraint("flow_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    flow_id: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(80))
    description: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[int | None] = mapped_column(
        ForeignKey("officers.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Coding(Base):
    """A theme tagged on one free-text answer; erasing the answer erases its tags."""

    __tablename__ = "codings"
    __table_args__ = (UniqueConstraint("answer_id", "theme_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int] = mapped_column(ForeignKey("answers.id", ondelete="CASCADE"))
    theme_id: Mapped[int] = mapped_column(ForeignKey("themes.id", ondelete="CASCADE"), index=True)
    officer_id: Mapped[int | None] = mapped_column(
        ForeignKey("officers.id", ondelete="SET NULL"), index=True
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class NoTheme(Base):
    """An answer an officer read and found nothing to code in ("ok", "thanks"): coded, no theme."""

    __tablename__ = "no_theme_marks"

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int] = mapped_column(
        ForeignKey("answers.id", ondelete="CASCADE"), unique=True
    )
    officer_id: Mapped[int | None] = mapped_column(
        ForeignKey("officers.id", ondelete="SET NULL"), index=True
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class Action(Base):
    """What the council did about a theme: the "we did" of "you said, we did"."""

    __tablename__ = "actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    # No cascade: a theme with actions against it is part of the record and is never deleted.
    theme_id: Mapped[int] = mapped_column(ForeignKey("themes.id"), index=True)
    what: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(120))
    status: Mapped[str] = mapped_column(String(16), default="planned")
    date: Mapped[dt.date | None] = mapped_column(Date)  # done on, or due by
    created_by: Mapped[int | None] = mapped_column(
        ForeignKey("officers.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class PublishedQuote(Base):
    """An answer an officer approved for the public "we asked, you said, we did" page, under one
    theme. Erasing the answer (forget, purge) takes the approval with it."""

    __tablename__ = "published_quotes"
    __table_args__ = (UniqueConstraint("answer_id", "theme_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int] = mapped_column(ForeignKey("answers.id", ondelete="CASCADE"), index=True)
    theme_id: Mapped[int] = mapped_column(ForeignKey("themes.id", ondelete="CASCADE"), index=True)
    approved_by: Mapped[int | None] = mapped_column(
        ForeignKey("officers.id", ondelete="SET NULL"), index=True
    )
    approved_at: Mapped[datetime] = mapped_column(UTCDateTime())


class YouSaidUpdate(Base):
    """One "you said, we did" update about an event: what it said, who planned it, for how many.

    The requests themselves are the event's follow-up rows that name this update."""

    __tablename__ = "you_said_updates"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    summary: Mapped[str] = mapped_column(Text)
    people: Mapped[int] = mapped_column(Integer)
    officer_id: Mapped[int | None] = mapped_column(
        ForeignKey("officers.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any, Literal, get_args

from sqlalchemy import (
    BigInteger,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, object_session, relationship

from storage.base import Base
from storage.crypto import IdentifierCipher, cipher_of
from storage.sealed import SealedJSON, SealedText
from storage.types import UTCDateTime, json_type

# "staff": a safeguarding lead's own number, which alerts are sent to; never surveyed or counted.
Role = Literal["parent", "young_person", "unknown", "staff"]
# "paused": a safeguarding flag stopped the survey until a person has read what was said.
ConversationStatus = Literal["active", "completed", "stopped", "expired", "paused"]
Direction = Literal["in", "out"]
# "held": waiting for a WhatsApp window to open; "read": WhatsApp's blue ticks.
MessageStatus = Literal[
    "received",
    "queued",
    "sending",
    "held",
    "sent",
    "delivered",
    "read",
    "undelivered",
    "failed",
    "cancelled",
]
# Who gave a conversation's answers (the engine's built-in question; see flows/who_answered.py).
AnsweredBy = Literal["self", "with_help", "for_them", "unknown"]
ROLES: frozenset[str] = frozenset(get_args(Role))
ANSWERED_BY: frozenset[str] = frozenset(get_args(AnsweredBy))
CONVERSATION_STATUSES: frozenset[str] = frozenset(get_args(ConversationStatus))

ACTIVE_ONLY = text("status = 'active'")


def new_pseudonym() -> str:
    return secrets.token_hex(8)


# No 0/o, 1/l/i, and no "-" or "_": codes are read off posters, typed, and passed on command lines.
_CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def new_event_code() -> str:
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(10))


class Contact(Base):
    __tablename__ = "contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    pseudonym: Mapped[str] = mapped_column(String(16), unique=True, default=new_pseudonym)
    role: Mapped[str] = mapped_column(String(16), default="unknown")
    preferred_language: Mapped[str] = mapped_column(String(8), default="en")
    preferred_channel: Mapped[str | None] = mapped_column(String(16))
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/London")
    display_name_enc: Mapped[str | None] = mapped_column(Text)  # the name, encrypted
    age_band: Mapped[str | None] = mapped_column(String(16))
    consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    consent_source: Mapped[str | None] = mapped_column(String(64))
    lawful_basis: Mapped[str | None] = mapped_column(String(64))
    notice_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    opted_out_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    opt_out_channel: Mapped[str | None] = mapped_column(String(16))
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # identifiers removed
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())

    @property
    def display_name(self) -> str | None:
        if self.display_name_enc is None:
            return None
        return cipher_of(object_session(self)).decrypt(self.display_name_enc)

    def set_display_name(self, name: str | None, cipher: IdentifierCipher) -> None:
        self.display_name_enc = cipher.encrypt(name) if name else None


class ChannelIdentity(Base):
    """Where a contact is reached on one channel. The address (a phone number or a Telegram chat
    id) is stored encrypted; the keyed hash finds it (see storage.crypto)."""

    __tablename__ = "channel_identities"
    __table_args__ = (UniqueConstraint("channel", "address_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), index=True
    )
    channel: Mapped[str] = mapped_column(String(16))
    address_hash: Mapped[str] = mapped_column(String(64))
    address_enc: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # Consent to be messaged on this channel, and how it was given ("import", "wa_link", ...).
    opted_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    opt_in_source: Mapped[str | None] = mapped_column(String(32))
    # WhatsApp's 24-hour window runs from the person's last message; outside it only an approved
    # template may go, and `window_asked_at` says one went (bot.channels.whatsapp.window).
    last_inbound_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    window_asked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    @property
    def address(self) -> str:
        return cipher_of(object_session(self)).decrypt(self.address_enc)


class Conversation(Base):
    __tablename__ = "conversations"
    __table_args__ = (
        Index(
            "uq_conversations_active_contact",
            "contact_id",
            unique=True,
            sqlite_where=ACTIVE_ONLY,
            postgresql_where=ACTIVE_ONLY,
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), index=True
    )
    flow_id: Mapped[str] = mapped_column(String(64))
    flow_version: Mapped[int] = mapped_column(Integer)
    language: Mapped[str] = mapped_column(String(8))
    channel: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    state: Mapped[dict[str, Any]] = mapped_column(json_type())
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    wake_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    event_id: Mapped[int | None] = mapped_column(Integer)
    # Fixed at the start (storage.areas); officers see the conversation only in this area.
    area: Mapped[str | None] = mapped_column(String(64), index=True)
    # Who gave the answers: self, with_help, for_them, unknown (asked, not said); None: not asked.
    answered_by: Mapped[str | None] = mapped_column(String(16))


class Answer(Base):
    __tablename__ = "answers"
    __table_args__ = (UniqueConstraint("conversation_id", "step_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"))
    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), index=True
    )
    flow_id: Mapped[str] = mapped_column(String(64))
    step_id: Mapped[str] = mapped_column(String(64))
    # Encrypted, every kind of answer: a free-text answer may hold names, places, anything.
    value: Mapped[Any | None] = mapped_column(SealedJSON())
    special: Mapped[str | None] = mapped_column(String(32))
    raw_text: Mapped[str | None] = mapped_column(SealedText())  # the reply as typed
    message_id: Mapped[int | None] = mapped_column(
        ForeignKey("messages.id", ondelete="SET NULL"), index=True
    )
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


_PENDING_OUT = "direction = 'out' AND status IN ('queued', 'sending')"


class Message(Base):
    __tablename__ = "messages"
    __table_args__ = (
        # NULL provider ids are distinct on both databases, so queued rows coexist.
        UniqueConstraint("channel", "direction", "provider_id"),
        Index("ix_messages_outbox", "direction", "status", "next_attempt_at"),
        # Each claim reads the pending messages of the people it claims for (their order).
        Index(
            "ix_messages_pending_by_person",
            "identity_id",
            "id",
            postgresql_where=text(_PENDING_OUT),
            sqlite_where=text(_PENDING_OUT),
        ),
    )

    # SQLite only auto-increments a column declared exactly INTEGER PRIMARY KEY.
    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer(), "sqlite"), primary_key=True
    )
    contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("contacts.id", ondelete="SET NULL"), index=True
    )
    conversation_id: Mapped[int | None] = mapped_column(
        ForeignKey("conversations.id", ondelete="SET NULL"), index=True
    )
    identity_id: Mapped[int | None] = mapped_column(
        ForeignKey("channel_identities.id", ondelete="SET NULL"), index=True
    )
    direction: Mapped[str] = mapped_column(String(3))
    channel: Mapped[str] = mapped_column(String(16))
    body: Mapped[str] = mapped_column(SealedText())  # a family's words, or a text naming them
    meta: Mapped[dict[str, Any]] = mapped_column(json_type(), default=dict)
    provider_id: Mapped[str | None] = mapped_column(String(128))
    status: Mapped[str] = mapped_column(String(16))
    error_code: Mapped[str | None] = mapped_column(String(32))
    # A provider's words about a failure may quote the number.
    error_message: Mapped[str | None] = mapped_column(SealedText())
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    segments: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    status_updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    # Set when queuing a reply to a conversation not yet written; never loaded (raise_on_sql).
    conversation: Mapped[Conversation | None] = relationship(lazy="raise_on_sql")


class DeliveryReceipt(Base):
    """Each (message, status) a provider reported, once: callbacks are retried and arrive out of order."""

    __tablename__ = "delivery_receipts"
    __table_args__ = (UniqueConstraint("channel", "provider_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    provider_id: Mapped[str] = mapped_column(String(128))
    status: Mapped[str] = mapped_column(String(16))
    error_code: Mapped[str | None] = mapped_column(String(32))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Event(Base):
    """An engagement event (workshop, coffee morning, EHC plan review...) and its follow-up plan."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Short, unguessable and URL-safe: goes into Telegram deep links and on posters.
    code: Mapped[str] = mapped_column(String(16), unique=True, default=lambda: new_event_code())
    title: Mapped[str] = mapped_column(String(200))
    # What Welsh readers are told it is called; the title when empty.
    title_cy: Mapped[str | None] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(32))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    location: Mapped[str | None] = mapped_column(String(200))
    area: Mapped[str | None] = mapped_column(String(64), index=True)
    flow_id: Mapped[str] = mapped_column(String(64))
    followup_delay_s: Mapped[int] = mapped_column(Integer, default=24 * 3600)
    reminder_1_s: Mapped[int | None] = mapped_column(Integer)  # after the initial request
    reminder_2_s: Mapped[int | None] = mapped_column(Integer)
    request_expires_s: Mapped[int] = mapped_column(Integer, default=14 * 24 * 3600)
    # Extra context for the flow's declared variables (you_said_we_did's actions_summary).
    variables: Mapped[dict[str, str] | None] = mapped_column(json_type(none_as_null=True))
    # While paused the scheduler sends none of its follow-ups; they go when it is resumed.
    paused_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # A cancelled event keeps its attendees (they count) but its follow-ups are cancelled.
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Attendee(Base):
    __tablename__ = "attendees"
    __table_args__ = (UniqueConstraint("event_id", "contact_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(16))
    consent: Mapped[bool] = mapped_column(Boolean, default=False)
    source: Mapped[str] = mapped_column(String(32))  # "import", "deep_link", "dashboard"
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class FollowUp(Base):
    """One scheduled request to one person: the rows are the schedule, and say why one was skipped."""

    __tablename__ = "follow_ups"
    __table_args__ = (
        # Never ask the same person the same thing twice for one event.
        UniqueConstraint("event_id", "contact_id", "kind"),
        Index("ix_follow_ups_due", "status", "due_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), index=True
    )
    flow_id: Mapped[str] = mapped_column(String(64))
    # "initial", "reminder_1", "reminder_2", or "update_<id>" for a "you said, we did" update
    kind: Mapped[str] = mapped_column(String(16))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # pending -> sent | skipped | cancelled | expired (postponed rows stay pending, due later);
    # pending <-> held while the person's channel cannot send (see bot.followups.holds)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    reason: Mapped[str | None] = mapped_column(String(200))
    conversation_id: Mapped[int | None] = mapped_column(
        ForeignKey("conversations.id", ondelete="SET NULL"), index=True
    )
    # A "you said, we did" update about the event (kind "update_<id>"), rather than its own flow.
    update_id: Mapped[int | None] = mapped_column(
        ForeignKey("you_said_updates.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())

    # Set when the request starts a conversation not yet written; never loaded (raise_on_sql).
    conversation: Mapped[Conversation | None] = relationship(lazy="raise_on_sql")


class AuditEntry(Base):
    """Who looked at or did what to personal data: transcripts, exports, erasure, key rotation."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    actor: Mapped[str] = mapped_column(String(120))  # "officer:12", "cli", "scheduler"
    action: Mapped[str] = mapped_column(String(64))  # "view_transcript", "export", "forget", ...
    subject: Mapped[str | None] = mapped_column(String(200))  # a pseudonym or an id, never a name
    detail: Mapped[dict[str, Any]] = mapped_column(json_type(), default=dict)


class SafeguardingFlag(Base):
    """Words a person must read: kept until a designated safeguarding lead acknowledges them."""

    __tablename__ = "safeguarding_flags"
    __table_args__ = (Index("ix_safeguarding_flags_alert", "alert_sent_at", "alert_next_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("contacts.id", ondelete="SET NULL"), index=True
    )
    conversation_id: Mapped[int | None] = mapped_column(
        ForeignKey("conversations.id", ondelete="SET NULL"), index=True
    )
    message_id: Mapped[int | None] = mapped_column(
        ForeignKey("messages.id", ondelete="SET NULL"), index=True
    )
    channel: Mapped[str] = mapped_column(String(16))
    category: Mapped[str] = mapped_column(String(32))
    # Why it was flagged, quoting excerpts of the words.
    reasons: Mapped[list[str]] = mapped_column(SealedJSON(), default=list)
    text: Mapped[str] = mapped_column(SealedText())  # the exact words
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    alert_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    alert_attempts: Mapped[int] = mapped_column(Integer, default=0)
    alert_next_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    alert_error: Mapped[str | None] = mapped_column(String(200))
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    acknowledged_by: Mapped[str | None] = mapped_column(String(120))
    acknowledge_note: Mapped[str | None] = mapped_column(SealedText())  # what was done about it
    # The event area it belongs to, so officers see only their areas' flags; None: no known area.
    area: Mapped[str | None] = mapped_column(String(64), index=True)
    realert_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    realerts: Mapped[int] = mapped_column(Integer, default=0)
    sms_alerted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ReadItem(Base):
    """A family's own words waiting for a person to read them: every free-text answer, and every
    free message that became no answer. Unread until an officer who may see its area has read it."""

    __tablename__ = "to_read"
    __table_args__ = (Index("ix_to_read_unread", "read_at", "area"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # "answer" or "message"
    contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), index=True
    )
    conversation_id: Mapped[int | None] = mapped_column(
        ForeignKey("conversations.id", ondelete="SET NULL"), index=True
    )
    # The words are the message's body: erasing the message leaves nothing here to read.
    message_id: Mapped[int | None] = mapped_column(
        BigInteger().with_variant(Integer(), "sqlite"),
        ForeignKey("messages.id", ondelete="CASCADE"),
        index=True,  # erasing or purging a message finds its item by this
    )
    answer_id: Mapped[int | None] = mapped_column(
        ForeignKey("answers.id", ondelete="SET NULL"), index=True
    )
    role: Mapped[str] = mapped_column(String(16))  # the person's, when it arrived
    area: Mapped[str | None] = mapped_column(String(64))  # None: only all-area officers and leads
    score: Mapped[float] = mapped_column(Float, default=0.0)  # the detector's calibrated risk
    arrived_at: Mapped[datetime] = mapped_column(UTCDateTime())
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    read_by: Mapped[str | None] = mapped_column(String(120))
    # When the lead was reminded that it was still unread past READ_WITHIN_HOURS: once per item.
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ExportFile(Base):
    """A file with people's data that a command wrote to disk (`sendvoice export --out`, `privacy
    export --out`): erasing a person, by request or by retention, deletes each file that holds
    them, so no copy of them outlives the database's."""

    __tablename__ = "export_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    path: Mapped[str] = mapped_column(SealedText())  # officers name files after people
    kind: Mapped[str] = mapped_column(String(32))  # "responses" or "subject_access"
    identified: Mapped[bool] = mapped_column(Boolean)  # numbers and chat ids, or pseudonyms only
    actor: Mapped[str] = mapped_column(String(120))
    written_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    removed_because: Mapped[str | None] = mapped_column(String(32))  # "forget", "retention_purge"


class ExportFileContact(Base):
    """One person whose data an export file holds."""

    __tablename__ = "export_file_contacts"

    file_id: Mapped[int] = mapped_column(
        ForeignKey("export_files.id", ondelete="CASCADE"), primary_key=True
    )
    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), primary_key=True, index=True
    )

"""What every channel adapter provides to the outbox, and what it reports back."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal, Protocol

Style = Literal["sms", "chat"]


@dataclass(frozen=True)
class OutboundMessage:
    id: int
    channel: str
    address: str
    body: str
    meta: dict[str, Any] = field(default_factory=dict)  # buttons for chat, prompt kinds
    segments: int = 1
    attempt: int = 1
    created_at: datetime | None = None


class Outcome(enum.StrEnum):
    SENT = "sent"
    RETRY = "retry"  # transient: the provider may accept it later
    FAILED = "failed"  # permanent: retrying cannot help
    HELD = "held"  # waits for the person to write first (WhatsApp's 24-hour window)


@dataclass(frozen=True)
class SendResult:
    outcome: Outcome
    provider_id: str | None = None
    error_code: str | None = None
    error_message: str | None = None
    retry_after: timedelta | None = None  # what the provider asked for, if anything
    opted_out: bool = False  # the provider says this person has opted out or blocked us
    uncertain: bool = False  # the provider may have the message already (a timeout mid-request)
    fall_back: bool = False  # failed on this channel: another the person agreed to may carry it

    @classmethod
    def sent(cls, provider_id: str) -> SendResult:
        return cls(Outcome.SENT, provider_id=provider_id)

    @classmethod
    def retry(
        cls, code: str, message: str, after: timedelta | None = None, *, uncertain: bool = False
    ) -> SendResult:
        return cls(
            Outcome.RETRY,
            error_code=code,
            error_message=message,
            retry_after=after,
            uncertain=uncertain,
        )

    @classmethod
    def failed(
        cls, code: str, message: str, *, opted_out: bool = False, fall_back: bool = False
    ) -> SendResult:
        return cls(
            Outcome.FAILED,
            error_code=code,
            error_message=message,
            opted_out=opted_out,
            fall_back=fall_back,
        )

    @classmethod
    def held(cls, code: str, message: str) -> SendResult:
        return cls(Outcome.HELD, error_code=code, error_message=message)


class Sender(Protocol):
    """Delivers one message through a provider. Never raises for provider trouble: it reports it."""

    channel: str

    async def send(self, message: OutboundMessage) -> SendResult: ...


class Reconciler(Protocol):
    """A sender that can ask its provider whether a message whose send was cut off arrived there."""

    async def find_sent(self, message: OutboundMessage, since: datetime) -> list[str]:
        """Provider ids of messages like this one, newest first; the caller rules out known ones."""
        ...

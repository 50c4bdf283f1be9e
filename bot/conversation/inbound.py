"""A message as every channel adapter hands it over, whatever the provider's wire format."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

# Control characters only ever arrive by accident, and PostgreSQL cannot store NUL; a lone
# surrogate (from JSON's "\ud800") cannot be encoded to be stored at all.
_DROPPED = ("Cc", "Cs")


def clean_text(text: str, limit: int) -> str:
    """Provider text as it may be stored and read: newlines and tabs kept, other control
    characters and lone surrogates dropped, at most `limit` characters."""
    kept = (c for c in text if c in "\n\t" or unicodedata.category(c) not in _DROPPED)
    return "".join(kept)[:limit]


# Set by chat adapters for commands and non-answer buttons; such messages are never keywords.
CHAT_ACTIONS = ("command", "age_band", "language")


@dataclass(frozen=True)
class InboundMessage:
    channel: str
    address: str  # E.164 number, Telegram chat id, console session
    text: str
    provider_id: str  # the provider's id for this delivery: redeliveries carry the same one
    received_at: datetime
    button: tuple[int, str] | None = None  # (prompt seq, option key) from a chat button
    media_count: int = 0
    meta: Mapping[str, Any] = field(default_factory=dict)

    @property
    def command(self) -> str | None:
        command = self.meta.get("command")
        return str(command) if command else None

    @property
    def is_chat_action(self) -> bool:
        """A chat command or a button that is not an answer: never read as words."""
        return any(key in self.meta for key in CHAT_ACTIONS)

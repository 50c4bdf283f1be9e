"""What every turn reads but never changes: the flows, the settings and each channel's style."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from sqlalchemy.orm import object_session

from bot.channels.base import Style
from bot.config import Settings
from bot.conversation.ages import AGE_CHECKED_CHANNELS
from bot.versions.live import LiveLibrary
from flows.library import FlowLibrary
from flows.schema import Flow
from storage.models import Contact, Conversation


@dataclass(frozen=True)
class ConversationContext:
    library: FlowLibrary
    settings: Settings
    styles: Mapping[str, Style] = field(default_factory=dict)
    # Channels that ask a person's age first, as Telegram's terms require (the chat demo too).
    age_checked: frozenset[str] = AGE_CHECKED_CHANNELS

    def style(self, channel: str) -> Style:
        return self.styles.get(channel, "sms")

    def flow_of(self, conversation: Conversation) -> Flow | None:
        """The flow a conversation runs: the version it started on, so an answer is always to the
        question as it was asked; None when the flow was removed from the library."""
        session = object_session(conversation)
        if isinstance(self.library, LiveLibrary) and session is not None:
            return self.library.pinned(session, conversation.flow_id, conversation.flow_version)
        if conversation.flow_id in self.library:
            return self.library.get(conversation.flow_id)
        return None

    def variables_for(
        self, contact: Contact, extra: Mapping[str, str] | None = None
    ) -> dict[str, str]:
        """What a flow's texts may name that is kept in the conversation's state: nothing personal
        (the name is `PersonalValues`, read from its encrypted column each time it is needed)."""
        values = self.settings.names_in("en")
        # Welsh names where the council set them: the engine prefers "council_name_cy" in Welsh.
        values.update(
            {f"{k}_cy": v for k, v in self.settings.names_in("cy").items() if v != values[k]}
        )
        values.update({k: v for k, v in (extra or {}).items() if k not in PERSONAL_KEYS})
        return values


PERSONAL_KEYS = ("first_name",)


class PersonalValues(Mapping[str, str]):
    """A person's `{first_name}`, decrypted only when a text asks for it, and never stored."""

    def __init__(self, contact: Contact) -> None:
        self._contact = contact
        self._values: dict[str, str] | None = None

    def _read(self) -> dict[str, str]:
        if self._values is None:
            name = (self._contact.display_name or "").split()
            self._values = {"first_name": name[0]} if name else {}
        return self._values

    def __getitem__(self, key: str) -> str:
        return self._read()[key]

    def __contains__(self, key: object) -> bool:
        return key in PERSONAL_KEYS and key in self._read()

    def __iter__(self) -> Iterator[str]:
        return iter(self._read())

    def __len__(self) -> int:
        return len(self._read())

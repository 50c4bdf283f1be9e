"""What every turn reads but never changes: the flows, the settings and each channel's style."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from bot.channels.base import Style
from bot.config import Settings
from flows.library import FlowLibrary
from flows.schema import Flow
from storage.models import Contact, Conversation


@dataclass(frozen=True)
class ConversationContext:
    library: FlowLibrary
    settings: Settings
    styles: Mapping[str, Style] = field(default_factory=dict)

    def style(self, channel: str) -> Style:
        return self.styles.get(channel, "sms")

    def flow_of(self, conversation: Conversation) -> Flow | None:
        """The flow a conversation runs, or None when it was removed from the library."""
        if conversation.flow_id in self.library:
            return self.library.get(conversation.flow_id)
        return None

    def variables_for(
        self, contact: Contact, extra: Mapping[str, str] | None = None
    ) -> dict[str, str]:
        values = {
            "council_name": self.settings.council_name,
            "service_name": self.settings.service_name,
            "contact_details": self.settings.contact_details,
        }
        if contact.display_name:
            values["first_name"] = contact.display_name.split()[0]
        values.update(extra or {})
        return values

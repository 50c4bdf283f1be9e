"""Everything a running sendvoice needs, built once from settings and shared by web app and workers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.channels.base import Sender, Style
from bot.clock import Clock, system_clock
from bot.config import Settings
from bot.conversation.dispatch import Dispatcher
from bot.delivery.outbox import Outbox
from bot.delivery.pacing import TokenBucket
from bot.safeguarding.alerts import SafeguardingAlerts
from bot.versions.live import LiveLibrary
from flows.library import LIBRARY_DIR, FlowLibrary, load_library
from storage.crypto import IdentifierCipher
from storage.db import make_engine, make_session_factory

if TYPE_CHECKING:
    from bot.channels.telegram.sender import TelegramSender

STYLES: dict[str, Style] = {
    "sms": "sms",
    "telegram": "chat",
    "whatsapp": "chat",
    "console": "sms",
}


@dataclass
class Services:
    settings: Settings
    engine: Engine
    session_factory: sessionmaker[Session]
    library: FlowLibrary
    dispatcher: Dispatcher
    outbox: Outbox
    clock: Clock
    alerts: SafeguardingAlerts
    senders: dict[str, Sender] = field(default_factory=dict)
    # Channels follow-ups are planned for; None: those with a sender. A preview has no senders yet
    # must plan as the real pass would, so it names the channels its settings would send on.
    reachable: frozenset[str] | None = None

    def can_reach(self, channel: str) -> bool:
        return channel in (self.senders if self.reachable is None else self.reachable)

    @property
    def reachable_channels(self) -> frozenset[str]:
        return frozenset(self.senders) if self.reachable is None else self.reachable

    @property
    def telegram(self) -> TelegramSender | None:
        from bot.channels.telegram.sender import TelegramSender

        sender = self.senders.get("telegram")
        return sender if isinstance(sender, TelegramSender) else None

    async def aclose(self) -> None:
        if self.telegram is not None:
            await self.telegram.close()

    def close(self) -> None:
        self.engine.dispose()


def configured_channels(settings: Settings) -> frozenset[str]:
    """The channels these settings would send on (what `default_senders` would build)."""
    names = {"sms"} if settings.twilio_configured else set()
    names |= {"whatsapp"} if settings.whatsapp_configured else set()
    return frozenset(names | ({"telegram"} if settings.telegram_configured else set()))


def default_senders(
    settings: Settings,
    session_factory: sessionmaker[Session] | None = None,
    clock: Clock = system_clock,
) -> dict[str, Sender]:
    senders: dict[str, Sender] = {}
    if settings.whatsapp_configured and session_factory is not None:
        # It reads the person's 24-hour window at the moment of sending.
        from bot.channels.whatsapp.sender import WhatsAppSender

        senders["whatsapp"] = WhatsAppSender(settings, session_factory, clock)
    if settings.twilio_configured:
        from bot.channels.sms.sender import TwilioSender

        senders["sms"] = TwilioSender(settings)
    if settings.telegram_configured:
        from bot.channels.telegram.client import make_bot
        from bot.channels.telegram.sender import TelegramSender

        senders["telegram"] = TelegramSender(make_bot(settings))
    return senders


def build_services(
    settings: Settings,
    *,
    clock: Clock = system_clock,
    senders: dict[str, Sender] | None = None,
    library: FlowLibrary | None = None,
) -> Services:
    cipher = IdentifierCipher(settings.encryption_keys())  # refuses to run without a key
    engine = make_engine(settings.database_url)
    session_factory = make_session_factory(engine, cipher)
    library = library or load_library([LIBRARY_DIR, *settings.flow_path_list()])
    # Conversations run the versions published in the database (bot.versions.live).
    library = library if isinstance(library, LiveLibrary) else LiveLibrary(library)
    senders = default_senders(settings, session_factory, clock) if senders is None else senders
    # The SMS sender keeps to Twilio's own count (a sliding window, bot.channels.sms.sender); this
    # bucket tells the outbox the channel's pace, so it claims no more than a lease can send.
    limits = {
        "sms": TokenBucket(settings.sms_max_per_second, start_full=False),
        "telegram": TokenBucket(settings.telegram_max_per_second),
        "whatsapp": TokenBucket(settings.whatsapp_max_per_second),
    }
    # A short burst lets a message and its question arrive together; the average stays at the rate.
    per_chat = {"telegram": (settings.telegram_max_per_chat_per_second, 3.0)}
    dispatcher = Dispatcher(library, settings, STYLES, clock)
    from bot.channels.whatsapp.fallback import to_sms

    outbox = Outbox(
        session_factory,
        senders,
        settings,
        clock=clock,
        limits=limits,
        per_address=per_chat,
        fallbacks={"whatsapp": to_sms},
    )
    alerts = SafeguardingAlerts(session_factory, settings, clock=clock, on_queued=outbox.wake)
    return Services(
        settings, engine, session_factory, library, dispatcher, outbox, clock, alerts, senders
    )

"""Why a follow-up waits for a channel that cannot send, in words officers read in `events show`.

A follow-up for someone reached on a channel with no credentials is held, not counted sent: its
messages would sit in the outbox unseen. The scheduler releases the held rows once the channel can
send again, and finds them by these exact reasons.
"""

from __future__ import annotations

CHANNEL_NAMES = {"sms": "SMS", "telegram": "Telegram", "whatsapp": "WhatsApp"}
# What turns each channel on; the names operators set.
CHANNEL_SETTINGS = {
    "sms": "TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM_NUMBER",
    "telegram": "TELEGRAM_BOT_TOKEN",
    "whatsapp": "TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_WHATSAPP_FROM",
}


def hold_reason(channel: str) -> str:
    name = CHANNEL_NAMES.get(channel, channel)
    setting = CHANNEL_SETTINGS.get(channel, "its settings")
    return f"held: {name} cannot send until {setting} is set"

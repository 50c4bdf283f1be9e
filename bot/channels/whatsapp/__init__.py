"""WhatsApp through Twilio: the Messages API with `whatsapp:` addresses, templates outside the
24-hour window, and quick-reply buttons inside it."""

CHANNEL = "whatsapp"
PREFIX = "whatsapp:"


def wire(number: str) -> str:
    """Our stored address (E.164) as Twilio's WhatsApp address."""
    return number if number.startswith(PREFIX) else PREFIX + number


def number(address: str) -> str:
    """Twilio's `whatsapp:+44...` as the E.164 number we store."""
    return address[len(PREFIX) :] if address.lower().startswith(PREFIX) else address

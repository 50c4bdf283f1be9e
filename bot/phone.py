"""Phone numbers as one canonical string (E.164), whatever way a person or a provider wrote them."""

from __future__ import annotations

import phonenumbers


def to_e164(raw: str | None, region: str = "GB") -> str | None:
    """'+44 7700 900123', '07700900123', '447700900123' -> '+447700900123'; None if not a number."""
    if not raw or len(raw) > 64:
        return None
    text = raw.strip()
    if text.isdigit() and text.startswith("44") and len(text) >= 12:
        text = "+" + text  # providers sometimes drop the plus
    try:
        parsed = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(parsed):
        return None
    return str(phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164))

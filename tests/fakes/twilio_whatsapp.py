"""What the fake Twilio adds for WhatsApp: `whatsapp:` addresses, the 24-hour window, Content API
sends (ContentSid / ContentVariables on the Messages API), and inbound messages with buttons.

Twilio reports most WhatsApp failures later, in a status callback; the fake refuses at once with
the same codes (a test drives the late kind with `deliver_status(..., error_code=...)`)."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

from tests.fakes.twilio_wire import API_VERSION, DEFAULT_ACCOUNT_SID, TwilioError, new_sid

PREFIX = "whatsapp:"
WINDOW_SECONDS = 24 * 3600

OUTSIDE_WINDOW = TwilioError(
    400,
    63016,
    "Failed to send freeform message because you are outside the allowed window. If you are "
    "using WhatsApp, please use a Message Template.",
)
NOT_ON_WHATSAPP = TwilioError(400, 63003, "Channel could not find To address")
CONTENT_NOT_FOUND = TwilioError(400, 21655, "The ContentSid is Invalid.")
MIXED_CHANNELS = TwilioError(
    400, 21910, "Invalid From and To pair. From and To should be of the same channel"
)


@dataclass(frozen=True)
class Content:
    sid: str
    kind: str  # "twilio/quick-reply", "twilio/list-picker", "twilio/text"
    approved: bool  # may start a conversation outside the window (a WhatsApp template)


def is_whatsapp(address: str) -> bool:
    return address.lower().startswith(PREFIX)


def bare(address: str) -> str:
    return address[len(PREFIX) :] if is_whatsapp(address) else address


def variables_of(form: dict[str, str]) -> dict[str, str]:
    raw = form.get("ContentVariables") or "{}"
    value = json.loads(raw)
    return {str(k): str(v) for k, v in value.items()}


class WhatsAppState:
    """The fake's WhatsApp side; the FakeTwilio holds one and consults it under its lock."""

    def __init__(self) -> None:
        self.last_inbound: dict[str, float] = {}
        self.not_on_whatsapp: set[str] = set()
        self.contents: dict[str, Content] = {}

    def refusal(self, form: dict[str, str]) -> TwilioError | None:
        to = form.get("To", "")
        sender = form.get("From") or ""
        if not is_whatsapp(to):
            return MIXED_CHANNELS if sender and is_whatsapp(sender) else None
        if sender and not is_whatsapp(sender):
            return MIXED_CHANNELS
        number = bare(to)
        if number in self.not_on_whatsapp:
            return NOT_ON_WHATSAPP
        content = None
        if sid := form.get("ContentSid"):
            content = self.contents.get(sid)
            if content is None:
                return CONTENT_NOT_FOUND
        inside = time.time() < self.last_inbound.get(number, float("-inf")) + WINDOW_SECONDS
        if not inside and not (content is not None and content.approved):
            return OUTSIDE_WINDOW
        return None


def inbound_whatsapp_form(
    *,
    from_: str,
    to: str,
    body: str,
    sid: str | None = None,
    button_payload: str | None = None,
    button_text: str | None = None,
    profile_name: str = "Parent",
    account_sid: str = DEFAULT_ACCOUNT_SID,
) -> dict[str, str]:
    """The form Twilio posts for a WhatsApp message (a button press carries its payload too)."""
    sid = sid or new_sid("SM")
    form = {
        "SmsMessageSid": sid,
        "NumMedia": "0",
        "ProfileName": profile_name,
        "MessageType": "button" if button_payload else "text",
        "SmsSid": sid,
        "WaId": bare(from_).lstrip("+"),
        "SmsStatus": "received",
        "Body": body,
        "To": to if is_whatsapp(to) else PREFIX + to,
        "NumSegments": "1",
        "ReferralNumMedia": "0",
        "MessageSid": sid,
        "AccountSid": account_sid,
        "From": from_ if is_whatsapp(from_) else PREFIX + from_,
        "ApiVersion": API_VERSION,
    }
    if button_payload is not None:
        form["ButtonPayload"] = button_payload
        form["ButtonText"] = button_text or body
    return form

"""Twilio's WhatsApp failures mapped to what to do: retry, wait for the window, fall back to SMS,
or give up. Codes from Twilio's error dictionary (https://www.twilio.com/docs/api/errors)."""

from __future__ import annotations

from datetime import timedelta

from twilio.base.exceptions import TwilioRestException

from bot.channels.base import SendResult
from bot.channels.sms.errors import OPTED_OUT
from bot.channels.sms.errors import classify as classify_sms

# Free-form message outside the 24-hour window (or a list picker / non-template out of session).
OUTSIDE_WINDOW = {63016}
# The number has no WhatsApp, or WhatsApp refuses it as a recipient: SMS may still reach them.
NOT_ON_WHATSAPP = {
    63003,  # channel could not find the To address
    63024,  # invalid message recipient
    63032,  # WhatsApp will not deliver to this user (a WhatsApp limitation)
    63049,  # Meta chose not to deliver this message
}
# The template itself is wrong: not approved, paused, or not in this language.
TEMPLATE = {
    63027,  # template does not exist for this language and locale
    63028,  # number of parameters does not match the template
    63042,  # template not approved / unavailable
}
RATE_LIMITED = {63018}  # over the sender's throughput
SENDER_TROUBLE = {63007, 63038, 63112}  # sender not found, daily limit, account disabled
RATE_WAIT = timedelta(seconds=1)

WINDOW_CLOSED = "63016"


def code_of(exc: TwilioRestException) -> int | None:
    return exc.code if isinstance(exc.code, int) else None


def classify(exc: TwilioRestException) -> SendResult:
    code = code_of(exc)
    label = str(code or exc.status)
    message = str(exc.msg)[:200]
    if code in OPTED_OUT:
        return SendResult.failed(label, message, opted_out=True)
    if code in NOT_ON_WHATSAPP or code in TEMPLATE:
        return SendResult.failed(label, message, fall_back=True)
    if code in RATE_LIMITED:
        return SendResult.retry(label, message, RATE_WAIT)
    if code in SENDER_TROUBLE:
        # An operator's fix (the sender, its limits): keep the message until it is made.
        return SendResult.retry(label, message)
    return classify_sms(exc)


def from_callback(error_code: str | None) -> str | None:
    """What a failed status callback means: "window", "fall_back", or None (nothing to do)."""
    if not error_code or not error_code.isdigit():
        return None
    code = int(error_code)
    if code in OUTSIDE_WINDOW:
        return "window"
    if code in NOT_ON_WHATSAPP or code in TEMPLATE:
        return "fall_back"
    return None

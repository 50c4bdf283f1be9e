"""Twilio's failures mapped to what the outbox can act on: retry later, or give up (and why)."""

from __future__ import annotations

from datetime import timedelta

from twilio.base.exceptions import TwilioRestException

from bot.channels.base import SendResult

OPTED_OUT = {21610}  # the recipient texted STOP to this sender
PERMANENT = {
    21211,  # invalid 'To' number
    21214,  # 'To' number cannot be reached
    21408,  # permission to send to this region not enabled
    21612,  # 'To' number not currently reachable via SMS
    21614,  # 'To' number is not a valid mobile number
    30003,  # unreachable destination handset
    30005,  # unknown destination handset
    30006,  # landline or unreachable carrier
}
RATE_LIMITED = {20429}
# Twilio's limit is per second and its 429 says no more: a second later there is room again.
RATE_LIMIT_WAIT = timedelta(seconds=1)


def classify(exc: TwilioRestException) -> SendResult:
    code = exc.code if isinstance(exc.code, int) else None
    label = str(code or exc.status)
    message = str(exc.msg)[:200]
    if code in OPTED_OUT:
        return SendResult.failed(label, message, opted_out=True)
    if code in PERMANENT:
        return SendResult.failed(label, message)
    if code in RATE_LIMITED or exc.status == 429:
        return SendResult.retry(label, message, RATE_LIMIT_WAIT)
    if exc.status >= 500:
        return SendResult.retry(label, message)
    if exc.status in (401, 403):
        # Wrong credentials are an operator's mistake: keep the message until they are fixed.
        return SendResult.retry(label, message)
    return SendResult.failed(label, message)

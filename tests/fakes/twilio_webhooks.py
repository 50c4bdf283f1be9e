"""Webhooks as Twilio sends them: inbound SMS and status callbacks, signed with the auth token."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from urllib.parse import urlsplit

from twilio.request_validator import RequestValidator

from tests.fakes.twilio_wire import (
    API_VERSION,
    DEFAULT_ACCOUNT_SID,
    SentMessage,
    new_sid,
    num_segments,
)

# A messaging service picks its sender at send time; callbacks then name one of its numbers.
SERVICE_NUMBER = "+447700900000"


def sign(auth_token: str, url: str, form: dict[str, str]) -> str:
    """The X-Twilio-Signature value Twilio would send with this form posted to this URL."""
    signature: str = RequestValidator(auth_token).compute_signature(url, form)
    return signature


def require_loopback(url: str) -> None:
    parts = urlsplit(url)
    host = parts.hostname or ""
    try:
        loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if parts.scheme not in ("http", "https") or not loopback:
        raise AssertionError(f"the fake only calls back to loopback URLs, not {url!r}")


def inbound_sms_form(
    *,
    from_: str,
    to: str,
    body: str,
    sid: str | None = None,
    num_media: int = 0,
    account_sid: str = DEFAULT_ACCOUNT_SID,
) -> dict[str, str]:
    sid = sid or new_sid("SM")
    form = {
        "ToCountry": "GB",
        "ToState": "",
        "SmsMessageSid": sid,
        "NumMedia": str(num_media),
        "ToCity": "",
        "FromZip": "",
        "SmsSid": sid,
        "FromState": "",
        "SmsStatus": "received",
        "FromCity": "",
        "Body": body,
        "FromCountry": "GB",
        "To": to,
        "ToZip": "",
        "NumSegments": str(num_segments(body)),
        "MessageSid": sid,
        "AccountSid": account_sid,
        "From": from_,
        "ApiVersion": API_VERSION,
    }
    for index in range(num_media):
        form[f"MediaContentType{index}"] = "image/jpeg"
        form[f"MediaUrl{index}"] = (
            f"https://api.twilio.com/{API_VERSION}/Accounts/{account_sid}"
            f"/Messages/{sid}/Media/{new_sid('ME')}"
        )
    return form


@dataclass(frozen=True)
class Callback:
    url: str
    form: dict[str, str]
    headers: dict[str, str]


def signed_status_callback(
    message: SentMessage,
    *,
    status: str,
    account_sid: str,
    auth_token: str,
    url: str,
    sign_as: str | None = None,
    error_code: str | None = None,
) -> Callback:
    require_loopback(url)
    form = {
        "MessageSid": message.sid,
        "MessageStatus": status,
        "SmsSid": message.sid,
        "SmsStatus": status,
        "AccountSid": account_sid,
        "From": message.from_ or SERVICE_NUMBER,
        "To": message.to,
        "ApiVersion": API_VERSION,
    }
    if message.messaging_service_sid:
        form["MessagingServiceSid"] = message.messaging_service_sid
    if error_code is not None:
        form["ErrorCode"] = error_code
    headers = {
        "X-Twilio-Signature": sign(auth_token, sign_as or url, form),
        "I-Twilio-Idempotency-Token": new_sid(""),
        "User-Agent": "TwilioProxy/1.1",
    }
    return Callback(url, form, headers)

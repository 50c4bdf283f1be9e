"""Twilio's REST wire format: the message resource, error bodies, and the failures a fake injects."""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from enum import StrEnum

from flows.gsm import count_segments

API_VERSION = "2010-04-01"
DEFAULT_ACCOUNT_SID = "AC" + "0" * 32
DEFAULT_AUTH_TOKEN = "test-auth-token"
MAX_BODY = 1600
E164 = re.compile(r"\+[1-9][0-9]{6,14}")


def new_sid(prefix: str) -> str:
    return prefix + uuid.uuid4().hex


def rfc2822(timestamp: float) -> str:
    return format_datetime(datetime.fromtimestamp(timestamp, UTC))


def num_segments(body: str) -> int:
    # Twilio bills a media-only or empty message as one segment.
    return max(1, count_segments(body).segments)


@dataclass(frozen=True)
class SentMessage:
    sid: str
    to: str
    from_: str | None
    messaging_service_sid: str | None
    body: str
    status_callback: str | None
    num_segments: int
    received_at: float
    media_urls: tuple[str, ...] = ()
    form: Mapping[str, str] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class TwilioError:
    status: int
    code: int
    message: str

    def body(self) -> dict[str, object]:
        return {
            "code": self.code,
            "message": self.message,
            "more_info": f"https://www.twilio.com/docs/errors/{self.code}",
            "status": self.status,
        }


def not_found(path: str) -> TwilioError:
    return TwilioError(404, 20404, f"The requested resource {path} was not found")


UNAUTHORIZED = TwilioError(401, 20003, "Authenticate")
MISSING_TO = TwilioError(400, 21604, "A 'To' phone number is required.")
MISSING_BODY = TwilioError(400, 21602, "Message body is required.")
MISSING_FROM = TwilioError(400, 21603, "A 'From' phone number is required.")
BODY_TOO_LONG = TwilioError(
    400, 21617, "The concatenated message body exceeds the 1600 character limit."
)
UNSUBSCRIBED = TwilioError(400, 21610, "Attempt to send to unsubscribed recipient")
TOO_MANY_REQUESTS = TwilioError(429, 20429, "Too Many Requests")


def invalid_number(to: str) -> TwilioError:
    return TwilioError(400, 21211, f"The 'To' number {to} is not a valid phone number.")


class FailureKind(StrEnum):
    SERVER_ERROR = "server_error"
    TOO_MANY_REQUESTS = "too_many_requests"
    UNSUBSCRIBED = "unsubscribed"
    INVALID_NUMBER = "invalid_number"
    LANDLINE = "landline"
    SLOW = "slow"
    TIMEOUT = "timeout"


@dataclass(frozen=True)
class Failure:
    kind: FailureKind
    delay: float = 0.0

    @staticmethod
    def server_error() -> Failure:
        return Failure(FailureKind.SERVER_ERROR)

    @staticmethod
    def too_many_requests() -> Failure:
        return Failure(FailureKind.TOO_MANY_REQUESTS)

    @staticmethod
    def unsubscribed() -> Failure:
        return Failure(FailureKind.UNSUBSCRIBED)

    @staticmethod
    def invalid_number() -> Failure:
        return Failure(FailureKind.INVALID_NUMBER)

    @staticmethod
    def landline() -> Failure:
        return Failure(FailureKind.LANDLINE)

    @staticmethod
    def slow(seconds: float) -> Failure:
        if seconds < 0:
            raise ValueError("a delay cannot be negative")
        return Failure(FailureKind.SLOW, seconds)

    @staticmethod
    def timeout() -> Failure:
        return Failure(FailureKind.TIMEOUT)

    def error(self, to: str) -> TwilioError | None:
        """The error response this failure stands for; None when it answers normally (or never)."""
        match self.kind:
            case FailureKind.SERVER_ERROR:
                return TwilioError(500, 20500, "An internal server error has occurred")
            case FailureKind.TOO_MANY_REQUESTS:
                return TOO_MANY_REQUESTS
            case FailureKind.UNSUBSCRIBED:
                return UNSUBSCRIBED
            case FailureKind.INVALID_NUMBER:
                return invalid_number(to)
            case FailureKind.LANDLINE:
                return TwilioError(400, 21614, "'To' number is not a valid mobile number")
            case _:
                return None


def message_resource(
    message: SentMessage,
    account_sid: str,
    *,
    status: str,
    updated_at: float,
    error_code: int | None = None,
) -> dict[str, object]:
    uri = f"/{API_VERSION}/Accounts/{account_sid}/Messages/{message.sid}"
    sent = status in {"sent", "delivered", "undelivered", "read"}
    return {
        "account_sid": account_sid,
        "api_version": API_VERSION,
        "body": message.body,
        "date_created": rfc2822(message.received_at),
        "date_sent": rfc2822(updated_at) if sent else None,
        "date_updated": rfc2822(updated_at),
        "direction": "outbound-api",
        "error_code": error_code,
        "error_message": None,
        "from": message.from_,
        "messaging_service_sid": message.messaging_service_sid,
        "num_media": str(len(message.media_urls)),
        "num_segments": str(message.num_segments),
        "price": None,
        "price_unit": "USD",
        "sid": message.sid,
        "status": status,
        "subresource_uris": {
            "media": f"{uri}/Media.json",
            "feedback": f"{uri}/Feedback.json",
        },
        "to": message.to,
        "uri": f"{uri}.json",
    }

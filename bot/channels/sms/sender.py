"""Sends queued SMS with the real twilio client; never raises for provider trouble."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

import requests
from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client

from bot.channels.base import OutboundMessage, SendResult
from bot.channels.sms import CHANNEL
from bot.channels.sms.client import BaseUrlHttpClient
from bot.channels.sms.errors import classify
from bot.config import Settings

STATUS_PATH = "/webhooks/twilio/status"
CLOCK_SKEW = timedelta(minutes=2)  # between our clock and Twilio's


class TwilioSender:
    channel = CHANNEL

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        http = BaseUrlHttpClient(
            settings.twilio_api_base_url, timeout=settings.twilio_timeout_seconds
        )
        self.client = Client(
            settings.twilio_account_sid,
            settings.twilio_auth_token.get_secret_value(),
            http_client=http,
        )

    def _create(self, message: OutboundMessage) -> SendResult:
        kwargs: dict[str, str] = {
            "to": message.address,
            "body": message.body,
            "status_callback": self.settings.public_url(STATUS_PATH),
        }
        if self.settings.twilio_messaging_service_sid:
            kwargs["messaging_service_sid"] = self.settings.twilio_messaging_service_sid
        else:
            kwargs["from_"] = self.settings.twilio_from_number
        try:
            created = self.client.messages.create(**kwargs)
        except TwilioRestException as exc:
            return classify(exc)
        except requests.ConnectTimeout as exc:
            return SendResult.retry("timeout", type(exc).__name__)  # never reached Twilio
        except (requests.Timeout, requests.ConnectionError) as exc:
            # Twilio may have accepted it before the answer was lost: ask before sending again.
            return SendResult.retry("timeout", type(exc).__name__, uncertain=True)
        return SendResult.sent(str(created.sid))

    async def send(self, message: OutboundMessage) -> SendResult:
        return await asyncio.to_thread(self._create, message)

    def _find(self, message: OutboundMessage, since: datetime) -> list[str]:
        # Twilio has no idempotency key for sends; after a crash we look for our own message.
        recent = self.client.messages.list(to=message.address, limit=50)
        return [
            str(candidate.sid)
            for candidate in recent
            if candidate.body == message.body
            and candidate.direction == "outbound-api"
            and (candidate.date_created is None or candidate.date_created >= since - CLOCK_SKEW)
        ]

    async def find_sent(self, message: OutboundMessage, since: datetime) -> list[str]:
        return await asyncio.to_thread(self._find, message, since)

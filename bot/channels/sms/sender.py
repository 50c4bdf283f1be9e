"""Sends queued SMS with the real twilio client; never raises for provider trouble."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from typing import TypeVar

import requests
from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client

from bot.channels.base import OutboundMessage, SendResult
from bot.channels.sms import CHANNEL
from bot.channels.sms.client import BaseUrlHttpClient
from bot.channels.sms.errors import classify
from bot.config import Settings
from bot.delivery.pacing import Held, SlidingWindow

STATUS_PATH = "/webhooks/twilio/status"
CLOCK_SKEW = timedelta(minutes=2)  # between our clock and Twilio's
# Sends waiting on Twilio at once. At 50 a second over a 300 ms round trip, 15 are out at a time;
# the outbox keeps no more than this many in hand (bot.delivery.outbox.MAX_IN_FLIGHT).
IN_FLIGHT = 16

T = TypeVar("T")


class TwilioSender:
    channel = CHANNEL

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        http = BaseUrlHttpClient(
            settings.twilio_api_base_url,
            timeout=settings.twilio_timeout_seconds,
            pool_size=IN_FLIGHT,
        )
        self.client = Client(
            settings.twilio_account_sid,
            settings.twilio_auth_token.get_secret_value(),
            http_client=http,
        )
        # Twilio refuses (429) whatever goes over the account's rate in any one second, counted as
        # requests arrive there.
        self.window = SlidingWindow(settings.sms_max_per_second)
        # Its own threads: sends blocked on a slow Twilio must not hold up the database work that
        # shares the default pool (which has only a handful of threads on a small machine).
        self._threads = ThreadPoolExecutor(IN_FLIGHT, thread_name_prefix="twilio")

    async def _in_thread(self, call: Callable[..., T], *args: object) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._threads, functools.partial(call, *args))

    def _create(self, message: OutboundMessage, held: Held | None = None) -> SendResult:
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
        finally:
            # Here, not back on the event loop: the sooner it is known, the sooner the next may go.
            if held is not None:
                held.answered()
        return SendResult.sent(str(created.sid))

    async def send(self, message: OutboundMessage) -> SendResult:
        async with self.window.hold(message.segments) as held:
            result = await self._in_thread(self._create, message, held)
        if result.retry_after is not None:
            # Refused for rate although we kept to it: someone else is sending on this account.
            self.window.pause(result.retry_after.total_seconds())
        return result

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
        return await self._in_thread(self._find, message, since)

"""Sends queued WhatsApp messages with the real twilio client, deciding at the moment of sending
whether the person's 24-hour window allows free-form text (bot.channels.whatsapp.plan)."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

import requests
from sqlalchemy.orm import Session, sessionmaker
from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client

from bot.channels.base import OutboundMessage, Outcome, SendResult
from bot.channels.sms.client import BaseUrlHttpClient
from bot.channels.whatsapp import CHANNEL, wire
from bot.channels.whatsapp.content import (
    flatten,
    interactive,
    numbered,
    parse_buttons,
    parse_templates,
    plain_commands,
)
from bot.channels.whatsapp.errors import WINDOW_CLOSED, classify
from bot.channels.whatsapp.plan import Plan, Way, plan, record_template
from bot.clock import Clock, system_clock
from bot.config import Settings
from bot.delivery.pacing import SlidingWindow

STATUS_PATH = "/webhooks/twilio/whatsapp/status"
IN_FLIGHT = 16

T = TypeVar("T")


class WhatsAppSender:
    channel = CHANNEL

    def __init__(
        self,
        settings: Settings,
        session_factory: sessionmaker[Session],
        clock: Clock = system_clock,
    ) -> None:
        self.settings = settings
        self.session_factory = session_factory
        self.clock = clock
        # Read once, at start: a mistake in them stops the process rather than a send.
        self.templates = parse_templates(settings.whatsapp_templates)
        self.buttons = parse_buttons(settings.whatsapp_button_content)
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
        self.window = SlidingWindow(settings.whatsapp_max_per_second)
        self._threads = ThreadPoolExecutor(IN_FLIGHT, thread_name_prefix="whatsapp")

    async def _in_thread(self, call: Callable[..., T], *args: object, **kw: object) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._threads, functools.partial(call, *args, **kw))

    def _plan(self, message: OutboundMessage, window_closed: bool = False) -> Plan:
        with self.session_factory.begin() as session:
            return plan(
                session,
                message.id,
                self.clock(),
                self.settings,
                self.templates,
                window_closed=window_closed,
            )

    def _record_template(self, message: OutboundMessage, plan_: Plan, provider_id: str) -> None:
        with self.session_factory.begin() as session:
            record_template(session, message.id, plan_, provider_id, self.clock())

    def _create(self, message: OutboundMessage, fields: dict[str, str]) -> SendResult:
        kwargs = {
            "to": wire(message.address),
            "status_callback": self.settings.public_url(STATUS_PATH),
            **fields,
        }
        if self.settings.twilio_whatsapp_messaging_service_sid:
            kwargs["messaging_service_sid"] = self.settings.twilio_whatsapp_messaging_service_sid
        else:
            kwargs["from_"] = wire(self.settings.twilio_whatsapp_from)
        try:
            created = self.client.messages.create(**kwargs)
        except TwilioRestException as exc:
            return classify(exc)
        except requests.ConnectTimeout as exc:
            return SendResult.retry("timeout", type(exc).__name__)
        except (requests.Timeout, requests.ConnectionError) as exc:
            return SendResult.retry("timeout", type(exc).__name__, uncertain=True)
        return SendResult.sent(str(created.sid))

    async def _post(self, message: OutboundMessage, fields: dict[str, str]) -> SendResult:
        async with self.window.hold(1):
            result = await self._in_thread(self._create, message, fields)
        if result.retry_after is not None:
            self.window.pause(result.retry_after.total_seconds())
        return result

    def free_form(self, message: OutboundMessage) -> dict[str, str]:
        """Text, with the question's buttons as WhatsApp buttons where they fit, else numbered."""
        body = plain_commands(message.body)
        buttons = flatten(message.meta.get("buttons") or [])
        if not buttons:
            return {"body": body}
        fitted = interactive(body, buttons, self.buttons)
        if fitted is not None:
            sid, variables = fitted
            return {"content_sid": sid, "content_variables": variables}
        return {"body": numbered(body, buttons)}

    async def send(self, message: OutboundMessage) -> SendResult:
        return await self._carry_out(message, await self._in_thread(self._plan, message), True)

    async def _carry_out(self, message: OutboundMessage, plan_: Plan, again: bool) -> SendResult:
        match plan_.way:
            case Way.GONE:
                return SendResult.failed("gone", "the message or its address is gone")
            case Way.HOLD:
                return SendResult.held(WINDOW_CLOSED, "waiting for them to write (24-hour window)")
            case Way.SMS:
                return SendResult.failed(
                    WINDOW_CLOSED, "outside the 24-hour window: sent by SMS", fall_back=True
                )
            case Way.TEMPLATE:
                assert plan_.template is not None
                result = await self._post(
                    message,
                    {"content_sid": plan_.template.sid, "content_variables": plan_.variables},
                )
                if result.outcome is not Outcome.SENT:
                    return result
                assert result.provider_id is not None
                await self._in_thread(self._record_template, message, plan_, result.provider_id)
                return SendResult.held(WINDOW_CLOSED, "a template asked them to reply")
        result = await self._post(message, self.free_form(message))
        if result.error_code == WINDOW_CLOSED and again:
            # WhatsApp's clock is the one that counts: the window is shut, whatever ours said.
            closed = await self._in_thread(self._plan, message, True)
            return await self._carry_out(message, closed, False)
        return result

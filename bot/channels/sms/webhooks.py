"""Twilio's webhooks: inbound SMS and delivery status callbacks, both signature-checked."""

from __future__ import annotations

import asyncio
import logging
import re
from collections import Counter
from collections.abc import Callable, Mapping
from datetime import datetime

from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from twilio.request_validator import RequestValidator

from bot.channels.sms import CHANNEL
from bot.conversation import inbound
from bot.conversation.disclosure import EVENT as SAFEGUARDING_EVENT
from bot.conversation.inbound import InboundMessage
from bot.phone import to_e164
from bot.services import Services
from storage import contacts as contacts_repo
from storage import messages as messages_repo
from storage import receipts as receipts_repo
from storage.models import Message

log = logging.getLogger(__name__)

EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'
FINAL_STATUSES = messages_repo.DELIVERY_STATUSES
MAX_BODY = 1600


def twiml() -> Response:
    return Response(EMPTY_TWIML, media_type="text/xml")


def forbidden() -> Response:
    return PlainTextResponse("Forbidden", status_code=403)


async def signed_form(request: Request, services: Services) -> dict[str, str] | None:
    """The form fields if Twilio signed them for the public URL of this path; else None."""
    signature = request.headers.get("x-twilio-signature", "")
    token = services.settings.twilio_auth_token.get_secret_value()
    if not signature or not token:
        return None
    try:
        form = await request.form()
    except Exception:  # a body that is not a form cannot be a Twilio webhook
        return None
    params = {k: v for k, v in form.multi_items() if isinstance(v, str)}
    url = services.settings.public_url(request.url.path)
    if request.url.query:
        url += "?" + request.url.query
    if not RequestValidator(token).validate(url, params, signature):
        return None
    return params


def clean_text(text: str) -> str:
    return inbound.clean_text(text, MAX_BODY)


def other_channel(form: dict[str, str]) -> str | None:
    """The channel a webhook came from when it is not SMS: Twilio posts WhatsApp (and other)
    messages to the same webhook, with addresses such as `whatsapp:+447700900123`."""
    for field in ("From", "To"):
        prefix, colon, _ = (form.get(field) or "").partition(":")
        if colon:
            return re.sub(r"[^a-z0-9_-]", "", prefix.strip().lower())[:16] or "unknown"
    return None


def refuse_channel(request: Request, channel: str) -> None:
    """Never answer by SMS what someone sent on another channel, and store nothing of it."""
    refused: Counter[str] = request.app.state.refused_channels
    refused[channel] += 1
    if refused[channel] == 1:  # once per process; /healthz carries the running count
        log.warning(
            "a %s message came to the SMS webhook and was refused: sendvoice answers only on "
            "SMS and Telegram, so nothing was stored or sent (turn %s off for this number in "
            "Twilio)",
            channel,
            channel,
        )


def _int(value: str | None) -> int:
    try:
        return max(0, int(value or 0))
    except ValueError:
        return 0


async def inbound_sms(request: Request) -> Response:
    services: Services = request.app.state.services
    form = await signed_form(request, services)
    if form is None:
        return forbidden()
    channel = other_channel(form)
    if channel is not None:
        refuse_channel(request, channel)
        return twiml()
    sid = clean_text(form.get("MessageSid") or form.get("SmsSid") or "")[:128]
    sender = to_e164(form.get("From"), services.settings.sms_default_region)
    if not sid or sender is None:
        log.warning("inbound SMS without a usable sid or sender number; ignored")
        return twiml()
    message = InboundMessage(
        channel=CHANNEL,
        address=sender,
        text=clean_text(form.get("Body", "")),
        provider_id=sid,
        received_at=services.clock(),
        media_count=_int(form.get("NumMedia")),
        meta={"to": clean_text(form.get("To", ""))[:32]},
    )
    result = await asyncio.to_thread(services.dispatcher.handle, services.session_factory, message)
    if result.queued:
        services.outbox.wake()
    if SAFEGUARDING_EVENT in result.events:
        services.alerts.wake()
    log.info(
        "inbound SMS message handled: duplicate=%s queued=%d events=%s",
        result.duplicate,
        len(result.queued),
        ",".join(result.events),
    )
    return twiml()


# What a channel does once a final status is recorded against its message (inside that transaction).
AfterStatus = Callable[[Session, Message, str, str | None, datetime], None]


def apply_status(
    services: Services,
    sid: str,
    status: str,
    error_code: str | None,
    *,
    channel: str = CHANNEL,
    after: AfterStatus | None = None,
) -> None:
    """A Twilio status callback recorded: the receipt always, the message's delivery when final."""
    now = services.clock()
    with services.session_factory.begin() as session:
        first = receipts_repo.record(
            session, channel=channel, provider_id=sid, status=status, error_code=error_code, now=now
        )
    if not first or status not in FINAL_STATUSES:
        return
    # Committed first, then applied: the outbox records the send's id and then reads receipts,
    # in that order, in two transactions. Whichever of the two comes second sees the other's
    # work, so a receipt that overtakes the send's own record still lands on the message.
    with services.session_factory.begin() as session:
        message = messages_repo.record_delivery(
            session,
            channel=channel,
            provider_id=sid,
            status=FINAL_STATUSES[status],
            error_code=error_code,
            now=now,
        )
        if message is not None:
            (after or _opted_out_at_twilio)(session, message, status, error_code, now)


def _opted_out_at_twilio(
    session: Session, message: Message, status: str, error_code: str | None, now: datetime
) -> None:
    if error_code == "21610" and message.contact_id is not None:
        contact = contacts_repo.lock(session, message.contact_id)
        if contact.opted_out_at is None:
            contacts_repo.opt_out(session, contact, CHANNEL, now)


def status_fields(form: Mapping[str, str]) -> tuple[str, str, str | None]:
    """The message id, its status and any error code of a status callback, cleaned and capped."""
    sid = clean_text(form.get("MessageSid") or form.get("SmsSid") or "")[:128]
    status = clean_text(form.get("MessageStatus") or form.get("SmsStatus") or "").lower()[:16]
    return sid, status, clean_text(form.get("ErrorCode") or "")[:32] or None


async def status_callback(request: Request) -> Response:
    services: Services = request.app.state.services
    form = await signed_form(request, services)
    if form is None:
        return forbidden()
    sid, status, error = status_fields(form)
    if sid and status:
        await asyncio.to_thread(apply_status, services, sid, status, error)
    return Response(status_code=204)

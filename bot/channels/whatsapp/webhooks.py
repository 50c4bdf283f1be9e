"""Twilio's WhatsApp webhooks: messages and button presses in, status callbacks (with `read`)."""

from __future__ import annotations

import asyncio
import logging
import re
from datetime import datetime

from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import Response

from bot.channels.sms.webhooks import (
    apply_status,
    clean_text,
    forbidden,
    inbound_sms,
    other_channel,
    signed_form,
    status_fields,
    twiml,
)
from bot.channels.whatsapp import CHANNEL, number
from bot.channels.whatsapp.errors import from_callback
from bot.channels.whatsapp.fallback import to_sms
from bot.conversation.disclosure import EVENT as SAFEGUARDING_EVENT
from bot.conversation.inbound import InboundMessage
from bot.conversation.keywords import Keyword, keyword
from bot.phone import to_e164
from bot.services import Services
from flows.render import parse_callback_data
from storage import contacts as contacts_repo
from storage import messages as messages_repo
from storage import windows
from storage.models import ChannelIdentity, Message

log = logging.getLogger(__name__)

# The wa.me link's text ends "(code abcdefghjk)" (bot.channels.whatsapp.links); Welsh "cod".
_LINK_CODE = re.compile(r"\b(?:code|cod)\s*:?\s*([a-hjkmnp-z2-9]{10})\b", re.IGNORECASE)
LINK_SOURCE = "wa_link"
_ANSWERED = (Keyword.STOP, Keyword.HELP, Keyword.PRIVACY)


def link_code(text: str) -> str | None:
    found = _LINK_CODE.search(text)
    return found[1].lower() if found else None


def _int(value: str | None) -> int:
    try:
        return max(0, int(value or 0))
    except ValueError:
        return 0


def parse(form: dict[str, str], services: Services) -> InboundMessage | None:
    sid = clean_text(form.get("MessageSid") or form.get("SmsSid") or "")[:128]
    sender = to_e164(number(form.get("From") or ""), services.settings.sms_default_region)
    if not sid or sender is None:
        return None
    payload = clean_text(form.get("ButtonPayload") or "")[:256]
    # A button press carries its title as the body too; a template's own button has no payload
    # of ours and is read as the words on it.
    text = clean_text(form.get("Body") or form.get("ButtonText") or "")
    button = parse_callback_data(payload) if payload else None
    meta: dict[str, object] = {"to": clean_text(form.get("To", ""))[:48]}
    if payload and button is None:
        meta["button_payload"] = payload[:64]
    code = link_code(text) if button is None else None
    if code is not None:
        meta |= {"command": "start", "payload": code}
    return InboundMessage(
        channel=CHANNEL,
        address=sender,
        text=button[1] if button is not None else text,
        provider_id=sid,
        received_at=services.clock(),
        button=button,
        media_count=_int(form.get("NumMedia")),
        meta=meta,
    )


def open_window(services: Services, msg: InboundMessage) -> bool:
    """Their message opens the window: what was held for it goes now. True when that is all
    the message did (a reply to a template's invitation is not an answer to a question)."""
    now = services.clock()
    with services.session_factory.begin() as session:
        found = contacts_repo.find_by_address(session, CHANNEL, msg.address, lock=True)
        if found is None:
            texted = contacts_repo.find_by_address(session, "sms", msg.address, lock=True)
            if texted is None:
                return False
            # The number we text: the same person, now on WhatsApp too.
            identity = contacts_repo.link_identity(
                session,
                texted[0],
                CHANNEL,
                msg.address,
                now,
                source=LINK_SOURCE if msg.command else "whatsapp_first_message",
            )
            found = (texted[0], identity)
        contact, identity = found
        windows.note_inbound(identity, now)
        if not windows.release_held(session, identity.id, now):
            return False
        # What was held goes now. A press of the template's own button did only that; anything
        # typed is read as usual (STOP above all, and every word is seen by the safeguarding
        # check). A template's "Start" button is not START: that only rejoins.
        word = keyword(msg.text)
        if msg.command or word in _ANSWERED or (word is Keyword.START and contact.opted_out_at):
            return False
        if "button_payload" not in msg.meta:
            return False
        messages_repo.record_inbound(
            session,
            channel=CHANNEL,
            provider_id=msg.provider_id,
            body=msg.text,
            contact_id=contact.id,
            identity_id=identity.id,
            meta={**msg.meta, "opened_window": True},
            now=now,
        )
        return True


def note_window(services: Services, msg: InboundMessage) -> None:
    now = services.clock()
    with services.session_factory.begin() as session:
        found = contacts_repo.find_by_address(session, CHANNEL, msg.address)
        if found is None:
            return
        identity = found[1]
        windows.note_inbound(identity, now)
        if msg.command and identity.opt_in_source == f"{CHANNEL}_first_message":
            identity.opt_in_source = LINK_SOURCE


async def inbound_whatsapp(request: Request) -> Response:
    services: Services = request.app.state.services
    form = await signed_form(request, services)
    if form is None:
        return forbidden()
    msg = parse(form, services)
    if msg is None:
        log.warning("inbound WhatsApp message without a usable sid or sender; ignored")
        return twiml()
    if await asyncio.to_thread(open_window, services, msg):
        services.outbox.wake()
        log.info("inbound WhatsApp message opened the window for held messages")
        return twiml()
    result = await asyncio.to_thread(services.dispatcher.handle, services.session_factory, msg)
    # Before the outbox looks: the replies just queued go inside the window this opened.
    await asyncio.to_thread(note_window, services, msg)
    if result.queued:
        services.outbox.wake()
    if SAFEGUARDING_EVENT in result.events:
        services.alerts.wake()
    log.info(
        "inbound WhatsApp message handled: duplicate=%s queued=%d events=%s",
        result.duplicate,
        len(result.queued),
        ",".join(result.events),
    )
    return twiml()


async def inbound_twilio(request: Request) -> Response:
    """The SMS webhook URL: Twilio's console points a number's WhatsApp sender at it by default,
    so WhatsApp messages arriving there are answered on WhatsApp, never by SMS."""
    services: Services = request.app.state.services
    if services.settings.whatsapp_configured:
        try:
            form = await request.form()
        except Exception:  # not a form: the SMS handler refuses it
            return await inbound_sms(request)
        fields = {k: v for k, v in form.multi_items() if isinstance(v, str)}
        if other_channel(fields) == CHANNEL:
            return await inbound_whatsapp(request)
    return await inbound_sms(request)


def _after_failure(
    session: Session, message: Message, error_code: str | None, now: datetime
) -> None:
    if error_code == "21610" and message.contact_id is not None:
        contact = contacts_repo.lock(session, message.contact_id)
        if contact.opted_out_at is None:
            contacts_repo.opt_out(session, contact, CHANNEL, now)
        return
    what = from_callback(error_code)
    if what == "window" and not (message.meta or {}).get("template"):
        identity = (
            session.get(ChannelIdentity, message.identity_id) if message.identity_id else None
        )
        if identity is not None:
            windows.close(identity)
        # Sent again: the sender now sees the window shut and sends a template, or holds it.
        message.status = "queued"
        message.provider_id = None
        message.next_attempt_at = now
        message.status_updated_at = now
        session.flush()
    elif what is not None:
        to_sms(session, message, now)


def _after_status(
    session: Session, message: Message, status: str, error_code: str | None, now: datetime
) -> None:
    if status in ("failed", "undelivered"):
        _after_failure(session, message, error_code, now)


async def status_whatsapp(request: Request) -> Response:
    services: Services = request.app.state.services
    form = await signed_form(request, services)
    if form is None:
        return forbidden()
    sid, status, error = status_fields(form)
    if sid and status:
        await asyncio.to_thread(
            apply_status, services, sid, status, error, channel=CHANNEL, after=_after_status
        )
    if status:
        log.info("WhatsApp status callback: %s", status)
    return Response(status_code=204)

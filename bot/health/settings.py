"""Checks of the settings alone: no network, no database. Each says what is wrong and how to fix it."""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import SecretStr

from bot.channels.whatsapp.content import ContentConfigError, parse_buttons, parse_templates
from bot.config import Settings
from bot.followups.quiet_hours import parse_clock
from bot.health.check import Check, fail, ok, warn
from bot.phone import to_e164
from storage.crypto import EncryptionKeyError, IdentifierCipher

TWILIO_SID = re.compile(r"AC[0-9a-fA-F]{32}")
MESSAGING_SERVICE_SID = re.compile(r"MG[0-9a-fA-F]{32}")
TELEGRAM_TOKEN = re.compile(r"[0-9]+:[A-Za-z0-9_-]+")
# Telegram accepts 1-256 of these in the webhook's secret_token.
TELEGRAM_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")
EMAIL = re.compile(r"[^@\s,]+@[^@\s,]+\.[^@\s,]+")

SMS_FIX = (
    "set TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM_NUMBER (or "
    "TWILIO_MESSAGING_SERVICE_SID) from the Twilio console"
)
TELEGRAM_FIX = "set TELEGRAM_BOT_TOKEN to the token @BotFather gave the bot"
ALERTS_FIX = (
    "set SMTP_HOST (and SMTP_USERNAME/SMTP_PASSWORD if the server needs them) and "
    "SAFEGUARDING_EMAIL_TO to the designated safeguarding lead's address"
)
KEY_FIX = (
    "make a key with `sendvoice privacy new-key` and set DATA_ENCRYPTION_KEY; keep it safe, "
    "nothing stored can be read without it"
)


def _secret(value: object) -> str:
    # Settings changed after validation (model_copy) may hold a plain string.
    if isinstance(value, SecretStr):
        return value.get_secret_value()
    return str(value or "")


def settings_checks(settings: Settings) -> list[Check]:
    return [
        encryption_key(settings),
        public_url(settings),
        sms(settings),
        telegram(settings),
        whatsapp(settings),
        alerts(settings),
        dashboard(settings),
        time_zone(settings),
    ]


def cipher_for(settings: Settings) -> IdentifierCipher | None:
    try:
        return IdentifierCipher(settings.encryption_keys())
    except EncryptionKeyError:
        return None


def encryption_key(settings: Settings) -> Check:
    try:
        IdentifierCipher(settings.encryption_keys())
    except EncryptionKeyError as exc:
        return fail("encryption key", str(exc), KEY_FIX)
    count = len(settings.encryption_keys())
    more = f"; {count - 1} older key(s) still decrypt" if count > 1 else ""
    return ok("encryption key", f"DATA_ENCRYPTION_KEY is a valid key{more}")


def _is_local(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_private or address.is_unspecified


def public_url(settings: Settings) -> Check:
    name = "public url"
    fix = (
        "set PUBLIC_BASE_URL to the https address Twilio, Telegram and officers reach this "
        "service at, e.g. https://sendvoice.example.gov.uk"
    )
    try:
        parts = urlsplit(settings.public_base_url.strip())
        host = parts.hostname or ""
    except ValueError:
        return fail(name, "PUBLIC_BASE_URL is not a web address", fix)
    if parts.scheme not in ("http", "https") or not host:
        return fail(name, "PUBLIC_BASE_URL is not a web address", fix)
    if parts.query or parts.fragment:
        return fail(name, "PUBLIC_BASE_URL has a query or fragment; webhook signatures fail", fix)
    if _is_local(host):
        return warn(
            name,
            "PUBLIC_BASE_URL is a local address: fine for development, but Twilio and Telegram "
            "cannot reach it and webhook signatures will not match in production",
            fix,
        )
    if parts.scheme != "https":
        return fail(
            name,
            "PUBLIC_BASE_URL is not https: webhooks and sign-in cookies would cross the "
            "internet unencrypted",
            fix,
        )
    return ok(name, f"{settings.public_base_url.rstrip('/')} (https)")


def _api_address(name: str, setting: str, url: str) -> Check | None:
    """A provider address that is not the provider's own: left pointing at a test server, or
    sending credentials in clear. None when it looks right."""
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname or ""
    except ValueError:
        host, parts = "", urlsplit("")
    fix = f"remove {setting} to use the provider's own address, or give an https gateway"
    if parts.scheme not in ("http", "https") or not host:
        return fail(name, f"{setting} is not a web address", fix)
    if _is_local(host):
        return warn(name, f"{setting} points at this machine or network (a test server?)", fix)
    if parts.scheme != "https":
        return fail(name, f"{setting} is not https: credentials would cross the network", fix)
    return None


def sms(settings: Settings) -> Check:
    name = "sms (twilio)"
    given = {
        "TWILIO_ACCOUNT_SID": settings.twilio_account_sid,
        "TWILIO_AUTH_TOKEN": _secret(settings.twilio_auth_token),
        "sender": settings.twilio_from_number or settings.twilio_messaging_service_sid,
    }
    if not any(given.values()):
        return warn(
            name,
            "SMS is off: texts from parents are refused and nothing is sent by SMS; "
            "follow-ups for people reached by SMS are held",
            SMS_FIX,
        )
    missing = [key for key, value in given.items() if not value]
    if missing:
        words = ", ".join(
            "TWILIO_FROM_NUMBER or TWILIO_MESSAGING_SERVICE_SID" if m == "sender" else m
            for m in missing
        )
        return fail(name, f"SMS is half set up: {words} missing, so nothing is sent", SMS_FIX)
    if not TWILIO_SID.fullmatch(settings.twilio_account_sid):
        return fail(
            name, "TWILIO_ACCOUNT_SID is not an account SID (AC and 32 hex digits)", SMS_FIX
        )
    if (
        settings.twilio_from_number
        and to_e164(settings.twilio_from_number, settings.sms_default_region) is None
    ):
        return fail(name, "TWILIO_FROM_NUMBER is not a phone number", SMS_FIX)
    service = settings.twilio_messaging_service_sid
    if service and not MESSAGING_SERVICE_SID.fullmatch(service):
        return fail(
            name,
            "TWILIO_MESSAGING_SERVICE_SID is not a messaging service SID (MG and 32 hex digits)",
            SMS_FIX,
        )
    api = _api_address(name, "TWILIO_API_BASE_URL", settings.twilio_api_base_url)
    if api is not None:
        return api
    webhook = settings.public_url("/webhooks/twilio/sms")
    return ok(name, f"Twilio is set up; the number's incoming-message webhook must be {webhook}")


WHATSAPP_FIX = "see README: Connect WhatsApp; `sendvoice whatsapp check` shows what is read"


def whatsapp(settings: Settings) -> Check:
    name = "whatsapp"
    try:
        templates = parse_templates(settings.whatsapp_templates)
        parse_buttons(settings.whatsapp_button_content)
    except ContentConfigError as exc:
        return fail(name, str(exc), WHATSAPP_FIX)
    if not settings.whatsapp_configured:
        return ok(name, "WhatsApp is off (set TWILIO_WHATSAPP_FROM to use it)")
    if not templates:
        return warn(
            name,
            "no WHATSAPP_TEMPLATES: follow-ups to people who have not written in 24 hours wait "
            "for them to write, or go by SMS to those who agreed to texts",
            WHATSAPP_FIX,
        )
    return ok(name, f"WhatsApp is on, with {len(templates)} approved template(s)")


def telegram(settings: Settings) -> Check:
    name = "telegram"
    token = _secret(settings.telegram_bot_token)
    secret = _secret(settings.telegram_webhook_secret)
    if not token:
        if secret:
            return fail(
                name, "TELEGRAM_WEBHOOK_SECRET is set but TELEGRAM_BOT_TOKEN is not", TELEGRAM_FIX
            )
        return warn(
            name,
            "Telegram is off: nothing is sent by Telegram; follow-ups for young people on "
            "Telegram are held",
            TELEGRAM_FIX,
        )
    if not TELEGRAM_TOKEN.fullmatch(token):
        return fail(name, "TELEGRAM_BOT_TOKEN is not a bot token (digits:letters)", TELEGRAM_FIX)
    webhook_fix = (
        "set TELEGRAM_WEBHOOK_SECRET to a random string of letters, digits, _ or -, then run "
        "`sendvoice telegram set-webhook`"
    )
    if not secret:
        return warn(
            name,
            "no TELEGRAM_WEBHOOK_SECRET: the webhook refuses every update, so only "
            "`serve --telegram-polling` receives messages",
            webhook_fix,
        )
    if not TELEGRAM_SECRET.fullmatch(secret):
        return fail(name, "TELEGRAM_WEBHOOK_SECRET has characters Telegram refuses", webhook_fix)
    api = _api_address(name, "TELEGRAM_API_BASE_URL", settings.telegram_api_base_url)
    if api is not None:
        return api
    webhook = settings.public_url("/webhooks/telegram")
    if not webhook.startswith("https://"):
        return warn(
            name,
            "Telegram only delivers to https webhooks; locally, use `serve --telegram-polling`",
            "set PUBLIC_BASE_URL to an https address, then run `sendvoice telegram set-webhook`",
        )
    return ok(name, f"Telegram is set up; register {webhook} with `sendvoice telegram set-webhook`")


def alerts(settings: Settings) -> Check:
    name = "safeguarding alerts"
    missing = [
        key
        for key, value in (
            ("SMTP_HOST", settings.smtp_host),
            ("SAFEGUARDING_EMAIL_TO", settings.safeguarding_email_to),
        )
        if not value.strip()
    ]
    sms_to = settings.safeguarding_sms_numbers()
    if sms_to and not settings.twilio_configured:
        return fail(
            name,
            "SAFEGUARDING_SMS_TO is set but Twilio is not: the SMS alerts cannot be sent",
            "set the TWILIO_* settings (see the sms check), or clear SAFEGUARDING_SMS_TO",
        )
    if missing and sms_to:
        return warn(
            name,
            f"alerts go by SMS only, to {len(sms_to)} number(s) ({' and '.join(missing)} not "
            "set): one route, so an SMS outage would delay them",
            ALERTS_FIX,
        )
    if missing:
        return fail(
            name,
            f"safeguarding alerts are not emailed ({' and '.join(missing)} not set): flags wait "
            "in the dashboard queue until someone happens to look",
            ALERTS_FIX,
        )
    recipients = [r.strip() for r in settings.safeguarding_email_to.split(",") if r.strip()]
    if not all(EMAIL.fullmatch(r) for r in recipients):
        return fail(
            name, "SAFEGUARDING_EMAIL_TO is not a comma-separated list of addresses", ALERTS_FIX
        )
    if settings.smtp_username and not _secret(settings.smtp_password):
        return fail(name, "SMTP_USERNAME is set but SMTP_PASSWORD is not", ALERTS_FIX)
    if not settings.smtp_starttls and not _is_local(settings.smtp_host):
        return warn(
            name,
            "SMTP_STARTTLS is off: alert emails cross the network unencrypted",
            "set SMTP_STARTTLS=true unless the mail server is on this machine",
        )
    if settings.smtp_from.strip().lower().endswith("@localhost"):
        return warn(
            name,
            "SMTP_FROM is a localhost address, which mail servers often refuse or file as spam",
            "set SMTP_FROM to an address of the council's domain that may send mail",
        )
    if settings.safeguarding_email_include_text:
        return warn(
            name,
            "alert emails carry the person's own words, and email is not a secure channel",
            "set SAFEGUARDING_EMAIL_INCLUDE_TEXT=false; the email links to the dashboard instead",
        )
    by_sms = f", and by SMS to {len(sms_to)} number(s)" if sms_to else ""
    return ok(
        name,
        f"emailed to {len(recipients)} address(es) through {settings.smtp_host}:"
        f"{settings.smtp_port}{by_sms}",
    )


def dashboard(settings: Settings) -> Check:
    from bot.web.dashboard.config import MIN_SECRET_LENGTH

    name = "dashboard"
    secret = _secret(settings.session_secret)
    fix = (
        f"set SESSION_SECRET to at least {MIN_SECRET_LENGTH} random characters, e.g. "
        "`python -c 'import secrets; print(secrets.token_urlsafe(48))'`"
    )
    if not secret:
        return warn(name, "the dashboard is off (it answers 503): SESSION_SECRET is not set", fix)
    if len(secret) < MIN_SECRET_LENGTH:
        return fail(name, f"SESSION_SECRET is shorter than {MIN_SECRET_LENGTH} characters", fix)
    return ok(name, "SESSION_SECRET is set")


def time_zone(settings: Settings) -> Check:
    name = "time zone"
    try:
        ZoneInfo(settings.default_timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return fail(
            name,
            "DEFAULT_TIMEZONE is not a known time zone",
            "set DEFAULT_TIMEZONE to an IANA name such as Europe/London (and install tzdata)",
        )
    try:
        start = parse_clock(settings.quiet_hours_start)
        end = parse_clock(settings.quiet_hours_end)
    except ValueError:
        return fail(
            name,
            "QUIET_HOURS_START or QUIET_HOURS_END is not a time of day",
            "write them as HH:MM, e.g. QUIET_HOURS_START=20:00 and QUIET_HOURS_END=09:00",
        )
    return ok(
        name,
        f"{settings.default_timezone}; quiet hours {start:%H:%M}-{end:%H:%M} in each person's "
        "time zone",
    )


def flows(settings: Settings) -> Check:
    from flows.errors import FlowError
    from flows.library import LIBRARY_DIR, load_library

    name = "flows"
    try:
        library = load_library([LIBRARY_DIR, *settings.flow_path_list()])
    except (FlowError, OSError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return fail(
            name,
            f"the flows do not load: {first[:200]}",
            "run `sendvoice flows validate` and fix what it says, or correct FLOW_PATHS",
        )
    return ok(name, f"{len(list(library))} flows load")

"""Logging for operators. Log ids and outcomes only: never a phone number, name or message body."""

from __future__ import annotations

import logging


def configure_logging(level: str = "INFO") -> None:
    logging.basicConfig(
        level=getattr(logging, level.upper(), logging.INFO),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # httpx logs full request URLs, which carry bot tokens and phone numbers.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    # twilio's HTTP client logs request parameters at INFO: the To number and the message body.
    logging.getLogger("twilio").setLevel(logging.WARNING)
    # python-telegram-bot logs every API call's parameters at DEBUG: chat ids and message texts.
    logging.getLogger("telegram").setLevel(logging.WARNING)

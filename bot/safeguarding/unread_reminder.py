"""Free text nobody has read within READ_WITHIN_HOURS: the lead is told, once for each batch.

The reminder goes by the safeguarding alert routes (email, and SMS through the outbox) and says only
how many wait and for how long, with the link: never their words, never a name.
"""

from __future__ import annotations

import logging
import smtplib
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Protocol

from sqlalchemy.orm import Session

from bot.config import Settings
from storage import to_read

log = logging.getLogger(__name__)
KIND = "unread_reminder"


class Routes(Protocol):
    """The safeguarding alert routes (bot.safeguarding.alerts.SafeguardingAlerts)."""

    @property
    def settings(self) -> Settings: ...

    @property
    def email_configured(self) -> bool: ...

    @property
    def sms_configured(self) -> bool: ...

    def send_email(self, message: EmailMessage) -> None: ...

    def queue_sms(self, session: Session, body: str, now: datetime, *, kind: str) -> int: ...


def summary(settings: Settings, new: int, overdue: int, oldest: datetime, now: datetime) -> str:
    hours = int((now - oldest).total_seconds() // 3600)
    return (
        f"sendvoice: {new} more free-text message{'s' if new != 1 else ''} not read within "
        f"{settings.read_within_hours} hours ({overdue} overdue in all; the oldest has waited "
        f"{hours} hours). Read them: {settings.public_url('/dashboard/to-read')}"
    )


def compose(settings: Settings, text: str, overdue: int) -> EmailMessage:
    message = EmailMessage()
    plural = "s" if overdue != 1 else ""
    message["Subject"] = f"[sendvoice] {overdue} free-text message{plural} not read in time"
    message["From"] = settings.smtp_from
    message["To"] = settings.safeguarding_email_to
    message.set_content(
        text + "\n\nNo detector catches every disclosure: each of these needs a person to read it."
    )
    return message


def remind(alerts: Routes, session: Session, now: datetime) -> int:
    """Remind the lead of items newly past the deadline; returns how many SMS were queued.

    The items are marked reminded only once a route took the reminder, so a mail server that is
    away means the next pass tries again."""
    settings = alerts.settings
    if not (alerts.email_configured or alerts.sms_configured):
        return 0
    within = timedelta(hours=settings.read_within_hours)
    due = to_read.reminders_due(session, now, within)
    if not due:
        return 0
    overdue = to_read.overdue_count(session, now, within)
    text = summary(settings, len(due), overdue, min(i.arrived_at for i in due), now)
    sent = False
    if alerts.email_configured:
        try:
            alerts.send_email(compose(settings, text, overdue))
            sent = True
        except (OSError, smtplib.SMTPException) as exc:
            log.warning("unread reminder not emailed (%s)", type(exc).__name__)
    queued = 0
    if alerts.sms_configured:
        queued = alerts.queue_sms(session, text, now, kind=KIND)
        sent = True
    if sent:
        for item in due:
            item.reminded_at = now
        log.warning("%s free-text items unread past the deadline: the lead was reminded", len(due))
    return queued

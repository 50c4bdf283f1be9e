"""Alerts the designated safeguarding lead by email within a minute; never loses one.

A flag is written in the same transaction as the message that raised it. This worker emails every
flag not yet alerted, retrying with backoff while the mail server is away; whatever happens to email,
the flag stays in the dashboard queue until someone acknowledges it.
"""

from __future__ import annotations

import asyncio
import logging
import smtplib
from datetime import timedelta
from email.message import EmailMessage

from sqlalchemy.orm import Session, sessionmaker

from bot.clock import Clock, system_clock
from bot.config import Settings
from storage import safeguarding as flags_repo
from storage.models import Contact, SafeguardingFlag

log = logging.getLogger(__name__)

RETRY_BASE = timedelta(seconds=15)
RETRY_CAP = timedelta(minutes=10)
CATEGORY_WORDS = {
    "self_harm_suicide": "self-harm or suicide",
    "abuse_physical": "physical abuse",
    "abuse_sexual": "sexual abuse",
    "abuse_emotional": "emotional abuse",
    "neglect": "neglect",
    "violence": "violence",
    "exploitation": "exploitation",
    "unsafe": "feeling unsafe",
}


def compose(settings: Settings, flag: SafeguardingFlag, pseudonym: str | None) -> EmailMessage:
    what = CATEGORY_WORDS.get(flag.category, flag.category)
    message = EmailMessage()
    message["Subject"] = f"[sendvoice] Safeguarding flag #{flag.id}: {what}"
    message["From"] = settings.smtp_from
    message["To"] = settings.safeguarding_email_to
    lines = [
        f"A message received by {flag.channel} at {flag.created_at:%H:%M on %d %B %Y} (UTC) may "
        f"show a risk of harm ({what}).",
        "",
        f"Read it and act: {settings.public_url('/dashboard/safeguarding')}",
        f"Person (pseudonym): {pseudonym or 'unknown'}",
        "Why it was flagged: " + "; ".join(flag.reasons),
    ]
    if settings.safeguarding_email_include_text:
        lines += ["", "Their words:", flag.text]
    lines += ["", "The survey with this person is paused until the flag is acknowledged."]
    message.set_content("\n".join(lines))
    return message


def send_smtp(settings: Settings, message: EmailMessage) -> None:
    with smtplib.SMTP(
        settings.smtp_host, settings.smtp_port, timeout=settings.smtp_timeout_seconds
    ) as smtp:
        if settings.smtp_starttls:
            smtp.starttls()
        if settings.smtp_username:
            smtp.login(settings.smtp_username, settings.smtp_password.get_secret_value())
        smtp.send_message(message)


class SafeguardingAlerts:
    def __init__(
        self,
        session_factory: sessionmaker[Session],
        settings: Settings,
        *,
        clock: Clock = system_clock,
    ) -> None:
        self.session_factory = session_factory
        self.settings = settings
        self.clock = clock
        self.wakeup = asyncio.Event()
        # Flags already reported as not emailable, so each is logged once by this process.
        self._unroutable: set[int] = set()

    @property
    def email_configured(self) -> bool:
        return bool(self.settings.smtp_host and self.settings.safeguarding_email_to)

    def deliver_due(self) -> int:
        """Email every flag not yet alerted; returns how many went."""
        if not self.email_configured:
            self._warn_unroutable()
            return 0
        sent = 0
        now = self.clock()
        with self.session_factory.begin() as session:
            for flag in flags_repo.alerts_due(session, now):
                contact = session.get(Contact, flag.contact_id) if flag.contact_id else None
                pseudonym = contact.pseudonym if contact is not None else None
                try:
                    send_smtp(self.settings, compose(self.settings, flag, pseudonym))
                except (OSError, smtplib.SMTPException) as exc:
                    flag.alert_attempts += 1
                    delay = min(RETRY_CAP, RETRY_BASE * (2 ** min(flag.alert_attempts - 1, 10)))
                    flag.alert_next_at = now + delay
                    flag.alert_error = type(exc).__name__[:200]
                    log.warning(
                        "safeguarding alert %s not sent (%s); retrying", flag.id, type(exc).__name__
                    )
                    continue
                flag.alert_sent_at = now
                flag.alert_error = None
                sent += 1
                log.info("safeguarding alert %s sent", flag.id)
        return sent

    def _warn_unroutable(self) -> None:
        """With no alert route the flags would wait in silence: say so, once per flag."""
        with self.session_factory() as session:
            due = [f.id for f in flags_repo.alerts_due(session, self.clock(), limit=500)]
        new = [flag_id for flag_id in due if flag_id not in self._unroutable]
        if not new:
            return
        self._unroutable.update(new)
        log.warning(
            "%d safeguarding alert(s) cannot be emailed (flags %s): SMTP_HOST or "
            "SAFEGUARDING_EMAIL_TO is not set; read them at /dashboard/safeguarding",
            len(new),
            ", ".join(map(str, new)),
        )

    def wake(self) -> None:
        self.wakeup.set()

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                await asyncio.to_thread(self.deliver_due)
            except Exception:  # the database may be briefly away; the flags are safe in it
                log.exception("safeguarding alert pass failed")
            self.wakeup.clear()
            waiters = [asyncio.create_task(self.wakeup.wait()), asyncio.create_task(stop.wait())]
            _, pending = await asyncio.wait(
                waiters,
                timeout=self.settings.alert_poll_seconds,
                return_when=asyncio.FIRST_COMPLETED,
            )
            for task in pending:
                task.cancel()

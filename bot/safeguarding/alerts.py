"""Alerts the designated safeguarding lead within a minute, by email and by SMS; never loses one.

A flag is written in the same transaction as the message that raised it. This worker emails every
flag not yet alerted, retrying with backoff while the mail server is away, and queues an SMS to the
lead's number through the outbox (its own retries), so one route being down does not silence an
alert. A flag nobody acknowledges is alerted again every SAFEGUARDING_REALERT_MINUTES; whatever
happens to the routes, it stays in the dashboard queue until someone acknowledges it. The same
routes carry the reminder about free text nobody has read in time (unread_reminder).
"""

from __future__ import annotations

import asyncio
import logging
import smtplib
from collections.abc import Callable
from datetime import datetime, timedelta
from email.message import EmailMessage

from sqlalchemy.orm import Session, sessionmaker

from bot.clock import Clock, system_clock
from bot.config import Settings
from bot.delivery import threads
from bot.delivery.wakeup import Wake
from bot.safeguarding import unread_reminder
from storage import contacts as contacts_repo
from storage import messages as messages_repo
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


def compose(
    settings: Settings, flag: SafeguardingFlag, pseudonym: str | None, *, again: bool = False
) -> EmailMessage:
    what = CATEGORY_WORDS.get(flag.category, flag.category)
    message = EmailMessage()
    still = "Still not acknowledged: " if again else ""
    message["Subject"] = f"[sendvoice] {still}Safeguarding flag #{flag.id}: {what}"
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


def sms_text(settings: Settings, flag: SafeguardingFlag, *, again: bool = False) -> str:
    """Short, and safe on a lock screen: what kind, when, where to read it; no words, no name."""
    what = CATEGORY_WORDS.get(flag.category, flag.category)
    still = "still not acknowledged, " if again else ""
    return (
        f"sendvoice: safeguarding flag #{flag.id} ({what}), {still}raised "
        f"{flag.created_at:%H:%M %d/%m} UTC. Read and act: "
        f"{settings.public_url('/dashboard/safeguarding')}"
    )


class SafeguardingAlerts:
    def __init__(
        self,
        session_factory: sessionmaker[Session],
        settings: Settings,
        *,
        clock: Clock = system_clock,
        on_queued: Callable[[], None] = lambda: None,
    ) -> None:
        self.session_factory = session_factory
        self.settings = settings
        self.clock = clock
        self.wakeup = asyncio.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        # Under `serve --workers N`, a web process wakes the alerts of the serving process.
        self.forward: Wake | None = None
        self.on_queued = on_queued  # wakes the outbox when an SMS alert was queued
        # Flags already reported as not emailable, so each is logged once by this process.
        self._unroutable: set[int] = set()

    @property
    def email_configured(self) -> bool:
        return bool(self.settings.smtp_host and self.settings.safeguarding_email_to)

    @property
    def sms_configured(self) -> bool:
        return bool(self.settings.safeguarding_sms_numbers())

    def deliver_due(self) -> int:
        """Alert every flag not yet alerted, and again every one left unacknowledged too long;
        returns how many emails went."""
        if not self.email_configured and not self.sms_configured:
            self._warn_unroutable()
            return 0
        now = self.clock()
        every = timedelta(minutes=self.settings.safeguarding_realert_minutes)
        sent = queued = 0
        with self.session_factory.begin() as session:
            if self.email_configured:
                for flag in flags_repo.alerts_due(session, now):
                    if self._email(session, flag, now, again=False):
                        flag.alert_sent_at = now
                        flags_repo.schedule_realert(flag, now, every)
                        sent += 1
            elif self.sms_configured:
                # SMS is the only route: the first SMS counts as the alert, and re-alerts follow.
                for flag in flags_repo.alerts_due(session, now):
                    flag.alert_sent_at = now
                    flags_repo.schedule_realert(flag, now, every)
            if self.sms_configured:
                for flag in flags_repo.sms_due(session):
                    queued += self._sms(session, flag, now, again=False)
                    flag.sms_alerted_at = now
                    if flag.realert_at is None:
                        flags_repo.schedule_realert(flag, now, every)
            for flag in flags_repo.realerts_due(session, now):
                if self.email_configured:
                    sent += self._email(session, flag, now, again=True)
                if self.sms_configured:
                    queued += self._sms(session, flag, now, again=True)
                flag.realerts += 1
                flags_repo.schedule_realert(flag, now, every)
                log.warning("safeguarding flag %s still not acknowledged: alerted again", flag.id)
            queued += unread_reminder.remind(self, session, now)
        if queued:
            self.on_queued()
        return sent

    def _email(
        self, session: Session, flag: SafeguardingFlag, now: datetime, *, again: bool
    ) -> bool:
        contact = session.get(Contact, flag.contact_id) if flag.contact_id else None
        pseudonym = contact.pseudonym if contact is not None else None
        try:
            send_smtp(self.settings, compose(self.settings, flag, pseudonym, again=again))
        except (OSError, smtplib.SMTPException) as exc:
            flag.alert_attempts += 1
            delay = min(RETRY_CAP, RETRY_BASE * (2 ** min(flag.alert_attempts - 1, 10)))
            flag.alert_next_at = now + delay
            flag.alert_error = type(exc).__name__[:200]
            log.warning(
                "safeguarding alert %s not sent (%s); retrying", flag.id, type(exc).__name__
            )
            return False
        flag.alert_error = None
        log.info("safeguarding alert %s emailed", flag.id)
        return True

    def _sms(self, session: Session, flag: SafeguardingFlag, now: datetime, *, again: bool) -> int:
        """Queue the SMS to each lead's number; the outbox sends, paces and retries it."""
        queued = self.queue_sms(session, sms_text(self.settings, flag, again=again), now)
        log.info("safeguarding alert %s queued by SMS", flag.id)
        return queued

    def send_email(self, message: EmailMessage) -> None:
        send_smtp(self.settings, message)

    def queue_sms(
        self, session: Session, body: str, now: datetime, *, kind: str = "safeguarding_alert"
    ) -> int:
        for number in self.settings.safeguarding_sms_numbers():
            contact, identity, _ = contacts_repo.find_or_create(
                session, "sms", number, now, role="staff"
            )
            messages_repo.queue_outbound(
                session,
                channel="sms",
                identity_id=identity.id,
                contact_id=contact.id,
                body=body,
                # Sent even if that number once replied STOP to surveys: this is not a survey.
                meta={"kinds": [kind], "opt_out_confirmation": True},
                segments=None,
                now=now,
            )
        return len(self.settings.safeguarding_sms_numbers())

    def _warn_unroutable(self) -> None:
        """With no alert route the flags would wait in silence: say so, once per flag."""
        with self.session_factory() as session:
            due = [f.id for f in flags_repo.alerts_due(session, self.clock(), limit=500)]
        new = [flag_id for flag_id in due if flag_id not in self._unroutable]
        if not new:
            return
        self._unroutable.update(new)
        log.warning(
            "%d safeguarding alert(s) cannot be sent (flags %s): no alert route is set "
            "(SMTP_HOST and SAFEGUARDING_EMAIL_TO, or SAFEGUARDING_SMS_TO); read them at "
            "/dashboard/safeguarding",
            len(new),
            ", ".join(map(str, new)),
        )

    def wake(self) -> None:
        """A flag was raised: alert now, not at the next poll. Safe from any thread."""
        threads.set_event(self.wakeup, self._loop)
        if self.forward is not None:
            self.forward("alerts")

    async def run(self, stop: asyncio.Event) -> None:
        self._loop = asyncio.get_running_loop()
        while not stop.is_set():
            self.wakeup.clear()  # before the pass: a flag raised during it starts another
            try:
                await threads.run(self.deliver_due)
            except Exception:  # the database may be briefly away; the flags are safe in it
                log.exception("safeguarding alert pass failed")
            waiters = [asyncio.create_task(self.wakeup.wait()), asyncio.create_task(stop.wait())]
            _, pending = await asyncio.wait(
                waiters,
                timeout=self.settings.alert_poll_seconds,
                return_when=asyncio.FIRST_COMPLETED,
            )
            for task in pending:
                task.cancel()

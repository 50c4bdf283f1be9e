"""Sends due follow-ups: a claimed batch at a time, in one transaction, with every skip explained."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.conversation.ages import AGE_BANDS, AGE_CHECKED_CHANNELS
from bot.conversation.replies import reply
from bot.conversation.turn import DispatchResult, Turn
from bot.followups.holds import CHANNEL_NAMES, hold_reason
from bot.followups.quiet_hours import parse_clock, quiet_until, zone
from bot.services import Services
from bot.versions.live import refresh
from flows import engine
from flows.outcome import Prompt, PromptKind
from storage import areas, you_said
from storage import conversations as conversations_repo
from storage import events as events_repo
from storage import followups as followups_repo
from storage.db import deferred_flush
from storage.followup_lookups import BatchLookups, RowLookups
from storage.models import ChannelIdentity, Contact, Conversation, Event, FollowUp

log = logging.getLogger(__name__)

RETRY_FAILED = timedelta(minutes=5)
# How long to wait before looking again when someone is busy in another conversation.
RECHECK_BUSY = timedelta(minutes=30)
# Preferred channel first; then SMS (we may text first), WhatsApp (a template may open it), then
# chat (only if they started the bot).
CHANNEL_ORDER = ("sms", "whatsapp", "telegram")


@dataclass
class FollowUpReport:
    sent: int = 0
    postponed: int = 0
    held: int = 0
    skipped: int = 0
    cancelled: int = 0
    expired: int = 0
    reasons: dict[str, int] = field(default_factory=dict)

    def note(self, outcome: str, reason: str | None) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)
        if reason:
            self.reasons[reason] = self.reasons.get(reason, 0) + 1

    def add(self, other: FollowUpReport) -> None:
        for outcome in ("sent", "postponed", "held", "skipped", "cancelled", "expired"):
            setattr(self, outcome, getattr(self, outcome) + getattr(other, outcome))
        for reason, count in other.reasons.items():
            self.reasons[reason] = self.reasons.get(reason, 0) + count


class FollowUpRunner:
    def __init__(self, services: Services) -> None:
        self.s = services
        settings = services.settings
        self.quiet = (
            parse_clock(settings.quiet_hours_start),
            parse_clock(settings.quiet_hours_end),
        )
        # Channels already reported as unable to send: each is logged once per process.
        self._announced: set[str] = set()

    def run_due(self, now: datetime | None = None) -> FollowUpReport:
        report = FollowUpReport()
        now = now or self.s.clock()
        with self.s.session_factory.begin() as session:
            reasons = [hold_reason(channel) for channel in self.s.reachable_channels]
            released = followups_repo.release(session, reasons, now)
        if released:
            log.info("%d held follow-ups released: their channel can send again", released)
        while True:
            with self.s.session_factory.begin() as session:
                rows = followups_repo.claim_due(
                    session, now, limit=self.s.settings.followup_batch_size
                )
                if not rows:
                    return report
                refresh(self.s.library, session)
                self._run_batch(session, rows, now, report)

    def _run_batch(
        self, session: Session, rows: list[FollowUp], now: datetime, report: FollowUpReport
    ) -> None:
        """The whole batch with one query per table and one flush; if anything in it fails,
        the batch is undone and done again row by row, so one bad row cannot stop the others."""
        cap_since = now - timedelta(days=self.s.settings.frequency_cap_days)
        done = FollowUpReport()
        try:
            last_areas = areas.last_attended_many(session, {row.contact_id for row in rows})
            with session.begin_nested(), deferred_flush(session), areas.known(session, last_areas):
                lookups: RowLookups = BatchLookups(session, cap_since, rows)
                for row in rows:
                    self._one(session, row, now, done, lookups)
                    # What this row did may change what a later row for this person reads.
                    lookups.touched(row.contact_id)
                session.flush()
        except Exception:
            log.warning("a batch of %d follow-ups failed; retrying one by one", len(rows))
            done = FollowUpReport()
            lookups = RowLookups(session, cap_since)
            for row in rows:
                try:
                    with session.begin_nested():
                        self._one(session, row, now, done, lookups)
                except Exception as exc:
                    log.exception("follow-up %s failed", row.id)
                    followups_repo.postpone(
                        session, row, now + RETRY_FAILED, f"error: {type(exc).__name__}", now
                    )
        report.add(done)

    def _one(
        self,
        session: Session,
        row: FollowUp,
        now: datetime,
        report: FollowUpReport,
        lookups: RowLookups,
    ) -> None:
        contact = lookups.contact(row.contact_id)
        event = lookups.event(row.event_id)

        def settle(outcome: str, reason: str, conversation: Conversation | None = None) -> None:
            followups_repo.settle(session, row, outcome, reason, now, conversation=conversation)
            report.note(outcome, reason)

        def postpone(until: datetime, reason: str) -> None:
            followups_repo.postpone(session, row, until, reason, now)
            report.note("postponed", reason)

        if contact.opted_out_at is not None:
            report.cancelled += followups_repo.cancel_open(session, contact.id, "opted out", now)
            report.reasons["opted out"] = report.reasons.get("opted out", 0) + 1
            return
        if event is None or row.flow_id not in self.s.library:
            settle("skipped", "the event or its flow no longer exists")
            return
        update = you_said.get_update(session, row.update_id) if row.update_id else None
        if row.update_id is not None and update is None:
            settle("skipped", "the update no longer exists")
            return
        if update is not None:
            # An update about the event, weeks after it: its own clock, its own conversation.
            expires_at, earlier = row.created_at + you_said.EXPIRES, None
        else:
            initial_due = followups_repo.planned_times(event)["initial"]
            expires_at = initial_due + timedelta(seconds=event.request_expires_s)
            earlier = lookups.conversation_for(contact.id, event.id)
        if now >= expires_at:
            settle("expired", "the request expired before it could be sent")
            return
        if row.kind == "initial" and earlier is not None:
            settle("skipped", "already started (deep link or earlier request)", earlier)
            return
        if row.kind != "initial" and update is None:
            if earlier is None:
                settle("skipped", "no request was sent, so there is nothing to remind")
                return
            if earlier.status in ("completed", "stopped"):
                settle("skipped", f"already {earlier.status}", earlier)
                return
        if lookups.flagged(contact.id):
            postpone(now + timedelta(days=1), "safeguarding flag awaiting review")
            return
        identity = _reachable(lookups, contact)
        if identity is None:
            settle("skipped", "no way to reach them (no number, or chat never started)")
            return
        if (
            identity.channel in AGE_CHECKED_CHANNELS
            and contact.age_band is not None
            and (AGE_BANDS[contact.age_band][1] < self.s.settings.telegram_min_age)
        ):
            settle("skipped", "under the channel's minimum age")
            return
        if not self.s.can_reach(identity.channel):
            # Not another channel instead: how someone is contacted should not change because a
            # setting is missing. Officers see the reason; doctor and /healthz count these rows.
            reason = hold_reason(identity.channel)
            followups_repo.hold(session, row, reason, now)
            report.note("held", reason)
            self._announce(identity.channel)
            return
        active = lookups.active(contact.id)
        if active is not None and (earlier is None or active.id != earlier.id):
            until = min(active.wake_at or now + RECHECK_BUSY, now + RECHECK_BUSY)
            postpone(until, "waiting for another conversation to end")
            return
        quiet = quiet_until(now, contact.timezone, *self.quiet)
        if quiet is not None:
            postpone(quiet, "quiet hours")
            return
        if row.kind == "initial" or update is not None:
            cap_until = self._capped_until(lookups.requests_sent(contact.id))
            if cap_until is not None:
                postpone(cap_until, "frequency cap")
                return
            flow = self.s.library.get(row.flow_id)
            context = self.s.dispatcher.context_for(
                contact,
                {
                    **(event.variables or {}),
                    **({"actions_summary": update.summary} if update is not None else {}),
                    **events_repo.names(event),
                    "event_date": f"{event.starts_at.astimezone(zone(contact.timezone)):%-d %B}",
                },
            )
            result = self.s.dispatcher.start_flow(
                session, contact, identity, flow, context=context, event_id=event.id, now=now
            )
            settle("sent", "sent", result.conversation)
            return
        assert earlier is not None
        self._remind(session, contact, identity, earlier, event, now)
        settle("sent", "reminded", earlier)

    def _announce(self, channel: str) -> None:
        if channel in self._announced:
            return
        self._announced.add(channel)
        log.warning(
            "follow-ups for people on %s are held: the channel cannot send (see `sendvoice doctor`)",
            CHANNEL_NAMES.get(channel, channel),
        )

    def _remind(
        self,
        session: Session,
        contact: Contact,
        identity: ChannelIdentity,
        conversation: Conversation,
        event: Event,
        now: datetime,
    ) -> None:
        flow = self.s.dispatcher.ctx.flow_of(conversation)
        if flow is None:
            return
        turn = Turn(self.s.dispatcher.ctx, session, contact, identity, now, DispatchResult(), None)
        outcome = engine.resume(flow, turn.state_of(conversation), now, personal=turn.personal)
        lead = Prompt(
            kind=PromptKind.INFO,
            language=turn.lang,
            text=reply(
                self.s.settings,
                turn.lang,
                "reminder",
                event_name=events_repo.name_in(event, turn.lang),
            ),
        )
        turn.apply(conversation, outcome, [lead], first=False)

    def _capped_until(self, sent: list[datetime]) -> datetime | None:
        """When the frequency cap next lets a new request through, given when the recent ones
        went (oldest first); None if it does now."""
        if len(sent) < self.s.settings.frequency_cap:
            return None
        # The window frees up when the oldest request in it ages out.
        return sent[-self.s.settings.frequency_cap] + timedelta(
            days=self.s.settings.frequency_cap_days
        )

    def expire_due(self, now: datetime | None = None) -> int:
        """Close conversations whose time ran out; answers so far are kept, nothing is sent."""
        now = now or self.s.clock()
        expired = 0
        with self.s.session_factory.begin() as session:
            for conversation in conversations_repo.due(session, now, limit=500):
                flow = self.s.dispatcher.ctx.flow_of(conversation)
                if flow is not None:
                    state = conversations_repo.state_of(session, conversation)
                    outcome = engine.timeout(flow, state, now)
                    state, status, wake = outcome.state, outcome.status.value, outcome.wake_at
                else:
                    state, status, wake = conversation.state, "expired", None
                conversations_repo.update(
                    session, conversation, state=state, status=status, now=now, wake_at=wake
                )
                expired += status == "expired"
        return expired

    def housekeeping(self, now: datetime | None = None) -> int:
        """Daily: the retention purge, and cancel what is still planned for people who opted out."""
        from bot.privacy.retention import purge

        now = now or self.s.clock()
        cancelled = 0
        # In batches of its own transactions: replies are not held up behind it.
        purge(
            self.s.session_factory,
            self.s.library,
            retention_days=self.s.settings.retention_days,
            now=now,
            dry_run=False,
        )
        with self.s.session_factory.begin() as session:
            opted_out = session.scalars(
                select(FollowUp.contact_id)
                .join(Contact, Contact.id == FollowUp.contact_id)
                .where(Contact.opted_out_at.is_not(None), FollowUp.status.in_(followups_repo.OPEN))
                .distinct()
            ).all()
            for contact_id in opted_out:
                cancelled += followups_repo.cancel_open(session, contact_id, "opted out", now)
        return cancelled


def _reachable(lookups: RowLookups, contact: Contact) -> ChannelIdentity | None:
    order = [contact.preferred_channel] if contact.preferred_channel else []
    for channel in [*order, *CHANNEL_ORDER]:
        identity = lookups.identity(contact.id, channel)
        if identity is not None:
            return identity
    return None

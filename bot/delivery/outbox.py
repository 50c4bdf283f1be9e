"""Delivers queued messages: claim with a lease, send within the channel's rate, record the verdict.

A message is claimed in one transaction and its result recorded in another, so two workers never
send the same row. The claim holds a lease, renewed every third of it while the message is in this
worker's hands (waiting for its turn, its rate or its provider's answer), so however long that takes
no other worker takes it; a worker that dies mid-send stops renewing, and within a lease the row
comes back for another.

Several messages are in flight at once: one at a time, each waiting for its provider's answer
and then for its own record, the rate would be one per round trip whatever the limit allowed.
Messages to the same person still go one after another, in the order they were queued.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.channels.base import OutboundMessage, Outcome, Sender, SendResult
from bot.clock import Clock, system_clock
from bot.config import Settings
from bot.delivery import threads
from bot.delivery.pacing import TokenBucket
from bot.delivery.wakeup import Wake
from storage import contacts as contacts_repo
from storage import messages as messages_repo
from storage import receipts as receipts_repo
from storage.models import Contact, Message

log = logging.getLogger(__name__)

BACKOFF_BASE = timedelta(seconds=10)
BACKOFF_CAP = timedelta(minutes=30)
# Messages claimed and not yet recorded, across channels (see bot.channels.sms.sender.IN_FLIGHT).
MAX_IN_FLIGHT = 16
# Queues a failed message again on another channel the person agreed to; True if it did.
Fallback = Callable[[Session, Message, datetime], bool]


def backoff(attempt: int, asked: timedelta | None = None) -> timedelta:
    """Exponential: 10 s, 20 s, 40 s ... capped at 30 min; exactly when asked, if the provider said."""
    if asked is not None:
        return min(max(asked, timedelta(seconds=1)), BACKOFF_CAP)
    delay: timedelta = min(BACKOFF_CAP, BACKOFF_BASE * (2 ** min(max(attempt - 1, 0), 20)))
    return delay


@dataclass
class DeliveryReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    cancelled: int = 0
    held: int = 0

    @property
    def handled(self) -> int:
        return self.sent + self.retried + self.failed + self.cancelled + self.held

    def count(self, verdict: str) -> None:
        setattr(self, verdict, getattr(self, verdict) + 1)


def _opted_out(session: Session, message: Message) -> bool:
    """Whether the person has opted out, so this message must not go (their confirmation must)."""
    if message.contact_id is None or (message.meta or {}).get("opt_out_confirmation"):
        return False
    contact = session.get(Contact, message.contact_id)
    return contact is not None and contact.opted_out_at is not None


class Outbox:
    def __init__(
        self,
        session_factory: sessionmaker[Session],
        senders: Mapping[str, Sender],
        settings: Settings,
        *,
        clock: Clock = system_clock,
        limits: Mapping[str, TokenBucket] | None = None,
        per_address: Mapping[str, tuple[float, float]] | None = None,
        max_in_flight: int = MAX_IN_FLIGHT,
        fallbacks: Mapping[str, Fallback] | None = None,
    ) -> None:
        self.session_factory = session_factory
        # Per channel: what to do with a message that channel gave up on (WhatsApp -> SMS).
        self.fallbacks = dict(fallbacks or {})
        self.senders = dict(senders)
        self.settings = settings
        self.clock = clock
        self.limits = dict(limits or {})
        # (rate, burst) per recipient for channels that limit each chat (Telegram: 1 a second).
        self.per_address = dict(per_address or {})
        self._address_buckets: dict[tuple[str, str], TokenBucket] = {}
        self.max_in_flight = max(max_in_flight, 1)
        self.wakeup = asyncio.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        # Under `serve --workers N`, a web process's outbox runs nothing: it wakes the one that does.
        self.forward: Wake | None = None
        # Claimed by this outbox and not yet recorded: each id with the lease it last wrote.
        # Changed only on the event loop; threads get copies.
        self._held: dict[int, datetime] = {}
        self._passes = 0  # deliver_due calls under way; they share one renewal task
        self._renewer: asyncio.Task[None] | None = None

    @property
    def lease(self) -> timedelta:
        return timedelta(seconds=self.settings.outbox_lease_seconds)

    def _claim_size(self) -> int:
        # Renewal keeps what is claimed safe however long it waits, but it waits for this worker
        # alone (and, if the worker dies, for the lease): at a slow rate, claim only what half a
        # lease can send, and leave the rest to whichever worker is free.
        rates = [bucket.rate for channel, bucket in self.limits.items() if channel in self.senders]
        size = self.settings.outbox_batch_size
        if rates:
            sendable = int(min(rates) * self.settings.outbox_lease_seconds / 2) - self.max_in_flight
            size = min(size, max(sendable, 1))
        return size

    def _claim(
        self, in_flight: frozenset[int] = frozenset()
    ) -> tuple[list[OutboundMessage], datetime]:
        """The messages claimed, and the lease they were claimed until."""
        now = self.clock()
        with self.session_factory.begin() as session:
            claimed, _ = messages_repo.claim_for_sending(
                session,
                now,
                limit=self._claim_size(),
                channels=list(self.senders),
                lease=self.lease,
                in_flight=in_flight,
            )
        out = [
            OutboundMessage(
                id=message.id,
                channel=message.channel,
                address=message.address,
                body=message.body,
                meta=message.meta,
                segments=message.segments,
                attempt=message.attempts,
                created_at=message.created_at,
            )
            for message in claimed
            if message.address is not None
        ]
        return out, now + self.lease

    def _renew(self, held: dict[int, datetime], until: datetime) -> set[int]:
        with self.session_factory.begin() as session:
            return messages_repo.renew_leases(session, held, until)

    async def _keep_leases(self) -> None:
        """Every third of a lease, extend the lease of everything this outbox holds, so nothing it
        is still sending is taken back as a dead worker's; forget what another worker took."""
        while True:
            await asyncio.sleep(self.lease.total_seconds() / 3)
            if not self._held:
                continue
            held = dict(self._held)
            until = self.clock() + self.lease
            try:
                kept = await threads.run(self._renew, held, until)
            except Exception as exc:  # the database may be briefly away: try again next time
                log.warning("could not renew outbox leases: %s", type(exc).__name__)
                continue
            for message_id, lease in held.items():
                if self._held.get(message_id) != lease:
                    continue  # recorded meanwhile
                if message_id in kept:
                    self._held[message_id] = until
                else:
                    # Its lease ran out before we renewed it (a stalled process) and another
                    # worker has it now: if we have not sent it yet, we must not.
                    del self._held[message_id]

    def _record(self, message: OutboundMessage, result: SendResult) -> str | None:
        """Store the verdict; says which (sent, retried, failed), or None if the row is gone."""
        now = self.clock()
        # The provider asked us to wait (a rate limit): it did not take the message, so this was
        # no attempt of the message's own; counting it would fail a message for our own pace.
        throttled = result.outcome is Outcome.RETRY and result.retry_after is not None
        with self.session_factory.begin() as session:
            if result.outcome is Outcome.SENT and not message.meta.get("uncertain"):
                # The common case, in one statement, without loading the row first.
                if not messages_repo.mark_sent_by_id(session, message.id, result.provider_id, now):
                    return None
                verdict = "sent"
            elif (row := session.get(Message, message.id)) is None:
                return None
            elif result.outcome is Outcome.SENT:
                messages_repo.mark_sent(session, row, result.provider_id, now)
                verdict = "sent"
            elif result.outcome is Outcome.HELD:
                messages_repo.mark_held(session, row, result.error_code, now)
                verdict = "held"
            elif result.outcome is Outcome.RETRY and _opted_out(session, row):
                # They said STOP while this was with the provider's client: not again.
                messages_repo.mark_cancelled(session, row, "opted_out", now)
                verdict = "cancelled"
            elif result.outcome is Outcome.RETRY and (
                throttled or message.attempt < self.settings.outbox_max_attempts
            ):
                if throttled:
                    row.attempts = max(row.attempts - 1, 0)
                messages_repo.mark_retry(
                    session,
                    row,
                    now + backoff(message.attempt, result.retry_after),
                    result.error_code,
                    result.error_message,
                    uncertain=result.uncertain,
                )
                verdict = "retried"
            else:
                messages_repo.mark_failed(
                    session, row, result.error_code, result.error_message, now
                )
                verdict = "failed"
                fallback = self.fallbacks.get(row.channel) if result.fall_back else None
                if fallback is not None:
                    fallback(session, row, now)
                if result.opted_out and row.contact_id is not None:
                    contact = contacts_repo.lock(session, row.contact_id)
                    if contact.opted_out_at is None:
                        contacts_repo.opt_out(session, contact, row.channel, now)
        if verdict == "sent" and result.provider_id is not None:
            # After the id is committed (see the status webhook): receipts that overtook it.
            with self.session_factory.begin() as session:
                receipts_repo.apply(session, message.channel, result.provider_id, now)
        log.info(
            "outbound message %s: %s%s",
            message.id,
            result.outcome.value,
            f" ({result.error_code})" if result.error_code else "",
        )
        return verdict

    def _address_bucket(self, channel: str, address: str) -> TokenBucket | None:
        if channel not in self.per_address:
            return None
        key = (channel, address)
        bucket = self._address_buckets.get(key)
        if bucket is None:
            if len(self._address_buckets) > 10_000:  # forget idle chats; they start full again
                self._address_buckets.clear()
            rate, burst = self.per_address[channel]
            bucket = self._address_buckets[key] = TokenBucket(rate, burst)
        return bucket

    async def _already_sent(self, message: OutboundMessage) -> str | None:
        sender = self.senders[message.channel]
        if not message.meta.get("uncertain") or not hasattr(sender, "find_sent"):
            return None
        try:
            candidates = await sender.find_sent(message, message.created_at or self.clock())
        except Exception as exc:  # cannot tell: sending again risks a duplicate, not a loss
            log.warning(
                "could not check message %s with the provider: %s", message.id, type(exc).__name__
            )
            return None
        if not candidates:
            return None
        # The same words may have gone to this person before (a repeated re-prompt): only a
        # provider id no other message of ours has claimed can be this one.
        known = await threads.run(self._known_provider_ids, message.channel, candidates)
        return next((c for c in candidates if c not in known), None)

    def _known_provider_ids(self, channel: str, candidates: list[str]) -> set[str]:
        with self.session_factory() as session:
            return {
                str(pid)
                for pid in session.scalars(
                    select(Message.provider_id).where(
                        Message.channel == channel,
                        Message.direction == "out",
                        Message.provider_id.in_(candidates),
                    )
                )
            }

    async def _send(self, message: OutboundMessage) -> SendResult:
        found = await self._already_sent(message)
        if found is not None:
            log.info("outbound message %s had reached the provider before a crash", message.id)
            return SendResult.sent(found)
        for bucket in (
            self._address_bucket(message.channel, message.address),
            self.limits.get(message.channel),
        ):
            if bucket is not None:
                await bucket.acquire(message.segments)
        try:
            return await self.senders[message.channel].send(message)
        except Exception as exc:  # a sender bug must not lose the message: retry it later
            log.exception("sender for %s raised %s", message.channel, type(exc).__name__)
            return SendResult.retry("sender_error", type(exc).__name__)

    async def _deliver(
        self,
        message: OutboundMessage,
        report: DeliveryReport,
        after: asyncio.Task[None] | None,
        slots: asyncio.Semaphore,
    ) -> None:
        try:
            if after is not None:
                await asyncio.wait([after])  # the message before it to the same person
            if message.id not in self._held:
                log.warning(
                    "outbound message %s: another worker took it over; not sent here", message.id
                )
                return
            result = await self._send(message)
            verdict = await threads.run(self._record, message, result)
            if verdict is not None:
                report.count(verdict)
        finally:
            self._held.pop(message.id, None)
            slots.release()

    async def deliver_due(self) -> DeliveryReport:
        """One pass: send everything due now, oldest first, each person's in order. Returns what
        happened."""
        report = DeliveryReport()
        slots = asyncio.Semaphore(self.max_in_flight)
        last: dict[tuple[str, str], asyncio.Task[None]] = {}

        def forget(key: tuple[str, str], task: asyncio.Task[None]) -> None:
            if last.get(key) is task:
                del last[key]

        claimed: list[int] = []
        self._passes += 1
        if self._renewer is None:
            self._renewer = asyncio.create_task(self._keep_leases())
        try:
            async with asyncio.TaskGroup() as group:
                while True:
                    # The next claim overlaps the last sends of this one, so the rate holds
                    # across batches.
                    # Sends still in flight are ours: never claimed again, and a person's next
                    # message may follow them.
                    batch, until = await threads.run(self._claim, frozenset(self._held))
                    if not batch:
                        break
                    for message in batch:
                        self._held[message.id] = until
                        claimed.append(message.id)
                    for message in batch:
                        await slots.acquire()
                        key = (message.channel, message.address)
                        task = group.create_task(
                            self._deliver(message, report, last.get(key), slots)
                        )
                        last[key] = task
                        task.add_done_callback(functools.partial(forget, key))
        except BaseExceptionGroup as failed:
            # As if sent one by one: the first failure, not a group of them.
            raise failed.exceptions[0] from None
        finally:
            for message_id in claimed:  # a pass that failed leaves the rest to the lease
                self._held.pop(message_id, None)
            self._passes -= 1
            if self._passes == 0 and self._renewer is not None:
                self._renewer.cancel()
                self._renewer = None
        return report

    async def run(self, stop: asyncio.Event, poll_seconds: float = 1.0) -> None:
        """Deliver until `stop` is set; `wake()` after a commit skips the wait."""
        self._loop = asyncio.get_running_loop()
        while not stop.is_set():
            # Cleared before the pass, not after: a wake while it runs (a reply queued after its
            # claim) must start another pass at once, not wait for the poll.
            self.wakeup.clear()
            try:
                await self.deliver_due()
            except Exception:  # the database may be briefly away; keep the worker alive
                log.exception("outbox pass failed")
            waiters = [asyncio.create_task(self.wakeup.wait()), asyncio.create_task(stop.wait())]
            _, pending = await asyncio.wait(
                waiters, timeout=poll_seconds, return_when=asyncio.FIRST_COMPLETED
            )
            for task in pending:
                task.cancel()

    def wake(self) -> None:
        """Something was queued: deliver now. Safe from any thread."""
        threads.set_event(self.wakeup, self._loop)
        if self.forward is not None:
            self.forward("outbox")

"""Several schedulers on one PostgreSQL, and a scheduler killed mid-run: every request goes out once."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from bot.followups.runner import FollowUpRunner
from bot.services import build_services
from storage import contacts as contacts_repo
from storage import events as events_repo
from storage import followups as followups_repo
from storage.models import FollowUp, Message
from tests.bot.followups.conftest import world_settings
from tests.fakes.telegram import FakeTelegram
from tests.fakes.twilio import FakeTwilio
from tests.helpers import pending_outbound, requires_postgres, wait_until
from tests.serve import start, stop


def plan_event(services, people: int, now: datetime) -> list[str]:  # type: ignore[no-untyped-def]
    """An event whose requests fell due an hour ago, for `people` parents."""
    numbers = [f"+4477009{i:05d}" for i in range(people)]
    with services.session_factory.begin() as s:
        event = events_repo.create(
            s,
            title="the county consultation",
            kind="consultation",
            starts_at=now - timedelta(hours=27),
            ends_at=now - timedelta(hours=25),
            flow_id="post_event",
            reminders=(),
            now=now - timedelta(days=2),
        )
        for number in numbers:
            contact, _, _ = contacts_repo.find_or_create(s, "sms", number, now, role="parent")
            events_repo.add_attendee(
                s, event, contact, role="parent", consent=True, source="import", now=now
            )
            followups_repo.plan(s, event, contact.id, now)
    return numbers


@requires_postgres
def test_two_schedulers_claim_disjoint_rows(database_url: str) -> None:
    now = datetime(2026, 3, 16, 12, 0, tzinfo=UTC)
    with FakeTwilio() as twilio, FakeTelegram() as telegram:
        settings = world_settings(database_url, twilio, telegram).model_copy(
            update={"followup_batch_size": 5}
        )
        services = [build_services(settings) for _ in range(2)]
        numbers = plan_event(services[0], 80, now)
        reports = []
        barrier = threading.Barrier(2)

        def run(index: int) -> None:
            barrier.wait()
            reports.append(FollowUpRunner(services[index]).run_due(now))

        threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        with services[0].session_factory() as s:
            statuses = Counter(s.scalars(select(FollowUp.status)))
            queued = Counter(
                s.scalars(select(Message.contact_id).where(Message.direction == "out"))
            )
        for svc in services:
            svc.close()
    assert sum(r.sent for r in reports) == len(numbers)
    assert all(r.sent > 0 for r in reports)  # both did work, on different rows
    assert statuses == {"sent": len(numbers)}
    assert set(queued.values()) == {1}  # one first message per person, never two


@requires_postgres
def test_a_scheduler_killed_mid_run_sends_every_request_exactly_once(
    database_url: str, tmp_path: Path
) -> None:
    with FakeTwilio() as twilio, FakeTelegram() as telegram:
        settings = world_settings(database_url, twilio, telegram)
        setup = build_services(settings)
        numbers = plan_event(setup, 120, datetime.now(UTC))
        setup.close()
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "PUBLIC_BASE_URL": "https://sendvoice.example.gov.uk",
            "TWILIO_ACCOUNT_SID": twilio.account_sid,
            "TWILIO_AUTH_TOKEN": twilio.auth_token,
            "TWILIO_FROM_NUMBER": "+447700900000",
            "TWILIO_API_BASE_URL": twilio.base_url,
            "SMS_MAX_PER_SECOND": "60",  # slow enough to be killed in the middle
            "QUIET_HOURS_START": "00:00",  # the test may run at night: no quiet window
            "QUIET_HOURS_END": "00:00",
            "FOLLOWUP_BATCH_SIZE": "25",
            "SCHEDULER_INTERVAL_SECONDS": "1",
        }

        def scheduler() -> subprocess.Popen[bytes]:
            with (tmp_path / "scheduler.log").open("a") as log:
                return start(["scheduler"], env=env, cwd=tmp_path, out=log)

        first = scheduler()
        try:
            wait_until(lambda: len(twilio.messages) >= 30, timeout=60)
            first.send_signal(signal.SIGKILL)
        finally:
            stop(first)
        killed_at = len(twilio.messages)
        assert killed_at < len(numbers), "the run finished before it could be killed"
        second = scheduler()
        try:
            wait_until(lambda: len({m.to for m in twilio.messages}) >= len(numbers), timeout=90)
            # Nothing left queued or held: nothing more can go (a leftover would be resent).
            wait_until(lambda: not pending_outbound(database_url), timeout=60)
        finally:
            stop(second)
        texts = Counter(m.to for m in twilio.messages)
        check = build_services(settings)
        with check.session_factory() as s:
            statuses = Counter(s.scalars(select(FollowUp.status)))
            outbound = Counter(s.scalars(select(Message.status).where(Message.direction == "out")))
        check.close()
    assert set(texts) == set(numbers)
    assert max(texts.values()) == 1, [n for n, c in texts.items() if c > 1]
    assert statuses == {"sent": len(numbers)}
    assert outbound == {"sent": len(numbers)}

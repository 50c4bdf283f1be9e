"""APScheduler runs the periodic jobs; the follow-up rows, not the scheduler, are the schedule.

Jobs keep no state of their own, so the in-memory job store is enough and several schedulers may run
against one PostgreSQL (rows are claimed with SKIP LOCKED). After a restart the interval jobs run at
once and pick up whatever fell due while the process was down; `misfire_grace_time=None` means a job
that runs late still runs (never skipped), and `coalesce` runs a backlog of missed runs only once.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.followups.runner import FollowUpRunner
from bot.services import Services

log = logging.getLogger(__name__)


async def followups_job(runner: FollowUpRunner, services: Services) -> None:
    report = await asyncio.to_thread(runner.run_due)
    if report.sent:
        services.outbox.wake()
    counts = (report.sent, report.postponed, report.held, report.skipped, report.cancelled)
    if any(counts) or report.expired:
        log.info(
            "follow-ups: sent=%d postponed=%d held=%d skipped=%d cancelled=%d expired=%d",
            report.sent,
            report.postponed,
            report.held,
            report.skipped,
            report.cancelled,
            report.expired,
        )


async def expiry_job(runner: FollowUpRunner) -> None:
    expired = await asyncio.to_thread(runner.expire_due)
    if expired:
        log.info("expired %d conversations", expired)


async def housekeeping_job(runner: FollowUpRunner) -> None:
    cancelled = await asyncio.to_thread(runner.housekeeping)
    log.info("housekeeping done: %d follow-ups cancelled for opted-out people", cancelled)


def build_scheduler(services: Services) -> AsyncIOScheduler:
    runner = FollowUpRunner(services)
    settings = services.settings
    scheduler = AsyncIOScheduler(timezone=UTC)
    now = datetime.now(UTC)
    common = {"coalesce": True, "max_instances": 1, "replace_existing": True}
    scheduler.add_job(
        followups_job,
        IntervalTrigger(seconds=settings.scheduler_interval_seconds),
        args=[runner, services],
        id="followups",
        next_run_time=now,
        misfire_grace_time=None,
        **common,
    )
    scheduler.add_job(
        expiry_job,
        IntervalTrigger(seconds=60),
        args=[runner],
        id="expiry",
        next_run_time=now,
        misfire_grace_time=None,
        **common,
    )
    # Daily at 03:15 local time; also once at start, so a day missed while down is caught up.
    scheduler.add_job(
        housekeeping_job,
        CronTrigger(hour=3, minute=15, timezone=settings.default_timezone),
        args=[runner],
        id="housekeeping",
        next_run_time=now,
        misfire_grace_time=12 * 3600,
        **common,
    )
    return scheduler

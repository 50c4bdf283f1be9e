"""Follow-ups at county scale on PostgreSQL: 100,000 due requests claimed, started and queued,
then the SMS sender's pace against a rate-limited Twilio.

1. claim: 100,000 parents attended one event and each has a due initial request (bulk-inserted,
   as `sendvoice events attendees import` leaves them). `FollowUpRunner(services).run_due(now)`
   claims them in batches, starts each conversation and queues its first message. Quiet hours are
   off and the frequency cap is high, so every row is sent. It runs in a child process, so the
   benchmark can stop it at its time budget and extrapolate from the rows it finished.
2. send: the real Outbox and TwilioSender deliver single-segment messages to a fake Twilio that
   refuses (429) anything beyond `rate` messages in any one-second window; SMS_MAX_PER_SECOND is
   set to the same rate.
"""

from __future__ import annotations

import sys
from pathlib import Path

if __package__ in (None, ""):  # run as `python bench/followups.py`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import argparse
import asyncio
import contextlib
import cProfile
import io
import multiprocessing
import pstats
import signal
import time
from datetime import UTC, datetime, timedelta
from multiprocessing.connection import Connection
from types import FrameType
from typing import Any

from pydantic import SecretStr
from sqlalchemy import func, insert, select, text, update

from bench import common
from bot.config import Settings
from bot.services import build_services
from storage import events as events_repo
from storage import followups as followups_repo
from storage.db import make_engine
from storage.models import Event, FollowUp, Message

CLAIM_TARGET_S = 30.0
RATE_TARGET = 0.95
EVENT_TITLE = "the county consultation"


def settings_for(url: str, **extra: Any) -> Settings:
    values: dict[str, Any] = {
        "database_url": url,
        "data_encryption_key": SecretStr(common.encryption_key()),
        "quiet_hours_start": "00:00",  # equal: no quiet window, whatever the hour of the run
        "quiet_hours_end": "00:00",
        "frequency_cap": 1000,
        "public_base_url": "http://127.0.0.1:9",
        **extra,
    }
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


def populate(url: str, people: int, now: datetime) -> list[tuple[int, int, str]]:
    services = build_services(settings_for(url), senders={})
    try:
        everyone = common.add_people(services.session_factory, people, now, progress="populate")
        with services.session_factory.begin() as session:
            event_id = events_repo.create(
                session,
                title=EVENT_TITLE,
                kind="consultation",
                starts_at=now - timedelta(hours=27),
                ends_at=now - timedelta(hours=25),
                flow_id="post_event",
                reminders=(),
                now=now - timedelta(days=2),
            ).id
        for start in range(0, people, 5_000):
            chunk = [contact_id for contact_id, _, _ in everyone[start : start + 5_000]]
            with services.session_factory.begin() as session:
                event = session.get_one(Event, event_id)
                events_repo.add_attendees(
                    session,
                    event,
                    [(c, "parent") for c in chunk],
                    consent=True,
                    source="import",
                    now=now,
                )
                followups_repo.plan_many(session, event, chunk, now)
    finally:
        services.close()
    return everyone


# -- 1. claim


def _stop(_signum: int, _frame: FrameType | None) -> None:
    raise SystemExit(143)


def _claim_child(
    url: str, key: str, batch: int, now: datetime, profile: bool, conn: Connection
) -> None:
    from bot.followups.runner import FollowUpRunner

    common.use_encryption_key(key)
    settings = settings_for(url, followup_batch_size=batch)
    services = build_services(settings, senders={})
    # Planned as if SMS could send (the messages wait in the outbox): without it every row is
    # held for a channel that cannot send, and nothing is started.
    services.reachable = frozenset({"sms"})
    profiler = cProfile.Profile() if profile else None
    signal.signal(signal.SIGTERM, _stop)
    result: dict[str, Any] = {}
    began = time.perf_counter()
    cpu_began = time.process_time()
    try:
        if profiler:
            profiler.enable()
        report = FollowUpRunner(services).run_due(now)
        result = {
            "seconds": time.perf_counter() - began,
            "cpu_seconds": round(time.process_time() - cpu_began, 1),
            "sent": report.sent,
            "postponed": report.postponed,
            "skipped": report.skipped,
            "reasons": report.reasons,
        }
    except SystemExit:
        result = {"stopped": True}
    finally:
        if profiler:
            profiler.disable()
            out = io.StringIO()
            stats = pstats.Stats(profiler, stream=out)
            stats.sort_stats("cumulative").print_stats(35)
            stats.sort_stats("tottime").print_stats(20)
            result["profile"] = out.getvalue()
        services.close()
        conn.send(result)


def analyze(url: str) -> None:
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text("ANALYZE"))
    finally:
        engine.dispose()


def _done(url: str) -> int:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            count = conn.execute(
                select(func.count()).select_from(FollowUp).where(FollowUp.status != "pending")
            ).scalar_one()
    finally:
        engine.dispose()
    return int(count)


def claim(url: str, args: argparse.Namespace, people: int, report: common.Report) -> None:
    budget = args.claim_seconds
    now = datetime.now(UTC)
    ctx = multiprocessing.get_context("spawn")
    pipes, processes = [], []
    for worker in range(args.workers):
        parent, child = ctx.Pipe()
        pipes.append(parent)
        processes.append(
            ctx.Process(
                target=_claim_child,
                args=(
                    url,
                    common.encryption_key(),
                    args.batch_size,
                    now,
                    args.profile and worker == 0,
                    child,
                ),
            )
        )
    common.note(
        f"claim: run_due over {people:,} due rows (batch {args.batch_size}, "
        f"{args.workers} scheduler process(es), budget {budget:.0f} s)"
    )
    began = time.perf_counter()
    for process in processes:
        process.start()
    curve: list[tuple[float, int]] = []
    last_note = began
    while time.perf_counter() - began < budget:
        if all(p.poll(0) for p in pipes):
            break
        time.sleep(0.2)
        if time.perf_counter() - last_note >= 10:
            curve.append((round(time.perf_counter() - began, 1), _done(url)))
            common.note(f"claim: {curve[-1][1]:,} rows done after {curve[-1][0]:.0f} s")
            last_note = time.perf_counter()
    stopped = not all(p.poll(0) for p in pipes)
    if stopped:
        for process in processes:
            process.terminate()  # SIGTERM: the child rolls back its open batch and reports
    results: list[dict[str, Any]] = [p.recv() if p.poll(60) else {} for p in pipes]
    for process in processes:
        process.join(30)
    wall = time.perf_counter() - began
    done = _done(url)
    finished = [r["seconds"] for r in results if r.get("seconds")]
    seconds = max(finished) if finished and not stopped else wall
    rate = done / seconds if seconds else 0.0
    projected = people / rate if rate else float("inf")
    result: dict[str, Any] = {
        "sent": sum(r.get("sent", 0) for r in results),
        "postponed": sum(r.get("postponed", 0) for r in results),
        "skipped": sum(r.get("skipped", 0) for r in results),
        # Python's share of each scheduler's time; the rest is waiting on PostgreSQL.
        "scheduler_cpu_seconds": [r.get("cpu_seconds") for r in results],
        "profile": results[0].get("profile") if results else None,
    }
    report.details["claim"] = {
        "people": people,
        "batch_size": args.batch_size,
        "scheduler_processes": args.workers,
        "rows_done": done,
        "seconds": round(seconds, 1),
        "rows_per_s": round(rate, 1),
        "stopped_at_budget": stopped,
        "progress (s, rows)": curve,
        **{k: v for k, v in result.items() if k not in ("profile", "seconds")},
    }
    if result.get("profile"):
        report.details["claim profile"] = result["profile"]
        print(result["profile"], file=sys.stderr)
    report.info("claim rows done", done, "rows")
    report.info("claim rate", round(rate, 1), "rows/s")
    label = f"claim {people:,} rows" + (" (projected)" if stopped else "")
    report.at_most(label, round(projected, 1), "s", CLAIM_TARGET_S, f"<= {CLAIM_TARGET_S:.0f}")
    if not stopped:
        report.check(
            "claim all rows sent",
            result.get("sent", 0),
            "rows",
            f"{people:,}",
            result.get("sent") == people,
        )
    if stopped:
        report.note(
            f"run_due was stopped at its {budget:.0f} s budget after {done:,} of {people:,} rows; "
            f"the figure is projected at the measured rate (raise --claim-seconds to run it all)"
        )


# -- 2. send


async def send(
    url: str, args: argparse.Namespace, people: list[tuple[int, int, str]], report: common.Report
) -> None:
    from tests.fakes.twilio import FakeTwilio

    count, rate = args.messages, args.rate
    now = datetime.now(UTC)
    with FakeTwilio() as fake:
        fake.rate_limit = rate
        settings = settings_for(
            url,
            twilio_account_sid=fake.account_sid,
            twilio_auth_token=SecretStr(fake.auth_token),
            twilio_from_number=common.COUNCIL_NUMBER,
            twilio_api_base_url=fake.base_url,
            sms_max_per_second=float(rate),
        )
        services = build_services(settings)
        try:
            with services.session_factory.begin() as session:
                # Only these messages: the claim stage's queue is not what is measured here.
                session.execute(
                    update(Message)
                    .where(Message.direction == "out", Message.status.in_(("queued", "sending")))
                    .values(status="cancelled")
                )
                session.execute(
                    insert(Message),
                    [
                        {
                            "channel": "sms",
                            "direction": "out",
                            "identity_id": identity_id,
                            "contact_id": contact_id,
                            "body": f"Thank you for coming to {EVENT_TITLE}. Reply STOP to opt out.",
                            "meta": {},
                            "segments": 1,
                            "status": "queued",
                            "attempts": 0,
                            "next_attempt_at": now,
                            "created_at": now,
                            "status_updated_at": now,
                        }
                        for contact_id, identity_id, _ in people[:count]
                    ],
                )
            common.note(f"send: {count:,} messages at {rate}/s allowed")
            stop = asyncio.Event()
            began = time.time()
            worker = asyncio.create_task(services.outbox.run(stop))
            deadline = began + count / rate * 2 + 30
            while len(fake.messages) < count and time.time() < deadline:
                await asyncio.sleep(0.05)
            stop.set()
            services.outbox.wake()
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.wait_for(worker, 30)
        finally:
            await services.aclose()
            services.close()
        accepted = sorted(m.received_at for m in fake.messages)
        attempts = len(fake.requests)
        over = fake.over_limit
    first = min((r.received_at for r in fake.requests), default=began)
    span = accepted[-1] - first if accepted else 0.0
    achieved = (len(accepted) - 1) / span if span > 0 else 0.0
    busiest = max(
        (sum(1 for t in accepted[i:] if t - start < 1.0) for i, start in enumerate(accepted)),
        default=0,
    )
    report.info("send accepted by Twilio", len(accepted), "msgs")
    report.info("send achieved rate", round(achieved, 1), "msg/s")
    report.at_least(
        "send achieved / allowed",
        round(achieved / rate, 3),
        "x",
        RATE_TARGET,
        f">= {RATE_TARGET} of {rate}/s",
    )
    report.check("send over-limit sends (429)", over, "", "0", over == 0)
    report.info("send busiest 1 s window", busiest, "msgs")
    report.details["send"] = {
        "messages": count,
        "allowed_per_s": rate,
        "accepted": len(accepted),
        "requests": attempts,
        "over_limit_refused": over,
        "seconds_first_request_to_last_accepted": round(span, 2),
    }
    if len(accepted) < count:
        report.check("send all delivered", len(accepted), "msgs", f"{count:,}", False)


def body(args: argparse.Namespace, report: common.Report) -> None:
    people = 2_000 if args.quick else args.people
    with common.workdir("followups") as wd:
        target = common.pg_url(args, "sendvoice_bench_followups")
        with common.fresh_database("postgres", target, wd) as url:
            common.note(f"populate: {people:,} parents, one event, {people:,} due requests")
            began = time.perf_counter()
            everyone = populate(url, people, datetime.now(UTC))
            report.details["populate seconds"] = round(time.perf_counter() - began, 1)
            if args.analyze:
                # As autovacuum would have done by the time requests fall due (a day after the
                # event). Without statistics the planner reads 100,000 index entries to find one
                # person's number: --no-analyze shows it.
                analyze(url)
            else:
                report.note("no ANALYZE after the bulk insert (--no-analyze)")
            claim(url, args, people, report)
            asyncio.run(send(url, args, everyone, report))


if __name__ == "__main__":
    parser = common.parser(__doc__.splitlines()[0])
    common.add_database_args(parser, both=False)
    parser.add_argument("--people", type=int, default=100_000, help="due requests (full run)")
    parser.add_argument("--batch-size", type=int, default=1000, help="FOLLOWUP_BATCH_SIZE")
    parser.add_argument(
        "--workers", type=int, default=1, help="scheduler processes claiming side by side"
    )
    parser.add_argument(
        "--claim-seconds", type=float, default=None, help="stop run_due after this (default 140)"
    )
    parser.add_argument("--messages", type=int, default=None, help="messages to send (1500)")
    parser.add_argument("--rate", type=int, default=50, help="allowed messages per second")
    parser.add_argument("--profile", action="store_true", help="cProfile run_due (slower)")
    parser.add_argument(
        "--no-analyze",
        dest="analyze",
        action="store_false",
        help="claim straight after the bulk insert, before PostgreSQL has statistics",
    )
    options = parser.parse_args()
    if options.claim_seconds is None:
        options.claim_seconds = 20.0 if options.quick else 140.0
    if options.messages is None:
        options.messages = 100 if options.quick else 1500
    people = 2_000 if options.quick else options.people
    # Set-up, populating, the claim's budget, the send (twice its ideal time) and clean-up.
    limit = 40 + people / 4000 + options.claim_seconds + options.messages / options.rate * 2 + 30
    pg = common.pg_url(options, "sendvoice_bench_followups")
    sys.exit(common.main("followups", options, body, time_limit=limit, postgres_url=pg))

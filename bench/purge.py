"""The retention purge at county scale while parents keep replying.

100,000 parents, each with one post_event conversation somewhere in the last two years (its saved
state holding a first name and the answers as given), four answers (two of them free text), eight
messages, a follow-up request for that month's event and a delivery receipt; one in a thousand
also has a safeguarding flag on one of their messages. RETENTION_DAYS is 365, so about half of
everything is past retention.

A real server (`sendvoice serve --no-scheduler`, delivering to the fake Twilio) takes an open loop
of 20 new SMS a second (bench/inbound.py's load: each latency counts from the message's scheduled
time). After a baseline, `sendvoice privacy purge` runs as a council would run it, in its own
process, while the open loop goes on until the purge has finished.
"""

from __future__ import annotations

import sys
from pathlib import Path

if __package__ in (None, ""):  # run as `python bench/purge.py`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import argparse
import asyncio
import os
import random
import subprocess
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import insert, select, update

from bench import common, rawhttp
from bench.followups import analyze
from bench.inbound import SMS_PATH, Load, Stats
from bot.privacy.retention import count
from flows.library import LIBRARY_DIR, load_library
from storage.crypto import IdentifierCipher
from storage.db import make_engine, make_session_factory
from storage.models import (
    Answer,
    AuditEntry,
    Contact,
    Conversation,
    DeliveryReceipt,
    Event,
    FollowUp,
    Message,
    SafeguardingFlag,
)

PURGE_TARGET_S = 60.0
P95_TARGET_MS = 200.0
RATE = 20.0
RETENTION_DAYS = 365
SPAN = timedelta(days=730)
CHUNK = 2_000
TRANSCRIPT = (
    ("in", "FEEDBACK"),
    ("out", "Your council SEND team asks for your views to improve services..."),
    ("in", "yes"),
    ("out", "Overall, how was the event?"),
    ("in", "4"),
    ("out", "What worked well for you? Or SKIP."),
    ("in", "Meeting other parents"),
    ("out", "What would have made it even better? Or SKIP."),
)


def _state(first_name: str, free: tuple[str, str]) -> dict[str, Any]:
    return {
        "v": 1,
        "flow_id": "post_event",
        "flow_version": 1,
        "language": "en",
        "context": {"first_name": first_name},
        "status": "completed",
        "step": None,
        "values": {"attended": True, "rating": 4, "worked_well": free[0], "even_better": free[1]},
        "path": ["attended", "rating", "worked_well", "even_better"],
    }


def populate(url: str, people: int, now: datetime) -> dict[str, int]:
    """Bulk-inserted, as two years of use would leave the tables; returns row counts."""
    factory = make_session_factory(make_engine(url), IdentifierCipher([common.encryption_key()]))
    rng = random.Random(21)
    everyone = common.add_people(factory, people, now, progress="populate")
    with factory.begin() as session:
        months = 25
        event_ids = session.scalars(
            insert(Event).returning(Event.id, sort_by_parameter_order=True),
            [
                {
                    "code": f"bench{m:05d}",
                    "title": f"coffee morning {m}",
                    "kind": "coffee_morning",
                    "starts_at": now - timedelta(days=30 * m),
                    "ends_at": now - timedelta(days=30 * m),
                    "flow_id": "post_event",
                    "created_at": now - timedelta(days=30 * m),
                    "updated_at": now - timedelta(days=30 * m),
                }
                for m in range(months)
            ],
        ).all()
    rows = {"contacts": people, "conversations": 0, "answers": 0, "messages": 0, "follow_ups": 0}
    for start in range(0, people, CHUNK):
        batch = everyone[start : start + CHUNK]
        when = [now - SPAN * rng.random() for _ in batch]
        with factory.begin() as session:
            # The last sign of life of each person is their conversation.
            session.execute(
                update(Contact),
                [{"id": c, "updated_at": t} for (c, _, _), t in zip(batch, when, strict=True)],
            )
            conversation_ids = session.scalars(
                insert(Conversation).returning(Conversation.id, sort_by_parameter_order=True),
                [
                    {
                        "contact_id": c,
                        "flow_id": "post_event",
                        "flow_version": 1,
                        "language": "en",
                        "channel": "sms",
                        "status": "completed",
                        "state": _state(f"Parent{c}", (f"the room {c}", f"more time {c}")),
                        "started_at": t,
                        "updated_at": t + timedelta(minutes=8),
                        "ended_at": t + timedelta(minutes=8),
                    }
                    for (c, _, _), t in zip(batch, when, strict=True)
                ],
            ).all()
            message_rows: list[dict[str, Any]] = [
                {
                    "contact_id": c,
                    "conversation_id": conversation,
                    "identity_id": identity,
                    "direction": direction,
                    "channel": "sms",
                    "body": body,
                    "meta": {},
                    "provider_id": f"SMb{c}x{k}",
                    "status": "received" if direction == "in" else "delivered",
                    "attempts": 0 if direction == "in" else 1,
                    "created_at": t + timedelta(minutes=k),
                }
                for (c, identity, _), t, conversation in zip(
                    batch, when, conversation_ids, strict=True
                )
                for k, (direction, body) in enumerate(TRANSCRIPT)
            ]
            message_ids = session.scalars(
                insert(Message).returning(Message.id, sort_by_parameter_order=True), message_rows
            ).all()
            answers = []
            for i, ((c, _, _), t, conversation) in enumerate(
                zip(batch, when, conversation_ids, strict=True)
            ):
                mine = message_ids[i * len(TRANSCRIPT) : (i + 1) * len(TRANSCRIPT)]
                for step, value, raw, k in (
                    ("attended", True, "yes", 2),
                    ("rating", 4, "4", 4),
                    ("worked_well", f"the room {c}", f"the room {c}", 6),
                    ("even_better", f"more time {c}", f"more time {c}", 7),
                ):
                    answers.append(
                        {
                            "conversation_id": conversation,
                            "contact_id": c,
                            "flow_id": "post_event",
                            "step_id": step,
                            "value": value,
                            "raw_text": raw,
                            "message_id": mine[k],
                            "answered_at": t + timedelta(minutes=k),
                            "updated_at": t + timedelta(minutes=k),
                        }
                    )
            session.execute(insert(Answer), answers)
            session.execute(
                insert(FollowUp),
                [
                    {
                        "event_id": event_ids[min(int((now - t).days // 30), months - 1)],
                        "contact_id": c,
                        "flow_id": "post_event",
                        "kind": "initial",
                        "due_at": t,
                        "status": "sent",
                        "conversation_id": conversation,
                        "created_at": t,
                        "updated_at": t,
                    }
                    for (c, _, _), t, conversation in zip(
                        batch, when, conversation_ids, strict=True
                    )
                ],
            )
            session.execute(
                insert(DeliveryReceipt),
                [
                    {
                        "channel": "sms",
                        "provider_id": f"SMb{c}x1",
                        "status": "delivered",
                        "received_at": t + timedelta(minutes=1),
                    }
                    for (c, _, _), t in zip(batch, when, strict=True)
                ],
            )
            flagged = [i for i in range(len(batch)) if (start + i) % 1000 == 0]
            if flagged:
                session.execute(
                    insert(SafeguardingFlag),
                    [
                        {
                            "contact_id": batch[i][0],
                            "conversation_id": conversation_ids[i],
                            "message_id": message_ids[i * len(TRANSCRIPT) + 6],
                            "channel": "sms",
                            "category": "harm",
                            "reasons": [],
                            "text": "words a lead must read",
                            "created_at": when[i],
                            "alert_sent_at": when[i],
                            "acknowledged_at": when[i],
                        }
                        for i in flagged
                    ],
                )
        rows["conversations"] += len(batch)
        rows["answers"] += len(answers)
        rows["messages"] += len(message_rows)
        rows["follow_ups"] += len(batch)
        if (start + CHUNK) % 20_000 == 0:
            common.note(f"populate: {start + CHUNK:,} people with their history")
    factory.kw["bind"].dispose()
    return rows


def _purge_env(url: str) -> dict[str, str]:
    from bot.config import Settings

    ours = {name.upper() for name in Settings.model_fields}
    env = {k: v for k, v in os.environ.items() if k.upper() not in ours}
    env.update(
        {
            "DATABASE_URL": url,
            "DATA_ENCRYPTION_KEY": common.encryption_key(),
            "RETENTION_DAYS": str(RETENTION_DAYS),
            "LOG_LEVEL": "WARNING",
        }
    )
    return env


async def during_purge(
    load: Load, url: str, where: Path
) -> tuple[float, list[Stats], subprocess.CompletedProcess[str]]:
    """Start the purge, and keep the open loop going in slices until it has finished."""
    log = where / "purge.stderr"
    with log.open("w") as err:
        began = time.perf_counter()
        process = subprocess.Popen(
            [common.SENDVOICE, "privacy", "purge"],
            stdout=subprocess.PIPE,
            stderr=err,
            text=True,
            env=_purge_env(url),
            cwd=where,
        )

        def wait() -> tuple[float, str]:
            out, _ = process.communicate()
            return time.perf_counter() - began, out

        waiting = asyncio.ensure_future(asyncio.to_thread(wait))
        slices: list[Stats] = []
        while not waiting.done():
            slices.append(await load.open_loop(SMS_PATH, RATE, 5.0))
        seconds, out = await waiting
    result = subprocess.CompletedProcess(process.args, process.returncode, out, log.read_text())
    return seconds, slices, result


def merged(slices: list[Stats]) -> Stats:
    return Stats(
        sent=sum(s.sent for s in slices),
        errors=sum(s.errors for s in slices),
        seconds=sum(s.seconds for s in slices),
        latencies_ms=[ms for s in slices for ms in s.latencies_ms],
        server_cpu_s=sum(s.server_cpu_s for s in slices),
        client_cpu_s=sum(s.client_cpu_s for s in slices),
        machine_busy=sum(s.machine_busy * s.seconds for s in slices)
        / sum(s.seconds for s in slices),
    )


async def measure(
    kind: str,
    url: str,
    server: common.Server,
    twilio: common.FakeTwilioProcess,
    where: Path,
    report: common.Report,
) -> None:
    details = report.details.setdefault(kind, {})
    async with rawhttp.Pool(server.base_url) as client:
        load = Load(client, server, twilio, first_number=5_000_000)
        common.note(f"{kind}: warming up the server, then 10 s of the open loop before the purge")
        await load.open_loop(SMS_PATH, RATE, 5.0)
        baseline = await load.open_loop(SMS_PATH, RATE, 10.0)
        details["open loop before"] = baseline.as_json()
        common.note(f"{kind}: sendvoice privacy purge, with the open loop running")
        seconds, slices, result = await during_purge(load, url, where)
        # Other work on a shared machine comes and goes: a window after brackets the one during.
        common.note(f"{kind}: 10 s of the open loop after the purge")
        after = await load.open_loop(SMS_PATH, RATE, 10.0)
        details["open loop after"] = after.as_json()
    during = merged(slices)
    details["open loop during"] = during.as_json()
    details["purge stdout"] = result.stdout.strip()
    if result.returncode != 0:
        raise RuntimeError(f"privacy purge failed ({result.returncode}): {result.stderr[-2000:]}")
    report.at_most(
        f"{kind} purge", round(seconds, 1), "s", PURGE_TARGET_S, f"< {PURGE_TARGET_S:.0f}"
    )
    report.info(f"{kind} open loop p95 before", round(baseline.p(95), 1), "ms")
    report.at_most(
        f"{kind} open loop p95 during",
        round(during.p(95), 1),
        "ms",
        P95_TARGET_MS,
        f"< {P95_TARGET_MS:.0f}",
    )
    report.info(f"{kind} open loop p95 after", round(after.p(95), 1), "ms")
    report.info(f"{kind} open loop p50/p99 during", f"{during.p(50):.1f}/{during.p(99):.1f}", "ms")
    report.info(f"{kind} open loop achieved during", round(during.rate, 1), "msg/s")
    report.check(f"{kind} open loop errors", during.errors, "", "0", during.errors == 0)
    _check_finished(kind, url, report)


_NOT_ROWS = ("batches", "retention_days", "longest_batch_ms")


def _check_finished(kind: str, url: str, report: common.Report) -> None:
    engine = make_engine(url)
    factory = make_session_factory(engine, IdentifierCipher([common.encryption_key()]))
    try:
        with factory() as session:
            entry = session.scalars(
                select(AuditEntry).where(AuditEntry.action == "retention_purge")
            ).one()
            left = count(
                session,
                load_library([LIBRARY_DIR]),
                retention_days=RETENTION_DAYS,
                now=entry.at,
            )
    finally:
        engine.dispose()
    figures = {k: v for k, v in entry.detail.items() if isinstance(v, int)}
    report.details[kind]["purged"] = figures
    report.details[kind]["purge phase seconds"] = entry.detail.get("phase_seconds")
    report.details[kind]["purge seconds inside the command"] = entry.detail.get("seconds")
    report.info(
        f"{kind} rows purged",
        sum(v for k, v in figures.items() if k not in _NOT_ROWS),
        "rows",
    )
    report.info(f"{kind} purge batches", figures["batches"], "")
    report.info(f"{kind} longest purge transaction", figures["longest_batch_ms"], "ms")
    report.check(f"{kind} left past retention", left.total(), "rows", "0", left.total() == 0)


def body(args: argparse.Namespace, report: common.Report) -> None:
    people = args.people or (2_000 if args.quick else 100_000)
    report.info("people", people, "")
    now = datetime.now(UTC)
    with common.workdir("purge") as wd, common.FakeTwilioProcess() as twilio:
        for kind in common.databases(args):
            where = wd / kind
            where.mkdir()
            target = common.pg_url(args, "sendvoice_bench_purge") if kind == "postgres" else None
            with common.fresh_database(kind, target, where) as url:
                common.note(f"{kind}: populating {people:,} people with two years of history")
                started = time.perf_counter()
                rows = populate(url, people, now)
                if kind == "postgres":
                    # As autovacuum would have done over two years: the planner knows the tables.
                    analyze(url)
                report.details.setdefault(kind, {})["populated"] = rows
                common.note(f"{kind}: populated in {time.perf_counter() - started:.0f} s: {rows}")
                port = common.free_port()
                env = common.server_env(url, port, twilio)
                command = [*common.sendvoice_serve(port), "--no-scheduler"]
                with common.run_server(command, env, where, port) as server:
                    asyncio.run(measure(kind, url, server, twilio, where, report))
    report.note(
        "the purge, the load generator, the fake Twilio, the server and the database share this "
        "machine's cores; the purge time counts from starting `sendvoice privacy purge` (a new "
        "process: imports, counting, then the batches) to its exit; the open loop runs in 5 s "
        "slices until the purge has exited"
    )


if __name__ == "__main__":
    parser = common.parser(__doc__.splitlines()[0])
    common.add_database_args(parser, both=True)
    parser.add_argument("--people", type=int, default=None, help="instead of 100,000")
    options = parser.parse_args()
    pg = common.pg_url(options, "sendvoice_bench_purge")
    sys.exit(common.main("purge", options, body, time_limit=1500, postgres_url=pg))

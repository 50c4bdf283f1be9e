"""Resident memory of `sendvoice serve` over a county-sized database, after traffic touching it.

The database holds 100,000 parents (encrypted numbers, as an import leaves them) of whom 10,000 are
in the middle of the post_event flow. The server (the real `sendvoice serve` command) then takes
two waves of 2,000 signed webhooks from random people in those conversations, each the next answer
in their flow, and delivers every reply to the fake Twilio. VmRSS is read from /proc after start-up
and after each wave: growth from the first wave to the second would point to a leak.
"""

from __future__ import annotations

import sys
from pathlib import Path

if __package__ in (None, ""):  # run as `python bench/memory.py`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import argparse
import asyncio
import random
import time
from datetime import UTC, datetime

import httpx
from pydantic import SecretStr
from sqlalchemy import insert, update

from bench import common
from bot.config import Settings
from bot.services import build_services
from flows import engine
from storage.db import make_engine
from storage.models import Contact, Conversation

TARGET_MB = 250.0
SMS_PATH = "/webhooks/twilio/sms"


def populate(url: str, contacts: int, active: int, now: datetime) -> list[str]:
    """Everyone, and the numbers of those mid-conversation (waiting at the first question)."""
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=url,
        data_encryption_key=SecretStr(common.encryption_key()),
    )
    services = build_services(settings, senders={})
    try:
        people = common.add_people(services.session_factory, contacts, now, progress="populate")
        flow = services.library.get("post_event")
        context = {
            "council_name": settings.council_name,
            "service_name": settings.service_name,
            "contact_details": settings.contact_details,
            "event_name": "the county consultation",
        }
        outcome = engine.start(flow, context, now, "en")
        chosen = random.Random(7).sample(people, active)
        for start in range(0, active, 5_000):
            with services.session_factory.begin() as session:
                session.execute(
                    insert(Conversation),
                    [
                        {
                            "contact_id": contact_id,
                            "flow_id": flow.id,
                            "flow_version": flow.version,
                            "language": "en",
                            "channel": "sms",
                            "status": outcome.status.value,
                            "state": outcome.state,
                            "started_at": now,
                            "updated_at": now,
                            "wake_at": outcome.wake_at,
                        }
                        for contact_id, _, _ in chosen[start : start + 5_000]
                    ],
                )
        with services.session_factory.begin() as session:
            session.execute(update(Contact).values(notice_sent_at=now))
    finally:
        services.close()
    return [n for _, _, n in chosen]


async def wave(
    server: common.Server,
    twilio: common.FakeTwilioProcess,
    numbers: list[str],
    progress: dict[str, int],
    count: int,
    concurrency: int,
    rng: random.Random,
) -> tuple[int, float]:
    """`count` webhooks, each from a random person with their next answer; (errors, seconds)."""
    public = server.url(SMS_PATH)
    queue = [rng.choice(numbers) for _ in range(count)]
    errors = 0
    busy: set[str] = set()

    async def worker(client: httpx.AsyncClient) -> None:
        nonlocal errors
        while queue:
            number = queue.pop()
            while number in busy:  # one person's replies come one after another
                await asyncio.sleep(0.001)
            busy.add(number)
            step = progress.get(number, 0)
            progress[number] = step + 1
            text = common.CONVERSATION[1 + step % (len(common.CONVERSATION) - 1)]
            content, headers = common.signed_sms(public, twilio, number, text)
            try:
                response = await client.post(public, content=content, headers=headers)
                errors += response.status_code != 200
            finally:
                busy.discard(number)

    began = time.perf_counter()
    limits = httpx.Limits(max_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=120, trust_env=False) as client:
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))
    return errors, time.perf_counter() - began


def measure(kind: str, args: argparse.Namespace, report: common.Report, where: Path) -> None:
    contacts, active, per_wave, waves = (
        (2_000, 200, 200, 1) if args.quick else (100_000, 10_000, 2_000, 2)
    )
    target = common.pg_url(args, "sendvoice_bench_memory") if kind == "postgres" else None
    with common.fresh_database(kind, target, where) as url, common.FakeTwilioProcess() as twilio:
        common.note(f"{kind}: {contacts:,} contacts, {active:,} active conversations")
        began = time.perf_counter()
        numbers = populate(url, contacts, active, datetime.now(UTC))
        report.details[f"{kind} populate seconds"] = round(time.perf_counter() - began, 1)
        port = common.free_port()
        env = common.server_env(url, port, twilio)
        db = make_engine(url)
        try:
            with common.run_server(common.sendvoice_serve(port), env, where, port) as server:
                time.sleep(1.0)
                report.info(f"{kind} RSS after start-up", round(server.rss_mb(), 1), "MB")
                progress: dict[str, int] = {}
                rng = random.Random(11)
                after: list[float] = []
                for n in range(1, waves + 1):
                    common.note(f"{kind}: wave {n}: {per_wave:,} webhooks")
                    errors, seconds = asyncio.run(
                        wave(server, twilio, numbers, progress, per_wave, 20, rng)
                    )
                    drained, left = common.wait_outbox_drained(db, 120)
                    after.append(server.rss_mb())
                    report.info(f"{kind} RSS after wave {n}", round(after[-1], 1), "MB")
                    report.details[f"{kind} wave {n}"] = {
                        "webhooks": per_wave,
                        "seconds": round(seconds, 1),
                        "msgs_per_s": round(per_wave / seconds, 1),
                        "outbox drained after (s)": round(drained, 1),
                        "replies left in the outbox": left,
                    }
                    if errors:
                        report.check(f"{kind} wave {n} errors", errors, "", "0", False)
                report.at_most(
                    f"{kind} RSS after traffic",
                    round(max(after), 1),
                    "MB",
                    TARGET_MB,
                    f"<= {TARGET_MB:.0f}",
                )
                report.info(f"{kind} peak RSS (VmHWM)", round(server.peak_rss_mb(), 1), "MB")
                if len(after) > 1:
                    report.info(
                        f"{kind} growth wave 1 -> {waves}", round(after[-1] - after[0], 1), "MB"
                    )
                report.details[f"{kind} replies delivered"] = twilio.sent()
        finally:
            db.dispose()


def body(args: argparse.Namespace, report: common.Report) -> None:
    with common.workdir("memory") as wd:
        for kind in common.databases(args):
            where = wd / kind
            where.mkdir()
            measure(kind, args, report, where)


if __name__ == "__main__":
    parser = common.parser(__doc__.splitlines()[0])
    common.add_database_args(parser, both=True)
    options = parser.parse_args()
    pg = common.pg_url(options, "sendvoice_bench_memory")
    sys.exit(common.main("memory", options, body, time_limit=290, postgres_url=pg))

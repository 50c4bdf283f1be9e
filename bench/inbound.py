"""Signed SMS webhooks over real HTTP to a real server process, against the floor of the same server.

Each simulated parent is a new number texting FEEDBACK and then answering the post_event flow, so
the load mixes first contacts with mid-conversation replies. The floor endpoint reads the same
form, inserts one row and commits (bot/web/bench_floor.py); both run in one server process, started
with `python -m uvicorn bench.floor_app:create --factory` (the real app plus the floor route).

Closed loop at rising concurrency (N requests always in flight), then an open-loop test at a fixed
arrival rate whose latencies count from each message's scheduled time, as a parent would see them.
"""

from __future__ import annotations

import sys
from pathlib import Path

if __package__ in (None, ""):  # run as `python bench/inbound.py`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import argparse
import asyncio
import itertools
import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Engine

from bench import common, rawhttp
from bot.web.bench_floor import PATH as FLOOR_PATH
from storage.db import make_engine

SMS_PATH = "/webhooks/twilio/sms"
P95_TARGET_MS = 50.0
RATIO_TARGET = 0.5


@dataclass
class Stats:
    sent: int
    errors: int
    seconds: float
    latencies_ms: list[float]
    server_cpu_s: float
    client_cpu_s: float
    machine_busy: float  # share of all cores busy, 0..1

    @property
    def rate(self) -> float:
        return self.sent / self.seconds if self.seconds else math.nan

    def p(self, q: float) -> float:
        return common.percentile(self.latencies_ms, q)

    def cpu_ms_per_msg(self, cpu_s: float) -> float:
        return 1000 * cpu_s / self.sent if self.sent else math.nan

    def as_json(self) -> dict[str, float | int]:
        return {
            "messages": self.sent,
            "errors": self.errors,
            "seconds": round(self.seconds, 3),
            "msgs_per_s": round(self.rate, 1),
            "p50_ms": round(self.p(50), 2),
            "p95_ms": round(self.p(95), 2),
            "p99_ms": round(self.p(99), 2),
            "max_ms": round(max(self.latencies_ms, default=math.nan), 2),
            "server_cpu_ms_per_msg": round(self.cpu_ms_per_msg(self.server_cpu_s), 3),
            "client_cpu_ms_per_msg": round(self.cpu_ms_per_msg(self.client_cpu_s), 3),
            "machine_cpu_busy_pct": round(100 * self.machine_busy, 1),
        }


def _cpu_ticks() -> tuple[int, int]:
    with open("/proc/stat") as stat:
        values = [int(v) for v in stat.readline().split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    return sum(values), idle


class Load:
    """Posts webhooks to one server: every conversation a new number, every message signed."""

    def __init__(
        self,
        client: rawhttp.Pool,
        server: common.Server,
        twilio: common.FakeTwilioProcess,
        *,
        first_number: int = 1,
    ) -> None:
        self.client = client
        self.server = server
        self.twilio = twilio
        self.numbers = itertools.count(first_number)
        self.public = f"{server.base_url}{SMS_PATH}"  # PUBLIC_BASE_URL is the server's own

    async def post(self, path: str, number: int, body: str) -> bool:
        content, headers = common.signed_sms(self.public, self.twilio, common.number(number), body)
        return await self.client.post(path, content, headers) == 200

    async def closed_loop(self, path: str, concurrency: int, seconds: float) -> Stats:
        latencies: list[float] = []
        errors = 0
        end = time.perf_counter() + seconds

        async def worker() -> None:
            nonlocal errors
            while time.perf_counter() < end:
                number = next(self.numbers)
                for body in common.CONVERSATION:
                    if time.perf_counter() >= end:
                        break
                    began = time.perf_counter()
                    ok = await self.post(path, number, body)
                    latencies.append(1000 * (time.perf_counter() - began))
                    errors += not ok

        return await self._measure(
            asyncio.gather(*(worker() for _ in range(concurrency))), latencies, lambda: errors
        )

    async def open_loop(self, path: str, rate: float, seconds: float) -> Stats:
        """`rate` messages a second whatever the server does; latency from the scheduled time."""
        total = int(rate * seconds)
        per_conversation = len(common.CONVERSATION)
        conversations = math.ceil(total / per_conversation)
        latencies: list[float] = []
        errors = 0
        start = time.perf_counter()

        async def conversation(j: int, number: int) -> None:
            nonlocal errors
            # Message k of conversation j goes at slot k * conversations + j: a parent's next
            # reply comes `conversations / rate` seconds after the last one (and after its answer).
            for k, body in enumerate(common.CONVERSATION):
                slot = k * conversations + j
                if slot >= total:
                    return
                due = start + slot / rate
                if (delay := due - time.perf_counter()) > 0:
                    await asyncio.sleep(delay)
                ok = await self.post(path, number, body)
                latencies.append(1000 * (time.perf_counter() - due))
                errors += not ok

        numbers = [next(self.numbers) for _ in range(conversations)]
        work = asyncio.gather(*(conversation(j, n) for j, n in enumerate(numbers)))
        return await self._measure(work, latencies, lambda: errors)

    async def _measure(
        self,
        work: asyncio.Future[list[None]],
        latencies: list[float],
        errors: Callable[[], int],
    ) -> Stats:
        cpu0, ticks0 = self.server.cpu_seconds(), _cpu_ticks()
        client0, began = time.process_time(), time.perf_counter()
        await work
        seconds = time.perf_counter() - began
        ticks1 = _cpu_ticks()
        total, idle = ticks1[0] - ticks0[0], ticks1[1] - ticks0[1]
        return Stats(
            sent=len(latencies),
            errors=errors(),
            seconds=seconds,
            latencies_ms=latencies,
            server_cpu_s=self.server.cpu_seconds() - cpu0,
            client_cpu_s=time.process_time() - client0,
            machine_busy=(total - idle) / total if total else math.nan,
        )


@dataclass
class Plan:
    levels: tuple[int, ...]
    seconds: float
    rate: float
    rate_seconds: float
    delivery_level: int

    @classmethod
    def of(cls, quick: bool) -> Plan:
        if quick:
            return cls((1, 10), 1.5, 20.0, 2.0, 10)
        return cls((1, 10, 50, 100), 6.0, 100.0, 10.0, 50)


def _triple(stats: Stats) -> str:
    return f"{stats.p(50):.1f}/{stats.p(95):.1f}/{stats.p(99):.1f}"


async def webhook_path(
    kind: str, load: Load, plan: Plan, report: common.Report, details: dict[str, object]
) -> None:
    """The server queues replies but has no SMS sender: only the webhook path is measured."""
    common.note(f"{kind}: warming up")
    await load.closed_loop(FLOOR_PATH, 10, 1.0)
    await load.closed_loop(SMS_PATH, 10, 1.0)
    for c in plan.levels:
        common.note(f"{kind}: {c} in flight, floor then full path, {plan.seconds:.0f} s each")
        floor = await load.closed_loop(FLOOR_PATH, c, plan.seconds)
        full = await load.closed_loop(SMS_PATH, c, plan.seconds)
        details[f"c={c} floor"] = floor.as_json()
        details[f"c={c} full"] = full.as_json()
        name = f"{kind} c={c}"
        report.info(f"{name} floor", round(floor.rate, 1), "msg/s")
        report.info(f"{name} full", round(full.rate, 1), "msg/s")
        ratio = round(full.rate / floor.rate, 2)
        report.at_least(f"{name} full/floor", ratio, "x", RATIO_TARGET, f">= {RATIO_TARGET}")
        report.info(f"{name} full p50/p95/p99", _triple(full), "ms")
        report.info(f"{name} floor p50/p95/p99", _triple(floor), "ms")
        cpu = (
            f"{full.cpu_ms_per_msg(full.server_cpu_s):.2f}/"
            f"{floor.cpu_ms_per_msg(floor.server_cpu_s):.2f}"
        )
        report.info(f"{name} server CPU/msg full/floor", cpu, "ms")
        if full.errors or floor.errors:
            report.check(f"{name} errors", full.errors + floor.errors, "", "0", False)


async def with_delivery(
    kind: str,
    load: Load,
    plan: Plan,
    engine: Engine,
    report: common.Report,
    details: dict[str, object],
) -> None:
    """The server as deployed: the outbox in the same process sends every reply to Twilio."""

    async def drain(label: str) -> None:
        waited, left = await asyncio.to_thread(common.wait_outbox_drained, engine, 120)
        details[f"outbox drained after {label} (s)"] = round(waited, 2)
        if left:
            report.note(f"{kind}: {left} replies still queued 120 s after {label}")

    common.note(f"{kind}: with delivery: warming up")
    await load.closed_loop(SMS_PATH, 10, 1.0)
    await drain("warm-up")
    c = plan.delivery_level
    common.note(f"{kind}: with delivery: {c} in flight, floor then full, {plan.seconds:.0f} s each")
    floor = await load.closed_loop(FLOOR_PATH, c, plan.seconds)
    full = await load.closed_loop(SMS_PATH, c, plan.seconds)
    details[f"with delivery c={c} floor"] = floor.as_json()
    details[f"with delivery c={c} full"] = full.as_json()
    await drain(f"c={c}")
    name = f"{kind} +delivery c={c}"
    report.info(f"{name} full", round(full.rate, 1), "msg/s")
    report.info(f"{name} full/floor", round(full.rate / floor.rate, 2), "x")
    report.info(f"{name} full p50/p95/p99", _triple(full), "ms")
    report.info(f"{name} server CPU/msg", round(full.cpu_ms_per_msg(full.server_cpu_s), 2), "ms")

    common.note(f"{kind}: open loop, {plan.rate:.0f} msg/s for {plan.rate_seconds:.0f} s")
    opened = await load.open_loop(SMS_PATH, plan.rate, plan.rate_seconds)
    details[f"open loop {plan.rate:.0f}/s"] = opened.as_json()
    await drain("open loop")
    name = f"{kind} +delivery {plan.rate:.0f}/s open loop"
    report.info(f"{name} achieved", round(opened.rate, 1), "msg/s")
    report.info(f"{name} p50/p99", f"{opened.p(50):.1f}/{opened.p(99):.1f}", "ms")
    p95 = round(opened.p(95), 1)
    if kind == "postgres":
        report.at_most(f"{name} p95", p95, "ms", P95_TARGET_MS, f"< {P95_TARGET_MS:.0f}")
    else:
        report.info(f"{name} p95", p95, "ms")
    report.check(f"{name} errors", opened.errors, "", "0", opened.errors == 0)
    report.info(
        f"{name} server CPU busy",
        round(100 * opened.server_cpu_s / opened.seconds),
        "% core",
    )


async def measure(
    kind: str,
    url: str,
    server: common.Server,
    twilio: common.FakeTwilioProcess,
    delivery: bool,
    args: argparse.Namespace,
    report: common.Report,
) -> None:
    plan = Plan.of(args.quick)
    engine = make_engine(url)
    details = report.details.setdefault(kind, {})
    try:
        async with rawhttp.Pool(server.base_url) as client:
            load = Load(client, server, twilio, first_number=1_000_000 * (1 + delivery))
            if delivery:
                await with_delivery(kind, load, plan, engine, report, details)
            else:
                await webhook_path(kind, load, plan, report, details)
    finally:
        engine.dispose()


def body(args: argparse.Namespace, report: common.Report) -> None:
    report.info("server web processes", args.workers, "")
    with common.workdir("inbound") as wd, common.FakeTwilioProcess() as twilio:
        for kind in common.databases(args):
            where = wd / kind
            where.mkdir()
            target = common.pg_url(args, "sendvoice_bench_inbound") if kind == "postgres" else None
            with common.fresh_database(kind, target, where) as url:
                for delivery in (False, True):
                    port = common.free_port()
                    env = common.server_env(url, port, twilio)
                    if not delivery:
                        # Twilio is then not configured for sending (signatures still check):
                        # replies wait in the outbox and only the webhook path costs anything.
                        del env["TWILIO_FROM_NUMBER"]
                    common.note(f"{kind}: starting the server (delivery {delivery})")
                    command = common.floor_serve(port, args.workers)
                    with common.run_server(command, env, where, port) as server:
                        asyncio.run(measure(kind, url, server, twilio, delivery, args, report))
                        rss = round(server.rss_mb(), 1)
                    report.info(f"{kind} server RSS after the run", rss, "MB")
    report.note(
        "the load generator, the fake Twilio, the server and PostgreSQL share this machine's "
        "cores; details give the machine's CPU busy % per phase"
    )


if __name__ == "__main__":
    parser = common.parser(__doc__.splitlines()[0])
    common.add_database_args(parser, both=True)
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        help="web processes, as `sendvoice serve --workers N` runs them (default 1)",
    )
    options = parser.parse_args()
    pg = common.pg_url(options, "sendvoice_bench_inbound")
    sys.exit(common.main("inbound", options, body, time_limit=290, postgres_url=pg))

"""What every benchmark shares: fresh databases, a real server process, the fake Twilio, and output.

Human output: one line per figure, with its target and PASS / MISS ("info" where no target is set).
`--json`: exactly one JSON object on stdout. Progress always goes to stderr.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import multiprocessing
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from multiprocessing.connection import Connection
from pathlib import Path
from types import FrameType
from typing import Any
from urllib.parse import urlencode

import httpx
import psycopg
from psycopg import sql
from sqlalchemy import Engine, insert, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

REPO_ROOT = Path(__file__).resolve().parent.parent
SENDVOICE = shutil.which("sendvoice") or str(Path(sys.executable).with_name("sendvoice"))
DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/"
COUNCIL_NUMBER = "+447700900000"
# What a parent texts through the whole post_event flow (who is answering, attended, rating 4,
# two texts, ...).
CONVERSATION = (
    "FEEDBACK",
    "1",
    "yes",
    "4",
    "Meeting other parents",
    "A quieter room",
    "yes",
    "yes",
    "no thanks",
)
_STARTED = time.monotonic()


_KEY: list[str] = []


def encryption_key() -> str:
    """One fresh key per run, shared by the server, the populating code and child processes."""
    if not _KEY:
        from storage.crypto import generate_key

        _KEY.append(generate_key())
    return _KEY[0]


def use_encryption_key(key: str) -> None:
    """In a child process: the parent's key, so both read the same encrypted numbers."""
    _KEY[:] = [key]


def note(message: str) -> None:
    print(f"[{time.monotonic() - _STARTED:6.1f}s] {message}", file=sys.stderr, flush=True)


def number(n: int) -> str:
    """A distinct, well-formed UK mobile number for the n-th person."""
    return f"+4477{n:08d}"


def percentile(values: Sequence[float], p: float) -> float:
    """Linear interpolation between closest ranks (numpy's default)."""
    if not values:
        return math.nan
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    lo = math.floor(k)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


# -- output


@dataclass
class Figure:
    name: str
    value: Any
    unit: str
    target: str | None = None
    ok: bool | None = None

    @property
    def verdict(self) -> str:
        if self.ok is None:
            return "info"
        return "PASS" if self.ok else "MISS"


@dataclass
class Report:
    benchmark: str
    quick: bool
    figures: list[Figure] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)
    machine: dict[str, Any] = field(default_factory=dict)
    error: str | None = None

    def info(self, name: str, value: Any, unit: str = "") -> None:
        self.figures.append(Figure(name, value, unit))

    def check(self, name: str, value: Any, unit: str, target: str, ok: bool) -> None:
        self.figures.append(Figure(name, value, unit, target, ok))

    def at_least(self, name: str, value: float, unit: str, minimum: float, target: str) -> None:
        self.check(name, value, unit, target, not math.isnan(value) and value >= minimum)

    def at_most(self, name: str, value: float, unit: str, maximum: float, target: str) -> None:
        self.check(name, value, unit, target, not math.isnan(value) and value <= maximum)

    def note(self, text_: str) -> None:
        self.notes.append(text_)
        note(text_)

    @property
    def passed(self) -> bool:
        return self.error is None and all(f.ok is not False for f in self.figures)

    def as_json(self) -> dict[str, Any]:
        return {
            "benchmark": self.benchmark,
            "quick": self.quick,
            "passed": self.passed,
            "error": self.error,
            "machine": self.machine,
            "figures": {
                f.name: {"value": f.value, "unit": f.unit, "target": f.target, "verdict": f.verdict}
                for f in self.figures
            },
            "notes": self.notes,
            "details": self.details,
        }

    def print_human(self) -> None:
        kind = "quick smoke run: too small to judge the targets" if self.quick else "full run"
        print(f"sendvoice bench: {self.benchmark} ({kind})")
        m = self.machine
        print(
            f"machine: {m.get('cpus')} cpus, {m.get('cpu_model')}, {m.get('ram_gib')} GiB RAM, "
            f"Python {m.get('python')}, PostgreSQL {m.get('postgresql') or '-'}"
        )
        width = max([len(f.name) for f in self.figures] + [10])
        for f in self.figures:
            shown = _fmt(f.value)
            target = f"target {f.target}" if f.target else ""
            print(f"  {f.name:<{width}}  {shown:>16} {f.unit:<7} {target:<24} {f.verdict}")
        load = m.get("load_average_1m_at_start") or 0
        if load > 0.5:
            print(f"warning: load average {load} at start: other work shared the CPUs")
        for text_ in self.notes:
            print(f"note: {text_}")
        if self.error:
            print(f"ERROR: {self.error}")
        if self.error:
            print("result: did not complete")
        else:
            print("result: " + ("all targets met" if self.passed else "some targets MISSED"))


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        if math.isnan(value):
            return "n/a"
        return f"{value:,.1f}" if abs(value) >= 100 else f"{value:.3g}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def machine(postgres_url: str | None = None) -> dict[str, Any]:
    model = ""
    with contextlib.suppress(OSError), open("/proc/cpuinfo") as cpuinfo:
        model = next((ln.split(":", 1)[1].strip() for ln in cpuinfo if "model name" in ln), "")
    ram = 0.0
    with contextlib.suppress(OSError, StopIteration), open("/proc/meminfo") as meminfo:
        kib = next(int(ln.split()[1]) for ln in meminfo if ln.startswith("MemTotal:"))
        ram = round(kib / 1024 / 1024, 1)
    info: dict[str, Any] = {
        "cpus": len(os.sched_getaffinity(0)),
        "cpu_model": model or platform.processor(),
        "ram_gib": ram,
        "python": platform.python_version(),
        "postgresql": None,
        # Other work on the machine skews every figure: say how busy it was when we started.
        "load_average_1m_at_start": round(os.getloadavg()[0], 2),
    }
    if postgres_url:
        with contextlib.suppress(Exception), psycopg.connect(_admin_dsn(postgres_url)) as conn:
            row = conn.execute("SHOW server_version").fetchone()
            info["postgresql"] = row[0].split()[0] if row else None
    return info


# -- arguments and the hard time bound


class BenchTimeout(Exception):
    pass


def parser(description: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--quick", action="store_true", help="a small smoke run (a few seconds)")
    p.add_argument("--json", action="store_true", help="print exactly one JSON object")
    return p


def add_database_args(p: argparse.ArgumentParser, *, both: bool) -> None:
    p.add_argument(
        "--database-url",
        help="PostgreSQL URL to use instead of the default server; the database it names must "
        "contain 'bench' in its name: it is DROPPED, created afresh, and dropped at the end",
    )
    if both:
        p.add_argument(
            "--db",
            default="sqlite,postgres",
            help="comma-separated: sqlite, postgres (default: both)",
        )


def databases(args: argparse.Namespace) -> list[str]:
    chosen = [d.strip() for d in args.db.split(",") if d.strip()]
    unknown = set(chosen) - {"sqlite", "postgres"}
    if unknown or not chosen:
        raise ValueError(f"--db: expected sqlite and/or postgres, not {args.db!r}")
    return chosen


def main(
    name: str,
    args: argparse.Namespace,
    body: Callable[[argparse.Namespace, Report], None],
    *,
    time_limit: float,
    postgres_url: str | None = None,
) -> int:
    """Run a benchmark under a hard time bound and print its report; 0 unless it failed to run."""
    report = Report(name, quick=bool(args.quick))
    report.machine = machine(postgres_url)

    def on_alarm(_signum: int, _frame: FrameType | None) -> None:
        raise BenchTimeout(f"hard time limit of {time_limit:.0f} s reached")

    signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(math.ceil(time_limit))
    try:
        body(args, report)
    except BenchTimeout as exc:
        report.error = str(exc)
    except Exception as exc:
        traceback.print_exc(file=sys.stderr)
        report.error = f"{type(exc).__name__}: {exc}"
    finally:
        signal.alarm(0)
    if args.json:
        print(json.dumps(report.as_json(), default=str))
    else:
        report.print_human()
    return 0 if report.error is None else 2


# -- databases


def pg_url(args: argparse.Namespace, name: str) -> str:
    return str(getattr(args, "database_url", None) or DEFAULT_PG + name)


def _admin_dsn(url: str) -> str:
    parsed = make_url(url).set(drivername="postgresql", database="postgres")
    return parsed.render_as_string(hide_password=False)


def _pg_admin(url: str, statement: sql.Composable) -> None:
    with psycopg.connect(_admin_dsn(url), autocommit=True) as conn:
        conn.execute(statement)


@contextlib.contextmanager
def fresh_database(kind: str, url: str | None, workdir: Path) -> Iterator[str]:
    """A migrated, empty database: a SQLite file in `workdir`, or the PostgreSQL database `url`
    names, dropped and created afresh (and dropped again afterwards)."""
    from storage.migrate import upgrade

    if kind == "sqlite":
        sqlite_url = f"sqlite:///{workdir / 'bench.db'}"
        upgrade(sqlite_url)
        yield sqlite_url
        return
    assert url is not None
    name = make_url(url).database or ""
    if "bench" not in name:
        raise ValueError(f"refusing to drop database {name!r}: its name must contain 'bench'")
    drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
    _pg_admin(url, drop)
    _pg_admin(url, sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        upgrade(url)
        yield url
    finally:
        _pg_admin(url, drop)


@contextlib.contextmanager
def workdir(prefix: str) -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix=f"sendvoice-bench-{prefix}-") as path:
        yield Path(path)


def outbox_pending(engine: Engine) -> int:
    with engine.connect() as conn:
        count = conn.execute(
            text(
                "SELECT count(*) FROM messages "
                "WHERE direction = 'out' AND status IN ('queued', 'sending')"
            )
        ).scalar_one()
    return int(count)


def wait_outbox_drained(engine: Engine, timeout: float) -> tuple[float, int]:
    """Seconds until the outbox had nothing left to send (or timeout), and what was left."""
    started = time.monotonic()
    while (left := outbox_pending(engine)) and time.monotonic() - started < timeout:
        time.sleep(0.2)
    return time.monotonic() - started, left


# -- the fake Twilio, in its own process so it never competes with the load for our GIL


def _fake_twilio_main(conn: Connection) -> None:
    from tests.fakes.twilio import FakeTwilio

    with FakeTwilio() as fake:
        conn.send((fake.base_url, fake.account_sid, fake.auth_token))
        while (command := conn.recv()) != "stop":
            if command == "count":
                conn.send(len(fake.messages))


class FakeTwilioProcess:
    def __init__(self) -> None:
        ctx = multiprocessing.get_context("spawn")
        self._conn, child = ctx.Pipe()
        self._process = ctx.Process(target=_fake_twilio_main, args=(child,), daemon=True)
        self.base_url = self.account_sid = self.auth_token = ""

    def __enter__(self) -> FakeTwilioProcess:
        self._process.start()
        if not self._conn.poll(60):
            raise RuntimeError("the fake Twilio did not start")
        self.base_url, self.account_sid, self.auth_token = self._conn.recv()
        return self

    def sent(self) -> int:
        self._conn.send("count")
        return int(self._conn.recv())

    def __exit__(self, *exc: object) -> None:
        with contextlib.suppress(OSError):
            self._conn.send("stop")
        self._process.join(15)
        if self._process.is_alive():
            self._process.terminate()
            self._process.join(5)


# -- a real server process


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def server_env(
    database_url: str, port: int, twilio: FakeTwilioProcess, **extra: str
) -> dict[str, str]:
    from bot.config import Settings

    # Nothing from the caller's shell may reach the server's settings (a real bot token would
    # make it call Telegram): every setting is set here or left at its default.
    ours = {name.upper() for name in Settings.model_fields}
    env = {k: v for k, v in os.environ.items() if k.upper() not in ours}
    env.update(
        {
            "DATABASE_URL": database_url,
            "DATA_ENCRYPTION_KEY": encryption_key(),
            "LOG_LEVEL": "WARNING",
            "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
            "TWILIO_ACCOUNT_SID": twilio.account_sid,
            "TWILIO_AUTH_TOKEN": twilio.auth_token,
            "TWILIO_FROM_NUMBER": COUNCIL_NUMBER,
            "TWILIO_API_BASE_URL": twilio.base_url,
            "SMS_MAX_PER_SECOND": "1000",
            "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")])),
        }
    )
    env.update(extra)
    return env


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    base_url: str
    log: Path

    def url(self, path: str) -> str:
        return self.base_url + path

    def _status(self, key: str) -> int:
        """A /proc/PID/status figure in kB, added up over the server and its workers."""
        total = 0
        for pid in self.pids():
            with contextlib.suppress(OSError), open(f"/proc/{pid}/status") as status:
                total += next((int(ln.split()[1]) for ln in status if ln.startswith(key + ":")), 0)
        return total

    # /proc reports kB meaning KiB; targets are in MB (10^6 bytes), the stricter reading.
    def rss_mb(self) -> float:
        return self._status("VmRSS") * 1024 / 1e6

    def peak_rss_mb(self) -> float:
        return self._status("VmHWM") * 1024 / 1e6

    def pids(self) -> list[int]:
        """The server and its worker processes (uvicorn --workers), if any."""
        found, todo = [], [self.process.pid]
        while todo:
            pid = todo.pop()
            found.append(pid)
            with contextlib.suppress(OSError), open(f"/proc/{pid}/task/{pid}/children") as kids:
                todo += [int(k) for k in kids.read().split()]
        return found

    def cpu_seconds(self) -> float:
        """CPU time of the server and its workers (user + system)."""
        ticks = 0
        for pid in self.pids():
            with contextlib.suppress(OSError), open(f"/proc/{pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
                ticks += int(fields[11]) + int(fields[12])
        return ticks / os.sysconf("SC_CLK_TCK")


def sendvoice_serve(port: int) -> list[str]:
    return [SENDVOICE, "serve", "--port", str(port)]


def floor_serve(port: int, workers: int = 1) -> list[str]:
    """The real app plus the floor route (bench/floor_app.py), served as `sendvoice serve
    [--workers N]` serves it."""
    if workers > 1:
        return [
            sys.executable,
            "-m",
            "bench.floor_app",
            "--port",
            str(port),
            "--workers",
            str(workers),
        ]
    return [
        sys.executable,
        "-m",
        "uvicorn",
        "bench.floor_app:create",
        "--factory",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--log-level",
        "warning",
        "--no-access-log",
    ]


@contextlib.contextmanager
def run_server(
    command: Sequence[str], env: dict[str, str], cwd: Path, port: int
) -> Iterator[Server]:
    log = cwd / f"server-{port}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            list(command), stdout=out, stderr=subprocess.STDOUT, env=env, cwd=cwd
        )
    server = Server(process, f"http://127.0.0.1:{port}", log)
    try:
        deadline = time.monotonic() + 60
        while True:
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(server.url("/healthz"), timeout=1).status_code == 200:
                    break
            if process.poll() is not None or time.monotonic() > deadline:
                tail = log.read_text(errors="replace")[-3000:]
                raise RuntimeError(f"the server did not start:\n{tail}")
            time.sleep(0.1)
        yield server
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)


def signed_sms(
    public_url: str, twilio: FakeTwilioProcess, from_: str, body: str
) -> tuple[bytes, dict[str, str]]:
    """An inbound SMS webhook as Twilio posts it: form body and signed headers."""
    from tests.fakes.twilio import inbound_sms_form, sign

    form = inbound_sms_form(
        from_=from_, to=COUNCIL_NUMBER, body=body, account_sid=twilio.account_sid
    )
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Twilio-Signature": sign(twilio.auth_token, public_url, form),
    }
    return urlencode(form).encode(), headers


# -- bulk population (many people at once, as an import would leave them)


def add_people(
    session_factory: sessionmaker[Session],
    count: int,
    now: datetime,
    *,
    first: int = 1,
    chunk: int = 5_000,
    progress: str = "",
) -> list[tuple[int, int, str]]:
    """`count` parents reachable by SMS: (contact id, identity id, number), in number order."""
    from storage.crypto import IdentifierCipher
    from storage.models import ChannelIdentity, Contact, new_pseudonym

    cipher = IdentifierCipher([encryption_key()])
    people: list[tuple[int, int, str]] = []
    for start in range(first, first + count, chunk):
        numbers = [number(n) for n in range(start, min(start + chunk, first + count))]
        with session_factory.begin() as session:
            contact_ids = session.scalars(
                insert(Contact).returning(Contact.id, sort_by_parameter_order=True),
                [
                    {
                        "pseudonym": new_pseudonym(),
                        "role": "parent",
                        "preferred_language": "en",
                        "preferred_channel": "sms",
                        "timezone": "Europe/London",
                        "consent_at": now,
                        "consent_source": "bench",
                        "created_at": now,
                        "updated_at": now,
                    }
                    for _ in numbers
                ],
            ).all()
            identity_ids = session.scalars(
                insert(ChannelIdentity).returning(ChannelIdentity.id, sort_by_parameter_order=True),
                [
                    {
                        "contact_id": contact_id,
                        "channel": "sms",
                        "address_hash": cipher.lookup(n),
                        "address_enc": cipher.encrypt(n),
                        "created_at": now,
                    }
                    for contact_id, n in zip(contact_ids, numbers, strict=True)
                ],
            ).all()
        people += zip(contact_ids, identity_ids, numbers, strict=True)
        if progress and len(people) % 20_000 < chunk:
            note(f"{progress}: {len(people):,} people")
    return people

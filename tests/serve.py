"""Run `sendvoice serve` as a real process for tests that need one (restarts, kills, logs).

Every process started here is stopped and reaped before the test ends, whatever happens in it
(a process left running fails a later test with a ResourceWarning), and every wait is for a
condition, with a deadline generous enough for a busy machine.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import httpx

EXE = shutil.which("sendvoice") or str(Path(sys.executable).with_name("sendvoice"))
START_SECONDS = 90.0  # a server with several web processes, on a loaded machine
STOP_SECONDS = 60.0  # it finishes what it is sending first (bot.web.serving)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(
    args: Sequence[str], *, env: dict[str, str], cwd: Path, out: IO[Any]
) -> subprocess.Popen[bytes]:
    """A `sendvoice` process in a process group of its own, so that `stop` can also end whatever
    it started (web processes) if it did not end them itself."""
    return subprocess.Popen(
        [EXE, *args], stdout=out, stderr=subprocess.STDOUT, env=env, cwd=cwd, start_new_session=True
    )


def stop(process: subprocess.Popen[bytes], grace: float = STOP_SECONDS) -> int:
    """Ask it to stop (SIGTERM), wait, then kill what is left of its group; always reaped.
    Returns its exit code."""
    try:
        if process.poll() is None:
            process.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=grace)
    finally:
        # Its group: itself if it did not stop in time, and anything it left behind.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    return process.returncode


@dataclass
class Served:
    base_url: str
    log: Path
    process: subprocess.Popen[bytes]


@contextlib.contextmanager
def serve(
    env: dict[str, str], workdir: Path, *, port: int | None = None, args: Sequence[str] = ()
) -> Iterator[Served]:
    port = port or free_port()
    log = workdir / f"serve-{port}.log"
    with log.open("w") as out:
        proc = start(["serve", "--port", str(port), *args], env=env, cwd=workdir, out=out)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_SECONDS
        while True:
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(base + "/healthz", timeout=2).status_code == 200:
                    break
            if proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError("sendvoice serve did not start:\n" + log.read_text())
            time.sleep(0.1)
        yield Served(base, log, proc)
    finally:
        stop(proc)

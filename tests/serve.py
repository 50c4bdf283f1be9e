"""Run `sendvoice serve` as a real process for tests that need one (restarts, kills, logs)."""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx

EXE = shutil.which("sendvoice") or str(Path(sys.executable).with_name("sendvoice"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


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
        proc = subprocess.Popen(
            [EXE, "serve", "--port", str(port), *args],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=workdir,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                    break
            if proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError("sendvoice serve did not start:\n" + log.read_text())
            time.sleep(0.1)
        yield Served(base, log, proc)
    finally:
        if proc.poll() is None:
            proc.terminate()
            proc.wait(timeout=15)

"""Waking the delivery loops of another process the moment there is work for them.

Under `sendvoice serve --workers N` the webhooks run in N web processes and the outbox and the
safeguarding alerts in the serving one. A web process that queued a reply says so across the
process boundary, so the reply goes at once instead of at the next poll:

- PostgreSQL: `NOTIFY sendvoice_wake` (payload "outbox" or "alerts"); every process that delivers
  (`serve`, `scheduler`, on any host) LISTENs. A notification is only a hint: the rows are the
  work, and each loop still polls as a backstop, so a lost notification costs the poll, not a
  message.
- SQLite (one machine): a Unix datagram socket the serving process binds; its path reaches the
  web processes in SENDVOICE_WAKE_SOCKET.

Senders never wait: a wake that cannot be delivered (the listener restarting, its queue full) is
dropped, and the poll picks the work up.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
from sqlalchemy import Engine

log = logging.getLogger(__name__)

CHANNEL = "sendvoice_wake"
SOCKET_ENV = "SENDVOICE_WAKE_SOCKET"
KINDS = ("outbox", "alerts")
_RECONNECT_SECONDS = 1.0

Wake = Callable[[str], None]


def _dsn(engine: Engine) -> str:
    return engine.url.set(drivername="postgresql").render_as_string(hide_password=False)


# -- the sending side (web processes)


class NotifySender:
    """Sends NOTIFY from a thread of its own on one connection, so a webhook never waits for it;
    wakes that arrive while one is being sent are folded into the next."""

    def __init__(self, engine: Engine) -> None:
        self._dsn = _dsn(engine)
        self._pending: set[str] = set()
        self._ready = threading.Condition()
        self._thread: threading.Thread | None = None
        self._closed = False

    def __call__(self, kind: str) -> None:
        with self._ready:
            self._pending.add(kind)
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="sendvoice-wake", daemon=True
                )
                self._thread.start()
            self._ready.notify()

    def close(self) -> None:
        """Stop sending (the thread ends after any wake in hand)."""
        with self._ready:
            self._closed = True
            self._ready.notify()

    def _take(self) -> set[str] | None:
        with self._ready:
            while not self._pending and not self._closed:
                self._ready.wait()
            if self._closed:
                return None
            kinds, self._pending = self._pending, set()
            return kinds

    def _run(self) -> None:
        connection: psycopg.Connection[tuple[object, ...]] | None = None
        while (kinds := self._take()) is not None:
            try:
                if connection is None or connection.closed:
                    connection = psycopg.connect(self._dsn, autocommit=True)
                for kind in sorted(kinds):
                    connection.execute("SELECT pg_notify(%s, %s)", (CHANNEL, kind))
            except psycopg.Error as exc:  # the poll will find the work; try again next time
                log.warning("could not wake delivery: %s", type(exc).__name__)
                with contextlib.suppress(psycopg.Error):
                    if connection is not None:
                        connection.close()
                connection = None
        if connection is not None:
            connection.close()


class SocketSender:
    """One datagram per wake to the serving process's socket; never blocks."""

    def __init__(self, path: str) -> None:
        self._path = path
        self._socket = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self._socket.setblocking(False)

    def __call__(self, kind: str) -> None:
        with contextlib.suppress(OSError):  # full, or the serving process is restarting
            self._socket.sendto(kind.encode(), self._path)

    def close(self) -> None:
        self._socket.close()


def sender_for(engine: Engine) -> NotifySender | SocketSender | None:
    """How this web process wakes the delivering one; None when nothing needs waking."""
    if engine.dialect.name == "postgresql":
        return NotifySender(engine)
    path = os.environ.get(SOCKET_ENV)
    return SocketSender(path) if path else None


# -- the listening side (the process that delivers)


@contextlib.contextmanager
def wake_socket() -> Iterator[str]:
    """A private path for the serving process's wake socket, exported to the web processes it
    starts (they inherit the environment); removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="sendvoice-wake-") as where:
        path = str(Path(where) / "wake.sock")
        before = os.environ.get(SOCKET_ENV)
        os.environ[SOCKET_ENV] = path
        try:
            yield path
        finally:
            if before is None:
                os.environ.pop(SOCKET_ENV, None)
            else:
                os.environ[SOCKET_ENV] = before


async def listen(engine: Engine, wake: Wake, stop: asyncio.Event) -> None:
    """Call `wake(kind)` for every wake another process sends, until `stop`."""
    if engine.dialect.name == "postgresql":
        await _listen_postgres(_dsn(engine), wake, stop)
        return
    path = os.environ.get(SOCKET_ENV)
    if path:
        await _listen_socket(path, wake, stop)


async def _listen_postgres(dsn: str, wake: Wake, stop: asyncio.Event) -> None:
    while not stop.is_set():
        try:
            async with await psycopg.AsyncConnection.connect(dsn, autocommit=True) as connection:
                await connection.execute(f"LISTEN {CHANNEL}")
                # Whatever was queued before we listened is found by the loops' first pass.
                reader = asyncio.create_task(_notifications(connection, wake))
                stopped = asyncio.create_task(stop.wait())
                await asyncio.wait([reader, stopped], return_when=asyncio.FIRST_COMPLETED)
                for task in (reader, stopped):
                    task.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await task
                reader_error = None if reader.cancelled() else reader.exception()
                if reader_error is not None:
                    raise reader_error
        except (psycopg.Error, OSError) as exc:
            log.warning("delivery wake-up listener lost its connection: %s", type(exc).__name__)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), _RECONNECT_SECONDS)


async def _notifications(
    connection: psycopg.AsyncConnection[tuple[object, ...]], wake: Wake
) -> None:
    async for notification in connection.notifies():
        if notification.payload in KINDS:
            wake(notification.payload)


class _Datagrams(asyncio.DatagramProtocol):
    def __init__(self, wake: Wake) -> None:
        self.wake = wake

    def datagram_received(self, data: bytes, addr: object) -> None:
        kind = data.decode(errors="replace")
        if kind in KINDS:
            self.wake(kind)


async def _listen_socket(path: str, wake: Wake, stop: asyncio.Event) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)
    loop = asyncio.get_running_loop()
    transport, _ = await loop.create_datagram_endpoint(
        lambda: _Datagrams(wake), local_addr=path, family=socket.AF_UNIX
    )
    try:
        os.chmod(path, 0o600)
        await stop.wait()
    finally:
        transport.close()
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)

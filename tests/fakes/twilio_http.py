"""The HTTP plumbing of the fake Twilio: a threaded loopback server that records what it is sent."""

from __future__ import annotations

import base64
import binascii
import contextlib
import json
import secrets
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

from tests.fakes.twilio_wire import TwilioError, new_sid


@dataclass
class RecordedRequest:
    method: str
    path: str
    form: dict[str, str]
    headers: dict[str, str]
    received_at: float
    status: int | None = None  # None until answered; stays None when the fake never answers


@dataclass(frozen=True)
class Reply:
    status: int
    body: dict[str, object]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the real API does
    timeout = 60  # an idle pooled connection must not hold a thread for ever
    disable_nagle_algorithm = True  # else headers and body meet delayed ACK: 40 ms a request
    server: LocalServer

    def do_GET(self) -> None:
        self.server.serve(self)

    def do_POST(self) -> None:
        self.server.serve(self)

    def log_message(self, format: str, *args: Any) -> None:
        pass


class LocalServer(ThreadingHTTPServer):
    daemon_threads = False  # so server_close() joins every handler thread

    def __init__(self, serve: Callable[[Handler], None]) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.serve = serve
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._open_lock:
            self._open.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._open_lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def disconnect_all(self) -> None:
        # Wakes handlers blocked reading an idle keep-alive connection.
        with self._open_lock:
            open_now = list(self._open)
        for connection in open_now:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)


def error_reply(error: TwilioError, **extra: object) -> Reply:
    return Reply(error.status, {**error.body(), **extra})


def send_reply(handler: Handler, reply: Reply) -> None:
    data = json.dumps(reply.body).encode("utf-8")
    try:
        handler.send_response(reply.status)
        handler.send_header("Content-Type", "application/json; charset=utf-8")
        handler.send_header("Content-Length", str(len(data)))
        handler.send_header("Twilio-Request-Id", new_sid("RQ"))
        if reply.status == 401:
            handler.send_header("WWW-Authenticate", 'Basic realm="Twilio API"')
        handler.end_headers()
        handler.wfile.write(data)
    except OSError:
        # The client gave up (its own timeout) before a slow answer came.
        handler.close_connection = True


def read_request(handler: Handler) -> tuple[RecordedRequest, dict[str, list[str]]]:
    length = int(handler.headers.get("Content-Length") or 0)
    raw = handler.rfile.read(length).decode("utf-8", "replace")
    fields = parse_qs(raw, keep_blank_values=True)
    request = RecordedRequest(
        method=handler.command,
        path=handler.path,
        form={name: values[0] for name, values in fields.items()},
        headers=dict(handler.headers.items()),
        received_at=time.time(),
    )
    return request, fields


def basic_auth_matches(header: str | None, username: str, password: str) -> bool:
    scheme, _, encoded = (header or "").partition(" ")
    try:
        decoded = base64.b64decode(encoded, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return False
    return scheme.lower() == "basic" and secrets.compare_digest(decoded, f"{username}:{password}")

"""Big bodies are refused with 413 while they arrive, before the server has read them."""

from __future__ import annotations

import asyncio
import select
import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
from pydantic import SecretStr
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from bot.config import Settings
from bot.services import build_services
from bot.web.app import create_app
from bot.web.limits import BodyLimit, MiB
from tests.live import LiveServer

HUGE = 100 * MiB
UPLOAD = "/dashboard/events/1/attendees"  # an event's attendee list: MAX_UPLOAD_MB, here 2
PREAMBLES = {
    "/dashboard/login": b'--xyz\r\nContent-Disposition: form-data; name="email"\r\n\r\n',
    UPLOAD: b'--xyz\r\nContent-Disposition: form-data; name="attendees"; filename="came.csv"\r\n'
    b"Content-Type: text/csv\r\n\r\nname,phone,telegram,role,language,consent\r\n",
}
CHUNK = 64 * 1024
# The kernel buffers a few MiB between the test and the server; a server that read the body
# whole before answering would have taken all 100 MiB.
READ_AT_MOST = 16 * MiB

FORM = "application/x-www-form-urlencoded"
# Each route with the headers it would be sent with, so that only the size is wrong.
ROUTES = {
    "/webhooks/twilio/sms": {"X-Twilio-Signature": "c2lnbmF0dXJl", "Content-Type": FORM},
    "/webhooks/twilio/status": {"X-Twilio-Signature": "c2lnbmF0dXJl", "Content-Type": FORM},
    "/webhooks/telegram": {
        "X-Telegram-Bot-Api-Secret-Token": "s3cret",
        "Content-Type": "application/json",
    },
    "/dashboard/login": {"Content-Type": "multipart/form-data; boundary=xyz"},
    UPLOAD: {"Content-Type": "multipart/form-data; boundary=xyz"},
}


@dataclass
class Raw:
    host: str
    port: int

    def connect(self) -> socket.socket:
        return socket.create_connection((self.host, self.port), timeout=10)


def _request_head(path: str, headers: dict[str, str]) -> bytes:
    lines = [f"POST {path} HTTP/1.1", "Host: 127.0.0.1"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def _status(reply: bytes) -> int:
    assert reply.startswith(b"HTTP/1.1 "), reply[:100]
    return int(reply.split(b" ", 2)[1])


def _read_reply(sock: socket.socket) -> bytes:
    reply = b""
    while b"\r\n\r\n" not in reply:
        part = sock.recv(65536)
        if not part:
            break
        reply += part
    return reply


def _stream_until_answered(
    sock: socket.socket, total: int, preamble: bytes = b""
) -> tuple[bytes, int]:
    """Send up to `total` bytes of chunked body, stopping once the server answers."""
    chunk = f"{CHUNK:x}\r\n".encode() + b"a" * CHUNK + b"\r\n"
    if preamble:
        sock.sendall(f"{len(preamble):x}\r\n".encode() + preamble + b"\r\n")
    sent = 0
    sock.setblocking(False)
    try:
        while sent < total:
            readable, writable, _ = select.select([sock], [sock], [], 10)
            if readable:
                break
            if not writable:
                raise AssertionError("the server neither read nor answered for 10 s")
            try:
                sent += sock.send(chunk)
            except (BrokenPipeError, ConnectionResetError):
                break
    finally:
        sock.setblocking(True)
    return _read_reply(sock), sent


@pytest.fixture
def raw(database_url: str) -> Iterator[Raw]:
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=database_url,
        twilio_auth_token=SecretStr("twilio-token"),
        telegram_webhook_secret=SecretStr("s3cret"),
        session_secret=SecretStr("test-session-secret-0123456789abcdefghijklmnop"),
        max_upload_mb=2,
    )
    services = build_services(settings, senders={})
    with LiveServer(create_app(services, run_workers=False)) as server:
        host, port = server.base_url.removeprefix("http://").split(":")
        yield Raw(host, int(port))
    asyncio.run(services.aclose())
    services.close()


@pytest.mark.parametrize("path", ROUTES)
def test_a_declared_100_mb_body_is_refused_before_any_of_it_is_sent(raw: Raw, path: str) -> None:
    with raw.connect() as sock:
        started = time.monotonic()
        sock.sendall(_request_head(path, {**ROUTES[path], "Content-Length": str(HUGE)}))
        reply = _read_reply(sock)
    assert _status(reply) == 413
    assert time.monotonic() - started < 5


@pytest.mark.parametrize("path", ROUTES)
def test_a_streamed_100_mb_body_is_cut_off_soon_after_the_limit(raw: Raw, path: str) -> None:
    with raw.connect() as sock:
        sock.sendall(_request_head(path, {**ROUTES[path], "Transfer-Encoding": "chunked"}))
        # A well-formed start, so that it is the size, not the parser, that stops it.
        reply, sent = _stream_until_answered(sock, HUGE, PREAMBLES.get(path, b""))
    assert _status(reply) == 413
    assert sent < READ_AT_MOST
    assert b"x-content-type-options: nosniff" in reply.lower()


def test_a_body_within_the_limit_still_reaches_the_route(raw: Raw) -> None:
    response = httpx.post(
        f"http://{raw.host}:{raw.port}/webhooks/telegram",
        content=b'{"update_id": 1}' + b" " * (60 * 1024),
        headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret"},
    )
    assert response.status_code == 200


def _upload_app(limit_mb: int) -> Starlette:
    async def echo(request: Request) -> PlainTextResponse:
        return PlainTextResponse(str(len(await request.body())))

    return Starlette(
        routes=[Route("/upload", echo, methods=["POST"]), Route("/form", echo, methods=["POST"])],
        middleware=[
            Middleware(BodyLimit, default=64 * 1024, routes={"/upload": limit_mb * MiB}),
        ],
    )


def test_uploads_get_their_own_configured_limit() -> None:
    with LiveServer(_upload_app(limit_mb=2)) as server, httpx.Client() as client:
        size = int(1.5 * MiB)
        assert client.post(server.url("/upload"), content=b"x" * size).text == str(size)
        assert client.post(server.url("/form"), content=b"x" * size).status_code == 413
        too_big = client.post(server.url("/upload"), content=b"x" * (2 * MiB + 1))
        assert too_big.status_code == 413
        # Streamed without a declared length, it is counted as it comes.
        chunks = (b"x" * CHUNK for _ in range(40))
        assert client.post(server.url("/upload"), content=chunks).status_code == 413


def test_a_route_with_an_id_in_its_path_gets_its_own_limit_and_nothing_else_does() -> None:
    limits = BodyLimit(
        _upload_app(1), default=64 * 1024, routes={"/dashboard/events/{id}/attendees": 5 * MiB}
    )
    assert limits.limit_for("/dashboard/events/12/attendees") == 5 * MiB
    for path in (
        "/dashboard/events/12",
        "/dashboard/events/12/edit",
        "/dashboard/events/12/attendeesx",
        "/dashboard/events//attendees",
        "/dashboard/events/1/2/attendees",
    ):
        assert limits.limit_for(path) == 64 * 1024, path

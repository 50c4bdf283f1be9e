"""Request body limits, enforced while the body arrives: a big body is refused with 413 before it
is read into memory or spooled to disk, whatever the route does with it afterwards."""

from __future__ import annotations

import re
from collections.abc import Mapping

from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Message, Receive, Scope, Send

KiB = 1024
MiB = 1024 * KiB
# Twilio's webhooks and the dashboard's forms are a few KiB at most.
SMALL = 64 * KiB

_TOO_LARGE = b"Request body too large"


def _prefix(path: str) -> re.Pattern[str]:
    """A path prefix as a pattern: `{name}` stands for any one segment (an id in the path)."""
    pieces = re.split(r"\{[^}/]*\}", path.rstrip("/"))
    return re.compile("[^/]+".join(re.escape(piece) for piece in pieces) + "(?:/.*)?")


class BodyLimit:
    """At most `default` bytes of body per request, or the limit of the longest path prefix in
    `routes` that matches (`/events/{id}/attendees`: `{id}` is any one segment). A Content-Length
    over the limit is refused before any body is read; a body sent without one (chunked) is
    counted and refused as soon as it passes the limit."""

    def __init__(self, app: ASGIApp, *, default: int, routes: Mapping[str, int] | None = None):
        self.app = app
        self.default = default
        ordered = sorted((routes or {}).items(), key=lambda item: -len(item[0]))
        self.routes = [(_prefix(path), limit) for path, limit in ordered]

    def limit_for(self, path: str) -> int:
        for prefix, limit in self.routes:
            if prefix.fullmatch(path):
                return limit
        return self.default

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope["path"])
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await _too_large(send)
            return
        received = 0
        started = answered = False

        async def counted() -> Message:
            nonlocal received, answered
            if answered:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    # Answer now, and tell the route the client has gone so that it stops
                    # reading: routes that swallow errors (a webhook's signature check) cannot
                    # turn this into their own answer.
                    if not started:
                        await _too_large(send)
                    answered = True
                    return {"type": "http.disconnect"}
            return message

        async def guarded(message: Message) -> None:
            nonlocal started
            if answered:
                return  # the 413 has gone; whatever the route says after it is dropped
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted, guarded)
        except ClientDisconnect:
            if not answered:
                raise


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None  # the server refuses such a request before it gets here
    return None


async def _too_large(send: Send) -> None:
    # Connection: close, so that the server stops reading the rest of the body.
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(_TOO_LARGE)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": _TOO_LARGE})

"""Security headers on every response: pages, errors, webhooks, the health check, static files."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# No scripts at all; inline SVG charts need no style attributes either.
HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
}
# A year; not includeSubDomains, which would bind the council's other sites too.
HSTS = "max-age=31536000"


def security_headers(public_base_url: str) -> dict[str, str]:
    """HSTS only where the service is reached over https: over http a browser ignores it."""
    if public_base_url.lower().startswith("https://"):
        return {**HEADERS, "Strict-Transport-Security": HSTS}
    return dict(HEADERS)


class SecurityHeaders:
    """Adds `headers` to every response that does not set them itself."""

    def __init__(self, app: ASGIApp, *, headers: dict[str, str]) -> None:
        self.app = app
        self.headers = headers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in self.headers.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, with_headers)


def server_error_handler(
    headers: dict[str, str],
) -> Callable[[Request, Exception], Awaitable[Response]]:
    """The 500 page. Starlette sends it from outside every middleware, so it brings its own
    headers; the traceback is logged by the server, never shown."""

    async def server_error(request: Request, exc: Exception) -> Response:
        return PlainTextResponse("Internal Server Error", status_code=500, headers=headers)

    return server_error

"""The Bot API wire format as the fake speaks it: error bodies, recorded calls, request decoding."""

from __future__ import annotations

import email.parser
import email.policy
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

Json = dict[str, Any]
Handler = Callable[[str, Json], tuple[int, Json]]

MAX_TEXT_LENGTH = 4096
MAX_CALLBACK_DATA_BYTES = 64
MAX_CALLBACK_ANSWER_LENGTH = 200
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
_SECRET_ALPHABET = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")

# ptb sends every non-string parameter JSON-encoded in a form field; these stay plain strings even
# when they happen to look like JSON ("123", "true").
_STRING_FIELDS = frozenset(
    {"text", "caption", "url", "secret_token", "callback_query_id", "parse_mode",
     "inline_message_id", "ip_address", "business_connection_id", "message_effect_id"}
)  # fmt: skip


@dataclass(frozen=True)
class ApiError:
    status: int
    description: str
    retry_after: int | None = None

    @staticmethod
    def too_many_requests(retry_after: int = 1) -> ApiError:
        return ApiError(429, f"Too Many Requests: retry after {retry_after}", retry_after)

    @staticmethod
    def forbidden_blocked() -> ApiError:
        return ApiError(403, "Forbidden: bot was blocked by the user")

    @staticmethod
    def bad_request(description: str) -> ApiError:
        return ApiError(400, f"Bad Request: {description}")

    @staticmethod
    def server_error(status: int = 502) -> ApiError:
        return ApiError(status, HTTPStatus(status).phrase)

    def body(self) -> Json:
        body: Json = {"ok": False, "error_code": self.status, "description": self.description}
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


@dataclass(frozen=True)
class ApiCall:
    method: str
    params: Json
    status: int
    result: Any = None

    @property
    def accepted(self) -> bool:
        return self.status == HTTPStatus.OK

    @property
    def chat_id(self) -> Any:
        return self.params.get("chat_id")

    @property
    def text(self) -> str | None:
        text = self.params.get("text")
        return text if isinstance(text, str) else None


class Rejected(Exception):
    def __init__(self, error: ApiError) -> None:
        super().__init__(error.description)
        self.error = error


def reject(description: str) -> Rejected:
    return Rejected(ApiError.bad_request(description))


def check_secret(secret: object) -> None:
    if secret is None:
        return
    if not isinstance(secret, str) or not 1 <= len(secret) <= 256:
        raise reject("secret token must be 1-256 characters")
    if not set(secret) <= _SECRET_ALPHABET:
        raise reject("secret token contains unallowed characters")


def check_markup(markup: object) -> None:
    if markup is None:
        return
    if not isinstance(markup, dict):
        raise reject("can't parse reply keyboard markup JSON object")
    for row in markup.get("inline_keyboard", []):
        for button in row:
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode()) <= MAX_CALLBACK_DATA_BYTES:
                raise reject("BUTTON_DATA_INVALID")


def _decode_value(name: str, value: str) -> Any:
    if name in _STRING_FIELDS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


def _decode_form(text: str) -> Json:
    return {name: _decode_value(name, value) for name, value in parse_qsl(text)}


def _decode_multipart(content_type: str, body: bytes) -> Json:
    head = f"Content-Type: {content_type}\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
    params: Json = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        if not isinstance(name, str) or not isinstance(payload, bytes):
            continue
        is_file = part.get_filename() is not None
        params[name] = payload if is_file else _decode_value(name, payload.decode())
    return params


def decode_params(content_type: str, query: str, body: bytes) -> Json:
    """Parameters as Telegram accepts them: query string, JSON, urlencoded or multipart body."""
    params = _decode_form(query)
    media_type = content_type.split(";", 1)[0].strip().lower()
    if media_type == "application/json" and body:
        decoded = json.loads(body)
        if not isinstance(decoded, dict):
            raise ValueError("a JSON request must be an object")
        params.update(decoded)
    elif media_type == "application/x-www-form-urlencoded":
        params.update(_decode_form(body.decode()))
    elif media_type == "multipart/form-data":
        params.update(_decode_multipart(content_type, body))
    return params


class ApiServer(ThreadingHTTPServer):
    # Non-daemon request threads, so server_close() joins them and no thread outlives the fake.
    daemon_threads = False

    def __init__(self, api: Handler) -> None:
        self.api = api
        super().__init__(("127.0.0.1", 0), _RequestHandler)

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that hung up mid long-poll is not a bug in the fake; anything else is.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class _RequestHandler(BaseHTTPRequestHandler):
    server: ApiServer
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def _serve(self) -> None:
        url = urlsplit(self.path)
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        try:
            params = decode_params(self.headers.get("Content-Type", ""), url.query, body)
        except ValueError:
            status, answer = 400, ApiError.bad_request("can't parse request").body()
        else:
            status, answer = self.server.api(url.path, params)
        payload = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        # One request per connection: a kept-alive socket would hold its thread open past stop().
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(payload)
        self.close_connection = True

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep test output clean

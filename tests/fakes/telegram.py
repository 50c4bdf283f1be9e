"""A fake Telegram Bot API server on 127.0.0.1 that the real python-telegram-bot can talk to.

Pass ``base_url`` (and ``base_file_url``) to ``telegram.Bot``; the fake answers in the real wire format
(``{"ok": true, "result": ...}`` or ``{"ok": false, "error_code": ..., "description": ...}``) and records
every call. Update builders produce the JSON shapes Telegram sends, so they can be pushed to
``getUpdates`` or POSTed to our webhook.
"""

from __future__ import annotations

import asyncio
import email.parser
import email.policy
import ipaddress
import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Self
from urllib.parse import parse_qsl, urlsplit

import httpx

# 2026-03-14 18:00 UTC: fixed so recorded conversations are identical on every run.
FIXED_DATE = 1773511200
MAX_TEXT_LENGTH = 4096
MAX_CALLBACK_DATA_BYTES = 64
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"

# ptb sends every non-string parameter JSON-encoded in a form field; these stay plain strings even
# when they happen to look like JSON ("123", "true").
_STRING_FIELDS = frozenset(
    {"text", "caption", "url", "secret_token", "callback_query_id", "parse_mode",
     "inline_message_id", "ip_address", "business_connection_id", "message_effect_id"}
)  # fmt: skip

Json = dict[str, Any]


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


class _Rejected(Exception):
    def __init__(self, error: ApiError) -> None:
        super().__init__(error.description)
        self.error = error


def _reject(description: str) -> _Rejected:
    return _Rejected(ApiError.bad_request(description))


class FakeTelegram:
    def __init__(
        self, token: str = "123456:TEST-token", bot_username: str = "sendvoice_test_bot"
    ) -> None:
        self.token = token
        self.bot_username = bot_username
        self.bot_id = int(token.split(":", 1)[0])
        self.calls: list[ApiCall] = []
        self.webhook: Json | None = None
        self._cond = threading.Condition()
        self._failures: dict[str, list[ApiError]] = {}
        self._blocked: set[int] = set()
        self._updates: list[Json] = []
        self._next_update_id = 1
        self._message_ids: dict[int, int] = {}
        self._bot_messages: dict[tuple[int, int], Json] = {}
        self._chats: dict[int, Json] = {}
        self._callback_ids: set[str] = set()
        self._stopping = False
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._methods: dict[str, Callable[[Json], Any]] = {
            "getMe": self._get_me,
            "setWebhook": self._set_webhook,
            "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "sendMessage": self._send_message,
            "answerCallbackQuery": self._answer_callback_query,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "getUpdates": self._get_updates,
        }

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self) -> None:
        assert self._server is None, "already started"
        self._stopping = False
        self._server = _Server(self)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="fake-telegram"
        )
        self._thread.start()

    def stop(self) -> None:
        if self._server is None or self._thread is None:
            return
        with self._cond:
            self._stopping = True
            self._cond.notify_all()  # wakes long-polling getUpdates so its thread can finish
        self._server.shutdown()
        self._server.server_close()  # joins the request threads
        self._thread.join()
        self._server = None
        self._thread = None

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def origin(self) -> str:
        assert self._server is not None, "start() the fake first"
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def base_url(self) -> str:
        return f"{self.origin}/bot"

    @property
    def base_file_url(self) -> str:
        return f"{self.origin}/file/bot"

    # -- test controls and assertions --------------------------------------------------------

    def sent(self, chat_id: int | None = None) -> list[ApiCall]:
        return [
            call
            for call in self.calls_of("sendMessage")
            if chat_id is None or call.chat_id == chat_id
        ]

    def calls_of(self, method: str) -> list[ApiCall]:
        with self._cond:
            return [call for call in self.calls if call.method == method and call.accepted]

    def fail_next(self, method: str, *errors: ApiError) -> None:
        with self._cond:
            self._failures.setdefault(method, []).extend(errors)

    def block(self, chat_id: int) -> None:
        with self._cond:
            self._blocked.add(chat_id)

    def unblock(self, chat_id: int) -> None:
        with self._cond:
            self._blocked.discard(chat_id)

    def push_update(self, update: Json) -> None:
        with self._cond:
            self._updates.append(update)
            self._cond.notify_all()

    def wait_for(self, count: int, timeout: float = 5.0) -> list[ApiCall]:
        deadline = time.monotonic() + timeout
        with self._cond:
            while len(sent := self.sent()) < count:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(_too_few(count, sent, timeout))
                self._cond.wait(remaining)
            return sent

    async def wait_for_async(self, count: int, timeout: float = 5.0) -> list[ApiCall]:
        # Polls rather than waiting in a worker thread, so no executor thread outlives the test.
        deadline = time.monotonic() + timeout
        while len(sent := self.sent()) < count:
            if time.monotonic() >= deadline:
                raise AssertionError(_too_few(count, sent, timeout))
            await asyncio.sleep(0.01)
        return sent

    # -- update builders ---------------------------------------------------------------------

    def text_update(
        self,
        chat_id: int,
        text: str,
        *,
        first_name: str = "Alex",
        update_id: int | None = None,
        chat_type: str = "private",
    ) -> Json:
        if chat_type == "private":
            chat: Json = {"id": chat_id, "type": "private", "first_name": first_name}
            sender = _user(chat_id, first_name)
        else:
            chat = {"id": chat_id, "type": chat_type, "title": "Test group"}
            sender = _user(USER_IN_GROUP, first_name)
        return self._update("message", self._user_message(chat, sender, text=text), update_id)

    def command_update(self, chat_id: int, command: str, payload: str | None = None) -> Json:
        command = "/" + command.lstrip("/")
        update = self.text_update(chat_id, command if payload is None else f"{command} {payload}")
        entity = {"type": "bot_command", "offset": 0, "length": len(command)}
        update["message"]["entities"] = [entity]
        return update

    def callback_update(self, chat_id: int, data: str, *, message_id: int | None = None) -> Json:
        with self._cond:
            if message_id is None:
                message_id = max(
                    (mid for cid, mid in self._bot_messages if cid == chat_id), default=None
                )
            message = self._bot_messages.get((chat_id, message_id or 0))
            if message is None:
                # Buttons are pressed on a message the bot sent; invent it so edits can find it.
                message = self._bot_message(chat_id, "…", None, message_id)
            callback_id = f"{4_000_000_000_000 + self._next_update_id}"
            self._callback_ids.add(callback_id)
            query = {
                "id": callback_id,
                "from": _user(chat_id, self._chat(chat_id).get("first_name", "Alex")),
                "message": message,
                "chat_instance": f"-{7_000_000_000_000 + chat_id}",
                "data": data,
            }
        return self._update("callback_query", query)

    def sticker_update(self, chat_id: int) -> Json:
        sticker = {
            "file_id": "CAACAgIAAxkBAAIBsticker",
            "file_unique_id": "AgADsticker",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": "👍",
        }
        return self._private_update(chat_id, sticker=sticker)

    def photo_update(self, chat_id: int) -> Json:
        photo = [
            {"file_id": f"AgACAgQAAxkBAAIBphoto{side}", "file_unique_id": f"AQADphoto{side}",
             "width": side, "height": side * 3 // 4, "file_size": side * 40}
            for side in (90, 320, 1280)
        ]  # fmt: skip
        return self._private_update(chat_id, photo=photo)

    def voice_update(self, chat_id: int) -> Json:
        voice = {
            "file_id": "AwACAgQAAxkBAAIBvoice",
            "file_unique_id": "AgADvoice",
            "duration": 4,
            "mime_type": "audio/ogg",
            "file_size": 13_000,
        }
        return self._private_update(chat_id, voice=voice)

    def edited_message_update(self, chat_id: int, text: str) -> Json:
        update = self._private_update(chat_id, text=text)
        message = update.pop("message")
        message["message_id"] = max(1, message["message_id"] - 1)  # edits an earlier message
        message["edit_date"] = FIXED_DATE + 60
        update["edited_message"] = message
        return update

    def channel_post_update(self, chat_id: int, text: str) -> Json:
        chat = {"id": chat_id, "type": "channel", "title": "SEND news"}
        with self._cond:
            post = {
                "message_id": self._next_message_id(chat_id),
                "sender_chat": chat,
                "chat": chat,
                "date": FIXED_DATE,
                "text": text,
            }
        return self._update("channel_post", post)

    def group_message_update(self, chat_id: int, text: str) -> Json:
        return self.text_update(chat_id, text, chat_type="group")

    def _private_update(self, chat_id: int, **content: Any) -> Json:
        first_name = self._chat(chat_id).get("first_name", "Alex")
        chat = {"id": chat_id, "type": "private", "first_name": first_name}
        return self._update(
            "message", self._user_message(chat, _user(chat_id, first_name), **content)
        )

    def _user_message(self, chat: Json, sender: Json, **content: Any) -> Json:
        with self._cond:
            self._chats[chat["id"]] = chat
            message_id = self._next_message_id(chat["id"])
        return {
            "message_id": message_id,
            "from": sender,
            "chat": chat,
            "date": FIXED_DATE,
            **content,
        }

    def _update(self, kind: str, payload: Json, update_id: int | None = None) -> Json:
        with self._cond:
            if update_id is None:
                update_id = self._next_update_id
            self._next_update_id = max(self._next_update_id, update_id + 1)
        return {"update_id": update_id, kind: payload}

    # -- webhook delivery --------------------------------------------------------------------

    async def deliver_webhook(self, update: Json, url: str, secret: str | None) -> int:
        _assert_loopback(url)
        async with httpx.AsyncClient(trust_env=False) as client:
            response = await client.post(url, json=update, headers=_webhook_headers(secret))
        return response.status_code

    def deliver_webhook_sync(self, update: Json, url: str, secret: str | None) -> int:
        _assert_loopback(url)
        with httpx.Client(trust_env=False) as client:
            response = client.post(url, json=update, headers=_webhook_headers(secret))
        return response.status_code

    # -- request handling (server threads) ---------------------------------------------------

    def handle(self, path: str, params: Json) -> tuple[int, Json]:
        parts = path.split("/")
        if len(parts) != 3 or parts[0] != "" or not parts[1].startswith("bot"):
            return 404, {"ok": False, "error_code": 404, "description": "Not Found"}
        token, name = parts[1].removeprefix("bot"), parts[2]
        # Telegram treats method names case-insensitively.
        method = next((m for m in self._methods if m.lower() == name.lower()), name)
        with self._cond:
            status, body = self._answer(token, method, params)
            result = body.get("result")
            self.calls.append(ApiCall(method, params, status, result))
            self._cond.notify_all()
        return status, body

    def _answer(self, token: str, method: str, params: Json) -> tuple[int, Json]:
        if token != self.token:
            return 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
        if method not in self._methods:
            error = ApiError(404, "Not Found: method not found")
            return error.status, error.body()
        if queued := self._failures.get(method):
            error = queued.pop(0)
            return error.status, error.body()
        try:
            return 200, {"ok": True, "result": self._methods[method](params)}
        except _Rejected as rejected:
            return rejected.error.status, rejected.error.body()

    def _get_me(self, params: Json) -> Json:
        return {
            **self._bot_user(),
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    def _set_webhook(self, params: Json) -> bool:
        if not params.get("url"):
            raise _reject("bad webhook: URL must be provided")
        secret = params.get("secret_token")
        if secret is not None and not _valid_secret(secret):
            raise _reject("secret token contains unallowed characters")
        if params.get("drop_pending_updates"):
            self._updates.clear()
        self.webhook = dict(params)
        return True

    def _delete_webhook(self, params: Json) -> bool:
        if params.get("drop_pending_updates"):
            self._updates.clear()
        self.webhook = None
        return True

    def _get_webhook_info(self, params: Json) -> Json:
        info: Json = {
            "url": self.webhook["url"] if self.webhook else "",
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }
        if self.webhook and "allowed_updates" in self.webhook:
            info["allowed_updates"] = self.webhook["allowed_updates"]
        return info

    def _send_message(self, params: Json) -> Json:
        chat_id = self._require_chat(params)
        text = params.get("text")
        if not isinstance(text, str) or not text.strip():
            raise _reject("message text is empty")
        if len(text) > MAX_TEXT_LENGTH:
            raise _reject("message is too long")
        markup = params.get("reply_markup")
        _check_markup(markup)
        inline = markup if isinstance(markup, dict) and "inline_keyboard" in markup else None
        return self._bot_message(chat_id, text, inline)

    def _answer_callback_query(self, params: Json) -> bool:
        query_id = params.get("callback_query_id")
        if not query_id:
            raise _reject('parameter "callback_query_id" is required')
        if str(query_id) not in self._callback_ids:
            raise _reject("query is too old and response timeout expired or query ID is invalid")
        if len(str(params.get("text", ""))) > 200:
            raise _reject("MESSAGE_TOO_LONG")
        return True

    def _edit_message_reply_markup(self, params: Json) -> Json | bool:
        if params.get("inline_message_id"):
            return True
        chat_id = self._require_chat(params)
        message = self._bot_messages.get((chat_id, params.get("message_id") or 0))
        if message is None:
            raise _reject("message to edit not found")
        markup = params.get("reply_markup")
        _check_markup(markup)
        if markup == message.get("reply_markup") or (not markup and "reply_markup" not in message):
            raise _reject(
                "message is not modified: specified new message content and reply markup are "
                "exactly the same as a current content and reply markup of the message"
            )
        message.pop("reply_markup", None)
        if markup and markup.get("inline_keyboard"):
            message["reply_markup"] = markup
        message["edit_date"] = FIXED_DATE + 60
        return message

    def _get_updates(self, params: Json) -> list[Json]:
        if self.webhook is not None:
            raise _Rejected(
                ApiError(
                    409,
                    "Conflict: can't use getUpdates method while webhook is active; "
                    "use deleteWebhook to delete the webhook first",
                )
            )
        offset = int(params.get("offset") or 0)
        limit = min(max(int(params.get("limit") or 100), 1), 100)
        deadline = time.monotonic() + float(params.get("timeout") or 0)
        # An offset confirms (forgets) every earlier update; a negative one keeps only the newest.
        if offset < 0:
            del self._updates[:offset]
        elif offset > 0:
            self._updates[:] = [u for u in self._updates if u["update_id"] >= offset]
        while not self._updates and not self._stopping:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            self._cond.wait(remaining)
        return [u for u in self._updates if u["update_id"] >= offset][:limit]

    # -- state helpers (caller holds the lock) -----------------------------------------------

    def _require_chat(self, params: Json) -> int:
        chat_id = params.get("chat_id")
        if chat_id is None or chat_id == "":
            raise _reject("chat_id is empty")
        if not isinstance(chat_id, int) or isinstance(chat_id, bool):
            raise _reject("chat not found")
        if chat_id in self._blocked:
            raise _Rejected(ApiError.forbidden_blocked())
        return chat_id

    def _bot_message(
        self, chat_id: int, text: str, markup: Json | None, message_id: int | None = None
    ) -> Json:
        message: Json = {
            "message_id": message_id or self._next_message_id(chat_id),
            "from": self._bot_user(),
            "chat": self._chat(chat_id),
            "date": FIXED_DATE,
            "text": text,
        }
        if markup:
            message["reply_markup"] = markup
        self._bot_messages[(chat_id, message["message_id"])] = message
        return message

    def _next_message_id(self, chat_id: int) -> int:
        # Private chats number messages from both sides in one sequence, as Telegram does.
        self._message_ids[chat_id] = self._message_ids.get(chat_id, 0) + 1
        return self._message_ids[chat_id]

    def _chat(self, chat_id: int) -> Json:
        if chat_id in self._chats:
            return self._chats[chat_id]
        if chat_id < 0:
            return {"id": chat_id, "type": "group", "title": "Test group"}
        return {"id": chat_id, "type": "private", "first_name": "Alex"}

    def _bot_user(self) -> Json:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": "SendVoice Test",
            "username": self.bot_username,
        }


USER_IN_GROUP = 424242


def _user(user_id: int, first_name: str) -> Json:
    return {"id": user_id, "is_bot": False, "first_name": first_name, "language_code": "en"}


def _valid_secret(secret: object) -> bool:
    allowed = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
    return isinstance(secret, str) and 1 <= len(secret) <= 256 and set(secret) <= allowed


def _check_markup(markup: object) -> None:
    if markup is None:
        return
    if not isinstance(markup, dict):
        raise _reject("can't parse reply keyboard markup JSON object")
    for row in markup.get("inline_keyboard", []):
        for button in row:
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode()) <= MAX_CALLBACK_DATA_BYTES:
                raise _reject("BUTTON_DATA_INVALID")


def _too_few(count: int, sent: list[ApiCall], timeout: float) -> str:
    texts = [(call.chat_id, call.text) for call in sent]
    return f"expected {count} sendMessage calls within {timeout}s, got {len(sent)}: {texts}"


def _webhook_headers(secret: str | None) -> dict[str, str]:
    return {SECRET_HEADER: secret} if secret is not None else {}


def _assert_loopback(url: str) -> None:
    host = urlsplit(url).hostname or ""
    loopback = host == "localhost"
    if not loopback:
        try:
            loopback = ipaddress.ip_address(host).is_loopback
        except ValueError:
            loopback = False
    assert loopback, f"the fake delivers webhooks to loopback addresses only, not {url}"


# -- wire decoding -------------------------------------------------------------------------


def _decode_value(name: str, value: str) -> Any:
    if name in _STRING_FIELDS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


def _decode_form(pairs: Iterator[tuple[str, str]] | list[tuple[str, str]]) -> Json:
    return {name: _decode_value(name, value) for name, value in pairs}


def _decode_multipart(content_type: str, body: bytes) -> Json:
    head = f"Content-Type: {content_type}\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
    params: Json = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        if not isinstance(name, str) or not isinstance(payload, bytes):
            continue
        if part.get_filename() is None:
            params[name] = _decode_value(name, payload.decode())
        else:
            params[name] = payload
    return params


def decode_params(content_type: str, query: str, body: bytes) -> Json:
    params = _decode_form(parse_qsl(query, keep_blank_values=True))
    media_type = content_type.split(";", 1)[0].strip().lower()
    if media_type == "application/json" and body:
        decoded = json.loads(body)
        if isinstance(decoded, dict):
            params.update(decoded)
    elif media_type == "application/x-www-form-urlencoded":
        params.update(_decode_form(parse_qsl(body.decode(), keep_blank_values=True)))
    elif media_type == "multipart/form-data":
        params.update(_decode_multipart(content_type, body))
    return params


class _Server(ThreadingHTTPServer):
    # Non-daemon request threads, so server_close() joins them and no thread outlives stop().
    daemon_threads = False

    def __init__(self, fake: FakeTelegram) -> None:
        self.fake = fake
        super().__init__(("127.0.0.1", 0), _Handler)


class _Handler(BaseHTTPRequestHandler):
    server: _Server
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
            status, answer = self.server.fake.handle(url.path, params)
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

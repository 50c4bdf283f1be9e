"""A fake Telegram Bot API server on 127.0.0.1 that the real python-telegram-bot can talk to.

Pass ``base_url`` and ``base_file_url`` to ``telegram.Bot``. The fake answers in the real wire format,
records every call, and can be told to fail, rate-limit or refuse (blocked chat) the next calls. The
update builders (from ``TelegramChats``) give the JSON Telegram sends, to push to ``getUpdates`` or
POST to our webhook.
"""

from __future__ import annotations

import asyncio
import copy
import ipaddress
import threading
import time
from collections.abc import Callable
from types import TracebackType
from typing import Any, Self
from urllib.parse import urlsplit

import httpx

from tests.fakes.telegram_updates import EDIT_DATE, TelegramChats
from tests.fakes.telegram_wire import (
    MAX_CALLBACK_ANSWER_LENGTH,
    MAX_TEXT_LENGTH,
    SECRET_HEADER,
    ApiCall,
    ApiError,
    ApiServer,
    Json,
    Rejected,
    check_markup,
    check_secret,
    reject,
)

__all__ = ["ApiCall", "ApiError", "FakeTelegram"]

_UNAUTHORIZED = ApiError(401, "Unauthorized")
_NO_SUCH_METHOD = ApiError(404, "Not Found: method not found")
_WEBHOOK_ACTIVE = ApiError(
    409,
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first",
)


class FakeTelegram(TelegramChats):
    def __init__(
        self, token: str = "123456:TEST-token", bot_username: str = "sendvoice_test_bot"
    ) -> None:
        super().__init__(int(token.split(":", 1)[0]), bot_username)
        self.token = token
        self.calls: list[ApiCall] = []
        self.webhook: Json | None = None
        self._failures: dict[str, list[ApiError]] = {}
        self._blocked: set[int] = set()
        self._updates: list[Json] = []
        self._stopping = False
        self._server: ApiServer | None = None
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

    def start(self) -> None:
        assert self._server is None, "already started"
        self._stopping = False
        self._server = ApiServer(self._handle)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.01}, name="fake-telegram"
        )
        self._thread.start()

    def stop(self) -> None:
        if self._server is None or self._thread is None:
            return
        with self._cond:
            self._stopping = True
            self._cond.notify_all()  # a long-polling getUpdates answers now
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()
        self._server = self._thread = None

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
        return f"http://127.0.0.1:{self._server.port}"

    @property
    def base_url(self) -> str:
        return f"{self.origin}/bot"

    @property
    def base_file_url(self) -> str:
        return f"{self.origin}/file/bot"

    # -- test controls and assertions --------------------------------------------------------

    def sent(self, chat_id: int | None = None) -> list[ApiCall]:
        sent = self.calls_of("sendMessage")
        return [call for call in sent if chat_id is None or call.chat_id == chat_id]

    def calls_of(self, method: str) -> list[ApiCall]:
        """Accepted calls of one method, in order."""
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

    # -- the Bot API (server threads) --------------------------------------------------------

    def _handle(self, path: str, params: Json) -> tuple[int, Json]:
        _, _, rest = path.partition("/bot")
        token, _, name = rest.partition("/")
        if not path.startswith("/bot") or not name or "/" in name:
            return 404, {"ok": False, "error_code": 404, "description": "Not Found"}
        # Telegram treats method names case-insensitively.
        method = next((known for known in self._methods if known.lower() == name.lower()), name)
        with self._cond:
            try:
                result = self._call(token, method, params)
            except Rejected as rejected:
                status, body = rejected.error.status, rejected.error.body()
            else:
                status, body = 200, {"ok": True, "result": result}
            self.calls.append(ApiCall(method, params, status, body.get("result")))
            self._cond.notify_all()
        return status, body

    def _call(self, token: str, method: str, params: Json) -> Any:
        if token != self.token:
            raise Rejected(_UNAUTHORIZED)
        if method not in self._methods:
            raise Rejected(_NO_SUCH_METHOD)
        if queued := self._failures.get(method):
            raise Rejected(queued.pop(0))
        return self._methods[method](params)

    def _get_me(self, params: Json) -> Json:
        return {
            **self.bot_user(),
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    def _set_webhook(self, params: Json) -> bool:
        if not params.get("url"):
            raise reject("bad webhook: URL must be provided")
        check_secret(params.get("secret_token"))
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
        webhook = self.webhook or {}
        info: Json = {
            "url": webhook.get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }
        if "allowed_updates" in webhook:
            info["allowed_updates"] = webhook["allowed_updates"]
        return info

    def _send_message(self, params: Json) -> Json:
        chat_id = self._chat_id(params)
        text = params.get("text")
        if not isinstance(text, str) or not text.strip():
            raise reject("message text is empty")
        if len(text) > MAX_TEXT_LENGTH:
            raise reject("message is too long")
        markup = params.get("reply_markup")
        check_markup(markup)
        # Telegram echoes inline keyboards only; reply keyboards live on the client.
        inline = markup if isinstance(markup, dict) and "inline_keyboard" in markup else None
        return self.bot_message(chat_id, text, inline)

    def _answer_callback_query(self, params: Json) -> bool:
        query_id = params.get("callback_query_id")
        if not query_id:
            raise reject('parameter "callback_query_id" is required')
        if str(query_id) not in self._callback_ids:
            raise reject("query is too old and response timeout expired or query ID is invalid")
        if len(str(params.get("text", ""))) > MAX_CALLBACK_ANSWER_LENGTH:
            raise reject("MESSAGE_TOO_LONG")
        return True

    def _edit_message_reply_markup(self, params: Json) -> Json | bool:
        if params.get("inline_message_id"):
            return True
        chat_id = self._chat_id(params)
        message = self._bot_messages.get((chat_id, params.get("message_id") or 0))
        if message is None:
            raise reject("message to edit not found")
        markup = params.get("reply_markup") or None
        check_markup(markup)
        if markup == message.get("reply_markup"):
            raise reject(
                "message is not modified: specified new message content and reply markup are "
                "exactly the same as a current content and reply markup of the message"
            )
        message.pop("reply_markup", None)
        if markup:
            message["reply_markup"] = markup
        message["edit_date"] = EDIT_DATE
        return copy.deepcopy(message)

    def _get_updates(self, params: Json) -> list[Json]:
        if self.webhook is not None:
            raise Rejected(_WEBHOOK_ACTIVE)
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
        return copy.deepcopy(self._updates[:limit])

    def _chat_id(self, params: Json) -> int:
        chat_id = params.get("chat_id")
        if chat_id is None or chat_id == "":
            raise reject("chat_id is empty")
        if not isinstance(chat_id, int) or isinstance(chat_id, bool):
            raise reject("chat not found")
        if chat_id in self._blocked:
            raise Rejected(ApiError.forbidden_blocked())
        return chat_id


def _too_few(count: int, sent: list[ApiCall], timeout: float) -> str:
    texts = [(call.chat_id, call.text) for call in sent]
    return f"expected {count} sendMessage calls within {timeout}s, got {len(sent)}: {texts}"


def _webhook_headers(secret: str | None) -> dict[str, str]:
    return {SECRET_HEADER: secret} if secret is not None else {}


def _assert_loopback(url: str) -> None:
    host = urlsplit(url).hostname or ""
    try:
        loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    assert loopback, f"the fake delivers webhooks to loopback addresses only, not {url}"

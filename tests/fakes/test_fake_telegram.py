"""The fake Telegram server, driven by the real python-telegram-bot client."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, TelegramObject, Update
from telegram.constants import ChatType, MessageEntityType
from telegram.error import (
    BadRequest,
    Conflict,
    EndPointNotFound,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
)
from telegram.warnings import PTBDeprecationWarning

from tests.fakes.telegram import ApiError, FakeTelegram
from tests.fakes.telegram_wire import SECRET_HEADER

CHAT = 5550001
OTHER_CHAT = 5550002
YES_NO = InlineKeyboardMarkup(
    [
        [
            InlineKeyboardButton("Yes", callback_data="q1:yes"),
            InlineKeyboardButton("No", callback_data="q1:no"),
        ]
    ]
)


@pytest.fixture
def fake() -> Iterator[FakeTelegram]:
    with FakeTelegram() as server:
        yield server


@pytest.fixture
async def bot(fake: FakeTelegram) -> AsyncIterator[Bot]:
    async with Bot(fake.token, base_url=fake.base_url, base_file_url=fake.base_file_url) as client:
        yield client


async def test_initialize_learns_the_bot_identity_from_get_me(fake: FakeTelegram, bot: Bot) -> None:
    me = await bot.get_me()

    assert (bot.username, me.id, me.is_bot) == ("sendvoice_test_bot", 123456, True)
    assert [call.method for call in fake.calls] == ["getMe", "getMe"]


async def test_a_sent_message_is_recorded_with_its_keyboard(fake: FakeTelegram, bot: Bot) -> None:
    message = await bot.send_message(CHAT, "Was the event useful?", reply_markup=YES_NO)

    assert message.text == "Was the event useful?"
    assert message.chat.id == CHAT
    assert message.from_user is not None
    assert message.from_user.username == "sendvoice_test_bot"
    assert message.reply_markup == YES_NO
    [call] = fake.sent(CHAT)
    assert call.text == "Was the event useful?"
    assert call.params["reply_markup"] == YES_NO.to_dict()


async def test_message_ids_count_up_within_each_chat(fake: FakeTelegram, bot: Bot) -> None:
    first = await bot.send_message(CHAT, "one")
    second = await bot.send_message(CHAT, "two")
    elsewhere = await bot.send_message(OTHER_CHAT, "hello")

    assert (first.message_id, second.message_id, elsewhere.message_id) == (1, 2, 1)
    assert [call.text for call in fake.sent(CHAT)] == ["one", "two"]
    assert len(fake.sent()) == 3


async def test_rate_limit_raises_retry_after_once(
    fake: FakeTelegram, bot: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
    fake.fail_next("sendMessage", ApiError.too_many_requests(3))

    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(CHAT, "hello")
    await bot.send_message(CHAT, "hello again")

    assert caught.value.retry_after == dt.timedelta(seconds=3)
    assert [call.status for call in fake.calls if call.method == "sendMessage"] == [429, 200]
    assert [call.text for call in fake.sent()] == ["hello again"]


async def test_without_ptb_timedelta_a_rate_limit_warns_which_our_suite_makes_an_error(
    fake: FakeTelegram, bot: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    # RetryAfter reads its own retry_after while being built, so with filterwarnings=error a
    # channel that does not set PTB_TIMEDELTA sees PTBDeprecationWarning instead of RetryAfter.
    monkeypatch.delenv("PTB_TIMEDELTA", raising=False)
    fake.fail_next("sendMessage", ApiError.too_many_requests(3), ApiError.too_many_requests(3))

    with pytest.raises(PTBDeprecationWarning, match="PTB_TIMEDELTA"):
        await bot.send_message(CHAT, "hello")
    with pytest.warns(PTBDeprecationWarning), pytest.raises(RetryAfter) as caught:
        await bot.send_message(CHAT, "hello")

    with pytest.warns(PTBDeprecationWarning):
        assert caught.value.retry_after == 3


async def test_a_blocked_chat_is_forbidden_and_others_still_work(
    fake: FakeTelegram, bot: Bot
) -> None:
    fake.block(CHAT)

    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(CHAT, "hello")
    await bot.send_message(OTHER_CHAT, "hello")

    assert fake.sent(CHAT) == []
    assert [call.chat_id for call in fake.sent()] == [OTHER_CHAT]
    assert fake.calls[-2].status == 403


@pytest.mark.parametrize("status", [502, 500])
async def test_a_server_error_is_a_network_error(fake: FakeTelegram, bot: Bot, status: int) -> None:
    fake.fail_next("sendMessage", ApiError.server_error(status))

    with pytest.raises(NetworkError) as caught:
        await bot.send_message(CHAT, "hello")

    assert type(caught.value) is NetworkError  # retryable, not BadRequest or Forbidden
    assert fake.sent() == []


@pytest.mark.parametrize(
    ("text", "complaint"),
    [("", "message text is empty"), ("x" * 4097, "message is too long")],
)
async def test_bad_messages_are_refused(
    fake: FakeTelegram, bot: Bot, text: str, complaint: str
) -> None:
    with pytest.raises(BadRequest, match=rf"(?i){complaint}"):
        await bot.send_message(CHAT, text)

    assert fake.sent() == []


async def test_the_longest_allowed_message_is_accepted(fake: FakeTelegram, bot: Bot) -> None:
    await bot.send_message(CHAT, "x" * 4096)

    assert len(fake.sent()) == 1


async def test_callback_data_over_64_bytes_is_refused(fake: FakeTelegram, bot: Bot) -> None:
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Long", callback_data="é" * 33)]])

    with pytest.raises(BadRequest, match=r"(?i)button_data_invalid"):
        await bot.send_message(CHAT, "pick", reply_markup=keyboard)


async def test_a_wrong_token_is_unauthorized(fake: FakeTelegram) -> None:
    with pytest.raises(InvalidToken, match="rejected by the server"):
        async with Bot("999:wrong", base_url=fake.base_url):
            pass

    assert [(call.method, call.status) for call in fake.calls] == [("getMe", 401)]


async def test_an_unknown_method_is_not_found(fake: FakeTelegram, bot: Bot) -> None:
    with pytest.raises(EndPointNotFound):
        await bot.do_api_request("sendHologram", api_kwargs={"chat_id": CHAT})

    assert fake.calls[-1].status == 404


async def test_set_webhook_is_recorded_and_reported(fake: FakeTelegram, bot: Bot) -> None:
    url = "http://127.0.0.1:8000/webhooks/telegram"
    await bot.set_webhook(
        url, secret_token="s3cret_Token-1", allowed_updates=["message", "callback_query"]
    )
    info = await bot.get_webhook_info()

    assert fake.webhook is not None
    assert fake.webhook["url"] == url
    assert fake.webhook["secret_token"] == "s3cret_Token-1"
    assert fake.webhook["allowed_updates"] == ["message", "callback_query"]
    assert (info.url, info.allowed_updates) == (url, ("message", "callback_query"))

    await bot.delete_webhook()
    assert fake.webhook is None


async def test_a_secret_token_telegram_would_refuse_is_refused(
    fake: FakeTelegram, bot: Bot
) -> None:
    with pytest.raises(BadRequest, match=r"(?i)unallowed characters"):
        await bot.set_webhook("http://127.0.0.1:8000/hook", secret_token="has spaces!")

    assert fake.webhook is None


async def test_set_webhook_with_a_certificate_arrives_as_multipart(
    fake: FakeTelegram, bot: Bot
) -> None:
    await bot.set_webhook(
        "http://127.0.0.1:8000/hook", certificate=b"-----PEM-----", secret_token="abc"
    )

    assert fake.webhook is not None
    assert fake.webhook["certificate"] == b"-----PEM-----"
    assert fake.webhook["secret_token"] == "abc"


async def test_get_updates_returns_pushed_updates_until_confirmed(
    fake: FakeTelegram, bot: Bot
) -> None:
    for text in ["hi", "yes", "5"]:
        fake.push_update(fake.text_update(CHAT, text))

    updates = await bot.get_updates()
    again = await bot.get_updates(offset=updates[1].update_id + 1)
    confirmed = await bot.get_updates(offset=updates[-1].update_id + 1)

    assert [u.message.text for u in updates if u.message] == ["hi", "yes", "5"]
    assert [u.update_id for u in updates] == [1, 2, 3]
    assert [u.update_id for u in again] == [3]
    assert confirmed == ()


async def test_get_updates_honours_limit(fake: FakeTelegram, bot: Bot) -> None:
    for text in ["a", "b", "c"]:
        fake.push_update(fake.text_update(CHAT, text))

    updates = await bot.get_updates(limit=2)

    assert [u.update_id for u in updates] == [1, 2]


async def test_long_polling_returns_as_soon_as_an_update_arrives(
    fake: FakeTelegram, bot: Bot
) -> None:
    async def push_later() -> None:
        await asyncio.sleep(0.1)
        fake.push_update(fake.text_update(CHAT, "late"))

    started = time.monotonic()
    pusher = asyncio.create_task(push_later())
    updates = await bot.get_updates(timeout=3)
    await pusher

    assert [u.message.text for u in updates if u.message] == ["late"]
    assert time.monotonic() - started < 1.5


async def test_get_updates_while_a_webhook_is_set_conflicts(fake: FakeTelegram, bot: Bot) -> None:
    await bot.set_webhook("http://127.0.0.1:8000/hook")

    with pytest.raises(Conflict, match="webhook is active"):
        await bot.get_updates()


async def test_answer_callback_query_is_recorded(fake: FakeTelegram, bot: Bot) -> None:
    await bot.send_message(CHAT, "Was it useful?", reply_markup=YES_NO)
    fake.push_update(fake.callback_update(CHAT, "q1:yes"))
    [update] = await bot.get_updates()
    assert update.callback_query is not None

    await update.callback_query.answer("Thanks")

    [call] = fake.calls_of("answerCallbackQuery")
    assert call.params == {"callback_query_id": update.callback_query.id, "text": "Thanks"}
    with pytest.raises(BadRequest, match=r"(?i)query id is invalid"):
        await bot.answer_callback_query("not-a-real-query")


async def test_removing_a_keyboard_edits_the_sent_message(fake: FakeTelegram, bot: Bot) -> None:
    sent = await bot.send_message(CHAT, "Was it useful?", reply_markup=YES_NO)

    edited = await bot.edit_message_reply_markup(CHAT, sent.message_id, reply_markup=None)

    assert not isinstance(edited, bool)
    assert edited.reply_markup is None
    assert edited.text == "Was it useful?"
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_reply_markup(CHAT, sent.message_id, reply_markup=None)
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await bot.edit_message_reply_markup(CHAT, 999, reply_markup=YES_NO)


def _assert_all_fields_known(obj: object) -> None:
    """ptb puts fields it does not know into api_kwargs; the real Bot API shape leaves none."""
    if isinstance(obj, TelegramObject):
        assert obj.api_kwargs == {}, f"{type(obj).__name__} got unknown fields {obj.api_kwargs}"
        for cls in type(obj).__mro__:
            for name in getattr(cls, "__slots__", ()):
                _assert_all_fields_known(getattr(obj, name, None))
    elif isinstance(obj, tuple | list):
        for item in obj:
            _assert_all_fields_known(item)


def _assert_round_trips(sent: Any, parsed: Any) -> None:
    if isinstance(sent, dict):
        for key, value in sent.items():
            _assert_round_trips(value, parsed[key])
    elif isinstance(sent, list):
        assert len(sent) == len(parsed)
        for left, right in zip(sent, parsed, strict=True):
            _assert_round_trips(left, right)
    else:
        assert sent == parsed


BUILDERS: dict[str, Callable[[FakeTelegram], dict[str, Any]]] = {
    "text": lambda f: f.text_update(CHAT, "hello", first_name="Sam"),
    "command": lambda f: f.command_update(CHAT, "start", "abc"),
    "callback": lambda f: f.callback_update(CHAT, "q1:yes"),
    "sticker": lambda f: f.sticker_update(CHAT),
    "photo": lambda f: f.photo_update(CHAT),
    "voice": lambda f: f.voice_update(CHAT),
    "edited": lambda f: f.edited_message_update(CHAT, "hello again"),
    "channel_post": lambda f: f.channel_post_update(-100123, "news"),
    "group": lambda f: f.group_message_update(-4001, "hi all"),
}


@pytest.mark.parametrize("kind", BUILDERS)
def test_every_update_builder_gives_json_ptb_parses_without_leftovers(kind: str) -> None:
    raw = BUILDERS[kind](FakeTelegram())

    update = Update.de_json(json.loads(json.dumps(raw)), None)

    _assert_all_fields_known(update)
    _assert_round_trips(raw, update.to_dict())


def test_update_builders_say_what_a_person_did() -> None:
    fake = FakeTelegram()

    command = Update.de_json(fake.command_update(CHAT, "/start", "abc"), None)
    callback = Update.de_json(fake.callback_update(CHAT, "q1:no"), None)
    edited = Update.de_json(fake.edited_message_update(CHAT, "fixed typo"), None)
    group = Update.de_json(fake.group_message_update(-4001, "hi"), None)
    channel = Update.de_json(fake.channel_post_update(-100123, "news"), None)

    assert command.message is not None
    assert command.message.text == "/start abc"
    assert command.message.entities[0].type == MessageEntityType.BOT_COMMAND
    assert command.message.entities[0].length == len("/start")
    assert callback.callback_query is not None
    assert callback.callback_query.data == "q1:no"
    assert callback.callback_query.from_user.id == CHAT
    assert edited.edited_message is not None
    assert edited.edited_message.edit_date is not None
    assert edited.edited_message.message_id == command.message.message_id
    assert group.effective_chat is not None
    assert group.effective_chat.type == ChatType.GROUP
    assert channel.channel_post is not None
    assert channel.effective_user is None
    assert [u.update_id for u in (command, callback, edited, group, channel)] == [1, 2, 3, 4, 5]


def test_an_explicit_update_id_moves_the_sequence_on() -> None:
    fake = FakeTelegram()

    fixed = fake.text_update(CHAT, "a", update_id=100)
    following = fake.text_update(CHAT, "b")

    assert (fixed["update_id"], following["update_id"]) == (100, 101)


def test_wait_for_returns_once_enough_messages_are_sent(fake: FakeTelegram) -> None:
    url = f"{fake.base_url}{fake.token}/sendMessage"

    def send_later() -> None:
        time.sleep(0.05)
        httpx.post(url, json={"chat_id": CHAT, "text": "hello"}, trust_env=False)

    sender = threading.Thread(target=send_later)
    sender.start()
    [call] = fake.wait_for(1, timeout=2)
    sender.join()

    assert (call.chat_id, call.text) == (CHAT, "hello")
    with pytest.raises(AssertionError, match="expected 2 sendMessage calls"):
        fake.wait_for(2, timeout=0.05)


async def test_wait_for_async_returns_once_enough_messages_are_sent(
    fake: FakeTelegram, bot: Bot
) -> None:
    sending = asyncio.create_task(bot.send_message(CHAT, "hello"))
    [call] = await fake.wait_for_async(1, timeout=2)
    await sending

    assert call.text == "hello"
    with pytest.raises(AssertionError, match="got 1"):
        await fake.wait_for_async(2, timeout=0.05)


def test_the_api_accepts_json_get_and_any_case_method_names(fake: FakeTelegram) -> None:
    api = f"{fake.base_url}{fake.token}"
    with httpx.Client(trust_env=False) as client:
        by_json = client.post(f"{api}/sendmessage", json={"chat_id": CHAT, "text": "123"})
        by_query = client.get(f"{api}/GETME")
        missing = client.post(f"{api}/sendHologram")

    assert by_json.json()["result"]["text"] == "123"  # a digit string stays a string
    assert by_query.json()["result"]["username"] == "sendvoice_test_bot"
    assert missing.status_code == 404
    assert missing.json() == {
        "ok": False,
        "error_code": 404,
        "description": "Not Found: method not found",
    }


class _Receiver(BaseHTTPRequestHandler):
    received: list[tuple[str | None, dict[str, Any]]]

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.received.append((self.headers.get(SECRET_HEADER), json.loads(body)))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def receiver() -> Iterator[tuple[str, list[tuple[str | None, dict[str, Any]]]]]:
    received: list[tuple[str | None, dict[str, Any]]] = []
    handler = type("Receiver", (_Receiver,), {"received": received})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01})
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/webhooks/telegram", received
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


async def test_deliver_webhook_posts_the_update_with_the_secret(
    fake: FakeTelegram, receiver: tuple[str, list[tuple[str | None, dict[str, Any]]]]
) -> None:
    url, received = receiver
    update = fake.text_update(CHAT, "hello")

    status = await fake.deliver_webhook(update, url, "s3cret")
    sync_status = fake.deliver_webhook_sync(update, url, None)

    assert (status, sync_status) == (200, 200)
    assert received == [("s3cret", update), (None, update)]


async def test_webhooks_go_to_loopback_only(fake: FakeTelegram) -> None:
    update = fake.text_update(CHAT, "hello")

    with pytest.raises(AssertionError, match="loopback"):
        await fake.deliver_webhook(update, "https://example.org/hook", None)
    with pytest.raises(AssertionError, match="loopback"):
        fake.deliver_webhook_sync(update, "http://10.0.0.1/hook", None)


def test_stop_ends_a_long_poll_and_leaves_no_threads() -> None:
    before = set(threading.enumerate())
    fake = FakeTelegram()
    fake.start()
    answers: list[httpx.Response] = []
    poll_url = f"{fake.base_url}{fake.token}/getUpdates"

    def poll() -> None:
        answers.append(httpx.post(poll_url, json={"timeout": 30}, timeout=35, trust_env=False))

    poller = threading.Thread(target=poll)
    poller.start()
    time.sleep(0.1)
    started = time.monotonic()
    fake.stop()
    poller.join()

    assert time.monotonic() - started < 2
    assert answers[0].json() == {"ok": True, "result": []}
    assert set(threading.enumerate()) - before == set()

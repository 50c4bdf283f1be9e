"""Telegram updates with text no database can store, or that are not updates at all: always a 200
(Telegram redelivers anything else for ever), the text stored clean, and malformed updates dropped."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from bot.conversation.inbound import clean_text
from storage.models import Message
from tests.bot.channels.telegram.conftest import CHAT, SECRET, TelegramWorld

DEEP = 100_000


def post(tg: TelegramWorld, body: bytes) -> int:
    response = httpx.post(
        tg.server.url("/webhooks/telegram"),
        content=body,
        headers={"X-Telegram-Bot-Api-Secret-Token": SECRET, "Content-Type": "application/json"},
        timeout=30,
    )
    return response.status_code


def wire(update: dict[str, Any]) -> bytes:
    # ensure_ascii: a lone surrogate travels as "\ud800", as Telegram or a forger would send it.
    return json.dumps(update, ensure_ascii=True).encode()


def inbound_bodies(tg: TelegramWorld) -> list[str]:
    with tg.services.session_factory() as s:
        return list(
            s.scalars(select(Message.body).where(Message.direction == "in").order_by(Message.id))
        )


@pytest.mark.parametrize(
    ("text", "stored"),
    [
        ("my private words\x00", "my private words"),
        ("before \ud800 after", "before  after"),
        ("a\udfff\x00b\x07c\nd", "ab" + "c\nd"),
    ],
)
def test_text_no_database_can_store_is_stored_clean(
    tg: TelegramWorld, text: str, stored: str
) -> None:
    assert post(tg, wire(tg.fake.text_update(CHAT, text))) == 200
    assert inbound_bodies(tg) == [stored]


def test_a_caption_and_button_data_are_cleaned_too(tg: TelegramWorld) -> None:
    photo = tg.fake.text_update(CHAT, "x")
    photo["message"].pop("text")
    photo["message"]["photo"] = [{"file_id": "f", "file_unique_id": "u", "width": 1, "height": 1}]
    photo["message"]["caption"] = "look\x00 \ud83d"
    assert post(tg, wire(photo)) == 200
    assert post(tg, wire(tg.fake.callback_update(CHAT, "1:\x00yes\udc00"))) == 200
    bodies = inbound_bodies(tg)
    assert bodies[0] == "look "
    assert all("\x00" not in b and clean_text(b, 4096) == b for b in bodies)


@pytest.mark.parametrize(
    "body",
    [
        b"[" * DEEP + b"]" * DEEP,
        b'{"update_id": 7, "message": ' + b"[" * DEEP + b"]" * DEEP + b"}",
        # As deep as fits in the webhook's size limit; far deeper than any parser recurses.
        b'{"update_id": 7, "message": ' + b'{"a":' * 40_000 + b"1" + b"}" * 40_000 + b"}",
        b"not json",
        b"\xff\xfe\x00",
        b"[]",
        b'{"update_id": "7"}',
        b'{"update_id": 100000000000000000000000000000000000000000000000}',
        b'{"update_id": -1, "message": {}}',
        b'{"update_id": 1' + b"0" * 5000 + b"}",
    ],
    ids=lambda body: body[:24].decode("latin-1"),
)
def test_malformed_updates_are_acknowledged_and_nothing_is_stored(
    tg: TelegramWorld, body: bytes
) -> None:
    assert post(tg, body) == 200
    with tg.services.session_factory() as s:
        assert s.scalar(select(func.count(Message.id))) == 0


# Every character, lone surrogates and control characters included.
ANYTHING = st.text(st.characters(exclude_categories=()), min_size=1, max_size=60)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=ANYTHING)
@example(text="\x00")
@example(text="\ud800")
def test_any_text_gives_a_200_and_is_stored_clean_or_not_at_all(
    tg: TelegramWorld, text: str
) -> None:
    before = len(inbound_bodies(tg))
    assert post(tg, wire(tg.fake.text_update(CHAT, text))) == 200
    stored = inbound_bodies(tg)[before:]
    assert all(clean_text(b, 4096) == b for b in stored)

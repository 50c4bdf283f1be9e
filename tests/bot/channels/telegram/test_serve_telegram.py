"""`sendvoice serve` as deployed: a real process, Telegram webhooks in, the fake Bot API out."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.services import build_services
from storage.models import Answer, Conversation
from tests.bot.channels.telegram.conftest import CHAT, SECRET, make_event, telegram_settings
from tests.fakes.telegram import FakeTelegram
from tests.helpers import opened_engine
from tests.serve import serve


def test_serve_runs_young_person_voice_from_deep_link_to_last_answer(
    database_url: str, fake_telegram: FakeTelegram, tmp_path: Path
) -> None:
    setup = build_services(telegram_settings(database_url, fake_telegram))
    _, code = make_event(setup)
    setup.close()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "TELEGRAM_BOT_TOKEN": fake_telegram.token,
        "TELEGRAM_WEBHOOK_SECRET": SECRET,
        "TELEGRAM_API_BASE_URL": fake_telegram.origin,
        "LOG_LEVEL": "INFO",
    }
    f = fake_telegram
    with serve(env, tmp_path) as served:
        url = served.base_url + "/webhooks/telegram"

        def send(update: dict[str, object], expect: int) -> None:
            assert f.deliver_webhook_sync(update, url, SECRET) == 200
            f.wait_for(expect, timeout=10)

        def press(label: str, expect: int) -> None:
            rows = f.sent(CHAT)[-1].params["reply_markup"]["inline_keyboard"]
            data = next(b["callback_data"] for row in rows for b in row if label in b["text"])
            send(f.callback_update(CHAT, data), expect)

        send(f.command_update(CHAT, "start", code), 2)
        press("18 to 25", 4)
        press("someone helps", 5)
        press("Yes", 6)
        send(f.text_update(CHAT, "not really"), 7)
        press("A bit", 8)
        press("Don't know", 9)
        send(f.text_update(CHAT, "Nothing, it's fine"), 11)
        log = served.log
    engine = opened_engine(database_url)
    with Session(engine) as s:
        stored = {a.step_id: (a.special or a.value) for a in s.scalars(select(Answer))}
        answered_by = s.scalars(select(Conversation.answered_by)).one()
    engine.dispose()
    assert answered_by == "with_help"
    assert stored == {
        "happy_school": 3,
        "listened_to": 1,
        "who_to_talk_to": 2,
        "adult_life": "dont_know",
        "one_change": "Nothing, it's fine",
    }
    text = log.read_text()
    assert str(CHAT) not in text
    assert "Nothing, it's fine" not in text
    assert f.token not in text

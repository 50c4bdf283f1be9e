from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pydantic import SecretStr

from bot.config import Settings
from bot.services import Services, build_services
from bot.web.app import create_app
from storage import events as events_repo
from tests.fakes.telegram import FakeTelegram
from tests.helpers import wait_until
from tests.live import LiveServer

SECRET = "s3cret-token_for-tests"
CHAT = 555001


@pytest.fixture
def fake_telegram() -> Iterator[FakeTelegram]:
    with FakeTelegram() as fake:
        yield fake


def telegram_settings(database_url: str, fake: FakeTelegram, **extra: Any) -> Settings:
    values: dict[str, Any] = {
        "database_url": database_url,
        "council_name": "Testshire County Council",
        "contact_details": "call 01234 000000",
        "telegram_bot_token": SecretStr(fake.token),
        "telegram_webhook_secret": SecretStr(SECRET),
        "telegram_api_base_url": fake.origin,
        "telegram_max_per_chat_per_second": 1000.0,
        "telegram_max_per_second": 1000.0,
        **extra,
    }
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@dataclass
class TelegramWorld:
    server: LiveServer
    services: Services
    fake: FakeTelegram

    def deliver(self, update: dict[str, Any], secret: str | None = SECRET) -> int:
        return self.fake.deliver_webhook_sync(update, self.server.url("/webhooks/telegram"), secret)

    def say(self, text: str, chat: int = CHAT) -> int:
        return self.deliver(self.fake.text_update(chat, text))

    def press(self, data: str, chat: int = CHAT) -> int:
        return self.deliver(self.fake.callback_update(chat, data))

    def texts(self, chat: int = CHAT) -> list[str]:
        return [c.text or "" for c in self.fake.sent(chat)]

    def wait(self, count: int) -> list[str]:
        self.fake.wait_for(count)
        return self.texts()

    def last_buttons(self, chat: int = CHAT) -> list[dict[str, str]]:
        markup = self.fake.sent(chat)[-1].params.get("reply_markup") or {}
        return [b for row in markup.get("inline_keyboard", []) for b in row]

    def press_button(self, label_part: str, chat: int = CHAT) -> int:
        for button in self.last_buttons(chat):
            if label_part in button["text"]:
                return self.press(button["callback_data"], chat)
        raise AssertionError(f"no button with {label_part!r}: {self.last_buttons(chat)}")

    def settle(self) -> None:
        """Wait until the outbox has nothing left to send."""
        from sqlalchemy import func, select

        from storage.models import Message

        def idle() -> bool:
            with self.services.session_factory() as s:
                pending = s.scalar(
                    select(func.count(Message.id)).where(
                        Message.direction == "out", Message.status.in_(["queued", "sending"])
                    )
                )
                return pending == 0

        wait_until(idle)


def make_event(services: Services, flow_id: str = "young_person_voice") -> tuple[int, str]:
    now = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)
    with services.session_factory.begin() as s:
        event = events_repo.create(
            s,
            title="the Moving On youth forum",
            kind="focus_group",
            starts_at=now,
            ends_at=now + timedelta(hours=2),
            flow_id=flow_id,
            now=now,
        )
        return event.id, event.code


@pytest.fixture
def tg(database_url: str, fake_telegram: FakeTelegram) -> Iterator[TelegramWorld]:
    services = build_services(telegram_settings(database_url, fake_telegram))
    with LiveServer(create_app(services)) as server:
        yield TelegramWorld(server, services, fake_telegram)
    services.close()

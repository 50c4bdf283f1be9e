"""Polling mode for local development, and the `sendvoice telegram` / `events qr` commands."""

from __future__ import annotations

import os
from pathlib import Path

import segno
from sqlalchemy import select

from bot.services import build_services
from bot.web.app import create_app
from storage.models import Answer
from tests.bot.channels.telegram.conftest import CHAT, SECRET, make_event, telegram_settings
from tests.command import run_command
from tests.fakes.telegram import FakeTelegram
from tests.helpers import wait_until
from tests.live import LiveServer


def test_polling_mode_runs_the_same_conversation(
    database_url: str, fake_telegram: FakeTelegram
) -> None:
    services = build_services(telegram_settings(database_url, fake_telegram))
    _, code = make_event(services)
    f = fake_telegram
    with LiveServer(create_app(services, telegram_polling=True)):
        f.push_update(f.command_update(CHAT, "start", code))
        f.wait_for(2)
        f.push_update(f.callback_update(CHAT, "age:18_25:" + code))
        f.wait_for(4)
        f.push_update(f.text_update(CHAT, "just me"))  # who is answering
        sent = f.wait_for(5)
        keyboard = sent[-1].params["reply_markup"]["inline_keyboard"]
        f.push_update(f.callback_update(CHAT, keyboard[0][1]["callback_data"]))
        f.wait_for(6)
        f.push_update(f.text_update(CHAT, "yes"))
        f.wait_for(7)

        def stored() -> dict[str, object]:
            with services.session_factory() as s:
                return {a.step_id: a.value for a in s.scalars(select(Answer))}

        wait_until(lambda: stored() == {"happy_school": 2, "listened_to": 3})
    services.close()
    assert f.calls_of("deleteWebhook")  # polling clears any webhook first
    assert f.calls_of("getUpdates")


def cli_env(database_url: str, fake: FakeTelegram, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "TELEGRAM_BOT_TOKEN": fake.token,
        "TELEGRAM_WEBHOOK_SECRET": SECRET,
        "TELEGRAM_API_BASE_URL": fake.origin,
        "PUBLIC_BASE_URL": "https://sendvoice.example.gov.uk",
        **extra,
    }


def test_set_webhook_registers_url_secret_and_updates(
    database_url: str, fake_telegram: FakeTelegram
) -> None:
    result = run_command(["telegram", "set-webhook"], env=cli_env(database_url, fake_telegram))
    assert result.returncode == 0, result.stderr
    assert fake_telegram.webhook is not None
    assert fake_telegram.webhook["url"] == "https://sendvoice.example.gov.uk/webhooks/telegram"
    assert fake_telegram.webhook["secret_token"] == SECRET
    assert fake_telegram.webhook["allowed_updates"] == ["message", "callback_query"]
    info = run_command(["telegram", "info"], env=cli_env(database_url, fake_telegram))
    assert "@sendvoice_test_bot" in info.stdout
    assert "https://sendvoice.example.gov.uk/webhooks/telegram" in info.stdout


def test_set_webhook_needs_a_secret(database_url: str, fake_telegram: FakeTelegram) -> None:
    env = cli_env(database_url, fake_telegram, TELEGRAM_WEBHOOK_SECRET="")
    result = run_command(["telegram", "set-webhook"], env=env)
    assert result.returncode == 2
    assert "TELEGRAM_WEBHOOK_SECRET" in result.stderr
    assert fake_telegram.webhook is None


def test_events_qr_writes_a_deep_link_code(
    database_url: str, fake_telegram: FakeTelegram, tmp_path: Path
) -> None:
    services = build_services(telegram_settings(database_url, fake_telegram))
    event_id, code = make_event(services)
    services.close()
    out = tmp_path / "poster.png"
    result = run_command(
        ["events", "qr", str(event_id), "--out", str(out)], env=cli_env(database_url, fake_telegram)
    )
    assert result.returncode == 0, result.stderr
    link = f"https://t.me/sendvoice_test_bot?start={code}"
    assert result.stdout.strip().endswith(link)
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    expected = tmp_path / "expected.png"
    segno.make(link, error="q", micro=False).save(str(expected), scale=12, border=4)
    assert out.read_bytes() == expected.read_bytes()


def test_events_qr_for_an_unknown_event(
    database_url: str, fake_telegram: FakeTelegram, tmp_path: Path
) -> None:
    result = run_command(
        ["events", "qr", "999", "--out", str(tmp_path / "x.png")],
        env=cli_env(database_url, fake_telegram),
    )
    assert result.returncode == 2
    assert "no event 999" in result.stderr

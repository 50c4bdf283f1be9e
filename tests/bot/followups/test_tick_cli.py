"""The follow-up story from the command line: create, import, preview a time, tick for real.
(Commands run in the test process: tests/command.py.)"""

from __future__ import annotations

import os
import subprocess
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import create_engine, text

from tests.command import run_command
from tests.fakes.twilio import FakeTwilio

CSV = """name,phone,telegram,role,language,consent
Ann Example,07700 900201,,parent,en,yes
Ben Example,+44 7700 900202,,parent,en,yes
Cat Example,07700900203,,parent,cy,yes
"""


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    result = run_command(list(args), env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def cli_env(database_url: str, twilio: FakeTwilio) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "PUBLIC_BASE_URL": "https://sendvoice.example.gov.uk",
        "TWILIO_ACCOUNT_SID": twilio.account_sid,
        "TWILIO_AUTH_TOKEN": twilio.auth_token,
        "TWILIO_FROM_NUMBER": "+447700900000",
        "TWILIO_API_BASE_URL": twilio.base_url,
        "SMS_MAX_PER_SECOND": "100",
    }


def create_and_import(env: dict[str, str], tmp_path: Path, start: str, end: str) -> str:
    run(env, "db", "upgrade")
    created = run(
        env,
        "events",
        "create",
        "--title",
        "the EHCP coffee morning",
        "--kind",
        "coffee morning",
        "--start",
        start,
        "--end",
        end,
        "--flow",
        "post_event",
        "--area",
        "north",
    )
    event_id = created.stdout.strip().splitlines()[-1]
    assert event_id.isdigit()
    people = tmp_path / "attendees.csv"
    people.write_text(CSV, encoding="utf-8")
    run(env, "events", "attendees", "import", event_id, str(people))
    assert run(env, "events", "attendees", "import", event_id, str(people)).returncode == 0
    return event_id


def stored(database_url: str) -> tuple[object, ...]:
    engine = create_engine(database_url)
    try:
        with engine.connect() as c:
            return (
                c.execute(text("SELECT id, status, due_at, reason FROM follow_ups")).all(),
                c.execute(text("SELECT count(*) FROM conversations")).scalar(),
                c.execute(text("SELECT count(*) FROM messages")).scalar(),
            )
    finally:
        engine.dispose()


def test_a_preview_shows_what_would_happen_and_changes_nothing(
    database_url: str, tmp_path: Path
) -> None:
    with FakeTwilio() as twilio:
        env = cli_env(database_url, twilio)
        create_and_import(env, tmp_path, "2026-03-14T10:00", "2026-03-14T12:00")
        before = stored(database_url)

        # Saturday 23:30, the night after: due, but inside quiet hours.
        quiet = run(env, "scheduler", "preview", "--at", "2026-03-15T23:30").stdout
        assert "nothing was changed and nothing was sent" in quiet
        assert "3 to wait" in quiet
        assert "initial: 3 would wait (quiet hours)" in quiet
        morning = run(env, "scheduler", "preview", "--at", "2026-03-16T09:05").stdout
        assert "3 to send" in morning
        assert "the EHCP coffee morning" in morning
        assert "initial: 3 would be sent: " in morning
        assert "messages that would be queued: 3" in morning
        pseudonyms = morning.split("would be sent: ", 1)[1].splitlines()[0].split(", ")
        assert len(set(pseudonyms)) == 3
        for secret in ("07700", "7700900201", "Ann", "Example"):
            assert secret not in quiet + morning

        assert stored(database_url) == before
        assert twilio.messages == []
        assert twilio.requests == []


def test_tick_runs_at_the_real_time_and_refuses_a_pretend_one(
    database_url: str, tmp_path: Path
) -> None:
    with FakeTwilio() as twilio:
        env = {
            **cli_env(database_url, twilio),
            "QUIET_HOURS_START": "00:00",
            "QUIET_HOURS_END": "00:00",
        }
        now = datetime.now(UTC)
        local = ZoneInfo("Europe/London")
        # Ended 30 hours ago: the request fell due six hours ago.
        start, end = (
            f"{(now - timedelta(hours=h)).astimezone(local):%Y-%m-%dT%H:%M}" for h in (32, 30)
        )
        create_and_import(env, tmp_path, start, end)

        refused = run_command(["scheduler", "tick", "--now", "2026-03-16T09:05"], env=env)
        assert refused.returncode == 2
        assert "scheduler preview --at" in refused.stderr
        assert twilio.messages == []

        sent = run(env, "scheduler", "tick")
        assert "3 sent" in sent.stdout
        assert Counter(m.to for m in twilio.messages) == {
            "+447700900201": 1,
            "+447700900202": 1,
            "+447700900203": 1,
        }
        welsh = next(m.body for m in twilio.messages if m.to == "+447700900203")
        assert "Pwy sy'n ateb?" in welsh
        engine = create_engine(database_url)
        with engine.connect() as c:
            started = c.execute(text("SELECT started_at FROM conversations")).scalars().all()
        engine.dispose()
        # Live records carry the real time the conversations began.
        for when in started:
            when = when if isinstance(when, datetime) else datetime.fromisoformat(when)
            when = when if when.tzinfo else when.replace(tzinfo=UTC)
            assert abs(when - now) < timedelta(minutes=5)
        assert "0 sent" in run(env, "scheduler", "tick").stdout

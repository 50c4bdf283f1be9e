"""The whole follow-up story from the command line: create, import, move the clock, tick."""

from __future__ import annotations

import os
import subprocess
from collections import Counter
from pathlib import Path

from tests.fakes.twilio import FakeTwilio, inbound_sms_form
from tests.serve import EXE

CSV = """name,phone,telegram,role,language,consent
Ann Example,07700 900201,,parent,en,yes
Ben Example,+44 7700 900202,,parent,en,yes
Cat Example,07700900203,,parent,cy,yes
"""


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [EXE, *args], capture_output=True, text=True, env=env, timeout=120, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def test_import_then_move_the_clock_past_the_event(database_url: str, tmp_path: Path) -> None:
    with FakeTwilio() as twilio:
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "PUBLIC_BASE_URL": "https://sendvoice.example.gov.uk",
            "TWILIO_ACCOUNT_SID": twilio.account_sid,
            "TWILIO_AUTH_TOKEN": twilio.auth_token,
            "TWILIO_FROM_NUMBER": "+447700900000",
            "TWILIO_API_BASE_URL": twilio.base_url,
            "SMS_MAX_PER_SECOND": "100",
        }
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
            "2026-03-14T10:00",
            "--end",
            "2026-03-14T12:00",
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

        # Saturday 23:30, the night after: due, but inside quiet hours.
        quiet = run(env, "scheduler", "tick", "--now", "2026-03-15T23:30")
        assert "3 postponed" in quiet.stdout
        assert twilio.messages == []
        sent = run(env, "scheduler", "tick", "--now", "2026-03-16T09:05")
        assert "3 sent" in sent.stdout
        assert Counter(m.to for m in twilio.messages) == {
            "+447700900201": 1,
            "+447700900202": 1,
            "+447700900203": 1,
        }
        welsh = next(m.body for m in twilio.messages if m.to == "+447700900203")
        assert "Aethoch chi i" in welsh

        # Ann answers everything; the others do not.
        for i, body in enumerate(["no", "It clashed with school pick-up"]):
            form = inbound_sms_form(
                from_="+447700900201",
                to="+447700900000",
                body=body,
                sid=f"SM{i:032d}",
                account_sid=twilio.account_sid,
            )
            _deliver_inbound(env, form)
        run(env, "scheduler", "tick", "--now", "2026-03-16T10:00")
        before = Counter(m.to for m in twilio.messages)
        again = run(env, "scheduler", "tick", "--now", "2026-03-16T10:05")
        assert "0 sent" in again.stdout
        reminded = run(env, "scheduler", "tick", "--now", "2026-03-18T09:30")
        assert "2 sent" in reminded.stdout
        after = Counter(m.to for m in twilio.messages)
        assert after["+447700900201"] == before["+447700900201"]  # finished: no reminder
        assert after["+447700900202"] == before["+447700900202"] + 1
        shown = run(env, "events", "show", event_id).stdout
        assert "already completed" in shown
        assert "07700" not in shown
        assert "Ann" not in shown


def _deliver_inbound(env: dict[str, str], form: dict[str, str]) -> None:
    """A text from a parent, through the same dispatch path the webhook uses (no server needed)."""
    code = (
        "import sys, json\n"
        "from datetime import UTC, datetime\n"
        "from bot.config import get_settings\n"
        "from bot.services import build_services\n"
        "from bot.conversation.dispatch import InboundMessage\n"
        "f = json.loads(sys.argv[1])\n"
        "s = build_services(get_settings(), clock=lambda: datetime(2026, 3, 16, 9, 30, tzinfo=UTC))\n"
        "s.dispatcher.handle(s.session_factory, InboundMessage('sms', f['From'], f['Body'],"
        " f['MessageSid'], datetime(2026, 3, 16, 9, 30, tzinfo=UTC)))\n"
        "s.close()\n"
    )
    import json
    import sys

    subprocess.run([sys.executable, "-c", code, json.dumps(form)], env=env, check=True, timeout=60)

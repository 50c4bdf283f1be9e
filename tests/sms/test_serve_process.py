"""`sendvoice serve` as an operator runs it: a real process, real HTTP, the fake Twilio behind it."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from storage.models import Answer
from tests.fakes.twilio import FakeTwilio, inbound_sms_form, sign
from tests.serve import EXE, free_port, serve


def serve_env(database_url: str, fake: FakeTwilio, port: int) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
        "TWILIO_ACCOUNT_SID": fake.account_sid,
        "TWILIO_AUTH_TOKEN": fake.auth_token,
        "TWILIO_FROM_NUMBER": "+447700900000",
        "TWILIO_API_BASE_URL": fake.base_url,
        "SMS_MAX_PER_SECOND": "50",
        "LOG_LEVEL": "INFO",
    }


@pytest.fixture
def server(
    database_url: str, fake_twilio: FakeTwilio, tmp_path: Path
) -> Iterator[tuple[str, Path]]:
    port = free_port()
    with serve(serve_env(database_url, fake_twilio, port), tmp_path, port=port) as served:
        yield served.base_url, served.log


def test_serve_runs_a_whole_post_event_conversation(
    server, fake_twilio: FakeTwilio, database_url: str
) -> None:
    base, log = server
    replies = [
        "FEEDBACK",
        "yes",
        "5",
        "Meeting other parents",
        "A quieter room",
        "yes",
        "yes",
        "no thanks",
    ]
    with httpx.Client(timeout=10) as http:
        for i, body in enumerate(replies, start=1):
            form = inbound_sms_form(
                from_="07700 900456",
                to="+447700900000",
                body=body,
                account_sid=fake_twilio.account_sid,
            )
            url = base + "/webhooks/twilio/sms"
            response = http.post(
                url,
                data=form,
                headers={"X-Twilio-Signature": sign(fake_twilio.auth_token, url, form)},
            )
            assert response.status_code == 200
            fake_twilio.wait_for(i, timeout=10)
    assert [m.to for m in fake_twilio.messages] == ["+447700900456"] * len(replies)
    engine = create_engine(database_url)
    with Session(engine) as s:
        stored = {a.step_id: a.value for a in s.scalars(select(Answer))}
    engine.dispose()
    assert stored["rating"] == 5
    assert stored["stay_in_touch"] == "no_thanks"
    assert len(stored) == 7
    text = log.read_text()
    for secret in ("07700", "7700900456", "Meeting other parents", fake_twilio.auth_token):
        assert secret not in text


def test_serve_refuses_an_out_of_date_schema(tmp_path: Path, fake_twilio: FakeTwilio) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    result = subprocess.run(
        [EXE, "serve", "--port", str(free_port())],
        capture_output=True,
        text=True,
        env=serve_env(url, fake_twilio, 8000),
        timeout=60,
        check=False,
        cwd=tmp_path,
    )
    assert result.returncode == 2
    assert "sendvoice db upgrade" in result.stderr

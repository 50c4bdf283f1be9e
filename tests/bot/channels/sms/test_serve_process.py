"""`sendvoice serve` as an operator runs it: a real process, real HTTP, the fake Twilio behind it."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Answer
from tests.fakes.twilio import FakeTwilio, inbound_sms_form, sign
from tests.helpers import opened_engine, wait_until
from tests.serve import EXE, STOP_SECONDS, free_port, serve, stop


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


REPLIES = (
    "FEEDBACK",
    "1",
    "yes",
    "5",
    "Meeting other parents",
    "A quieter room",
    "yes",
    "yes",
    "no thanks",
)


def _converse(base: str, fake_twilio: FakeTwilio, number: str) -> None:
    """A parent texts through the whole post_event flow, waiting for each reply as a person would."""
    already = len(fake_twilio.messages)
    with httpx.Client(timeout=30) as http:
        for i, body in enumerate(REPLIES, start=1):
            form = inbound_sms_form(
                from_=number, to="+447700900000", body=body, account_sid=fake_twilio.account_sid
            )
            url = base + "/webhooks/twilio/sms"
            response = http.post(
                url,
                data=form,
                headers={"X-Twilio-Signature": sign(fake_twilio.auth_token, url, form)},
            )
            assert response.status_code == 200
            fake_twilio.wait_for(already + i, timeout=30)


def _stored_answers(database_url: str) -> dict[str, object]:
    engine = opened_engine(database_url)
    with Session(engine) as s:
        stored = {a.step_id: a.value for a in s.scalars(select(Answer))}
    engine.dispose()
    return stored


def test_serve_runs_a_whole_post_event_conversation(
    server, fake_twilio: FakeTwilio, database_url: str
) -> None:
    base, log = server
    _converse(base, fake_twilio, "07700 900456")
    assert [m.to for m in fake_twilio.messages] == ["+447700900456"] * len(REPLIES)
    stored = _stored_answers(database_url)
    assert stored["rating"] == 5
    assert stored["stay_in_touch"] == "no_thanks"
    assert len(stored) == 7
    text = log.read_text()
    for secret in ("07700", "7700900456", "Meeting other parents", fake_twilio.auth_token):
        assert secret not in text


def _children(pid: int) -> list[int]:
    """The server's web workers (and any helper multiprocessing started)."""
    with open(f"/proc/{pid}/task/{pid}/children") as kids:
        return [int(k) for k in kids.read().split()]


def _is_web_process(pid: int) -> bool:
    """One of uvicorn's workers, not multiprocessing's resource tracker."""
    return b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes()


def _running(pid: int) -> bool:
    """Alive, not a zombie waiting for whoever inherited it to reap it."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


def test_serve_with_several_web_processes_answers_everyone_in_order(
    database_url: str, fake_twilio: FakeTwilio, tmp_path: Path
) -> None:
    port = free_port()
    env = serve_env(database_url, fake_twilio, port)
    with serve(env, tmp_path, port=port, args=["--workers", "2"]) as served:
        web = _children(served.process.pid)
        assert len(web) >= 2  # the web workers (multiprocessing may add a helper)
        _converse(served.base_url, fake_twilio, "07700 900456")
        _converse(served.base_url, fake_twilio, "07700 900457")
        assert stop(served.process) == 0
        # Checked before leaving the block, whose clean-up would kill any left.
        wait_until(lambda: not any(_running(child) for child in web), timeout=STOP_SECONDS)
    first = [m.body for m in fake_twilio.messages if m.to == "+447700900456"]
    second = [m.body for m in fake_twilio.messages if m.to == "+447700900457"]
    # Same answers, same flow: each parent heard the same questions in the same order.
    assert first == second
    assert len(first) == len(REPLIES) == len(set(first))
    engine = opened_engine(database_url)
    with Session(engine) as s:
        answers = s.scalars(select(Answer)).all()
    engine.dispose()
    assert len(answers) == 14
    assert len({a.contact_id for a in answers}) == 2


def test_a_web_process_starved_for_a_while_is_not_killed(
    database_url: str, fake_twilio: FakeTwilio, tmp_path: Path
) -> None:
    # On a busy machine a web process may not answer its supervisor's health check for seconds
    # (it was starting, or not given the CPU); killed for that, it and each replacement were
    # killed again and the server never came up. Stopping one for a while does the same here.
    port = free_port()
    env = serve_env(database_url, fake_twilio, port)
    with serve(env, tmp_path, port=port, args=["--workers", "2"]) as served:
        web = _children(served.process.pid)
        frozen = next(child for child in web if _is_web_process(child))
        os.kill(frozen, signal.SIGSTOP)
        try:
            deadline = time.monotonic() + 8
            while time.monotonic() < deadline:
                assert _running(frozen), "the supervisor killed a web process that was only slow"
                time.sleep(0.1)
        finally:
            with contextlib.suppress(ProcessLookupError):  # if it was killed after all
                os.kill(frozen, signal.SIGCONT)
        _converse(served.base_url, fake_twilio, "07700 900459")
        assert all(_running(child) for child in web)
    assert "died" not in served.log.read_text()


def test_web_processes_do_not_outlive_a_killed_server(
    database_url: str, fake_twilio: FakeTwilio, tmp_path: Path
) -> None:
    port = free_port()
    env = serve_env(database_url, fake_twilio, port)
    with serve(env, tmp_path, port=port, args=["--workers", "2"]) as served:
        web = _children(served.process.pid)
        served.process.send_signal(signal.SIGKILL)
        served.process.wait(timeout=STOP_SECONDS)
        # Left running, they would take messages nothing delivers and keep the port from a
        # restart. Checked before leaving the block, whose clean-up would kill any left.
        wait_until(lambda: not any(_running(child) for child in web), timeout=STOP_SECONDS)
    with serve(env, tmp_path, port=port, args=["--workers", "2"]) as again:
        _converse(again.base_url, fake_twilio, "07700 900458")


def test_serve_refuses_telegram_polling_in_several_processes(
    tmp_path: Path, fake_twilio: FakeTwilio, database_url: str
) -> None:
    result = subprocess.run(
        [EXE, "serve", "--port", str(free_port()), "--workers", "2", "--telegram-polling"],
        capture_output=True,
        text=True,
        env=serve_env(database_url, fake_twilio, 8000),
        timeout=60,
        check=False,
        cwd=tmp_path,
    )
    assert result.returncode == 2
    assert "--telegram-polling runs in one process" in result.stderr


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

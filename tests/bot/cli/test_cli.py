"""The `sendvoice` command as a newcomer runs it: piped input, embedded SQLite. The demo runs as a
real process (the installed command, its default database); the rest run in the test process."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Answer, Conversation
from tests.command import run_command
from tests.helpers import IS_POSTGRES, opened_engine

ROOT = Path(__file__).resolve().parents[3]


def sendvoice(
    *args: str, stdin: str = "", env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    return run_command(list(args), stdin=stdin, env=env, cwd=cwd or ROOT)


def sendvoice_process(
    *args: str, stdin: str = "", env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("sendvoice") or str(Path(sys.executable).with_name("sendvoice"))
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [exe, *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=full_env,
        cwd=cwd or ROOT,
        timeout=120,
        check=False,
    )


@pytest.fixture
def demo_db(tmp_path: Path, database_url: str) -> str:
    # The demo's default is SQLite; on a PostgreSQL run it uses the migrated test database.
    return database_url if IS_POSTGRES else f"sqlite:///{tmp_path / 'demo.db'}"


def test_demo_runs_post_event_end_to_end_from_piped_input(demo_db: str, tmp_path: Path) -> None:
    replies = "1\nyes\n4\nThe speakers\nMore time for questions\na bit\nyes\nboth\n"
    result = sendvoice_process("demo", stdin=replies, env={"DATABASE_URL": demo_db}, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "--- SMS (" in out
    assert "GSM-7" in out
    assert "Reply STOP to opt out." in out
    assert "> The speakers" in out
    assert "post_event, completed" in out
    assert "rating" in out
    assert "4" in out
    engine = opened_engine(demo_db)
    with Session(engine) as s:
        conversation = s.scalars(select(Conversation).order_by(Conversation.id.desc())).first()
        assert conversation is not None
        assert conversation.status == "completed"
        stored = {
            a.step_id: a.value
            for a in s.scalars(select(Answer).where(Answer.conversation_id == conversation.id))
        }
    engine.dispose()
    assert stored["rating"] == 4
    assert stored["worked_well"] == "The speakers"
    assert stored["use_learning"] == "a_bit"


def test_demo_with_default_settings_creates_its_own_sqlite_database(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    exe = shutil.which("sendvoice") or str(Path(sys.executable).with_name("sendvoice"))
    for _ in range(2):  # the second run reuses the database the first one made
        result = subprocess.run(
            [exe, "demo"],
            input="yes\n",
            capture_output=True,
            text=True,
            env=env,
            cwd=tmp_path,
            timeout=120,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        assert "end of input" in result.stdout
        assert "INFO" not in result.stderr
    assert (tmp_path / "sendvoice.db").exists()


def test_demo_in_chat_style_shows_buttons(demo_db: str, tmp_path: Path) -> None:
    result = sendvoice(
        "demo",
        "--flow",
        "young_person_voice",
        "--channel",
        "chat",
        stdin="3\n",
        env={"DATABASE_URL": demo_db},
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "--- chat ---" in result.stdout
    assert "[ " in result.stdout


def test_demo_rejects_an_unknown_flow(tmp_path: Path) -> None:
    result = sendvoice("demo", "--flow", "nope", cwd=tmp_path)
    assert result.returncode != 0
    assert "no flow 'nope'" in result.stderr


def test_validate_passes_the_library() -> None:
    result = sendvoice("flows", "validate")
    assert result.returncode == 0, result.stderr
    assert "0 error(s)" in result.stdout + result.stderr


def test_validate_fails_with_file_and_line_on_each_broken_example() -> None:
    broken = sorted((ROOT / "tests/flows/broken").glob("*.yaml"))
    result = sendvoice("flows", "validate", *[str(p.relative_to(ROOT)) for p in broken])
    assert result.returncode == 1
    for path in broken:
        expected = path.with_suffix(".error").read_text(encoding="utf-8").strip()
        for line in expected.splitlines():
            assert line in result.stderr


def test_flows_list_and_show() -> None:
    listed = sendvoice("flows", "list")
    assert listed.returncode == 0
    assert "post_event" in listed.stdout
    assert "FEEDBACK" in listed.stdout
    shown = sendvoice("flows", "show", "post_event")
    assert shown.returncode == 0
    assert shown.stdout.startswith("flowchart TD")


def test_db_check_reports_an_out_of_date_schema(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    result = sendvoice("db", "check", env={"DATABASE_URL": url})
    assert result.returncode == 1
    assert "sendvoice db upgrade" in result.stderr
    assert sendvoice("db", "upgrade", env={"DATABASE_URL": url}).returncode == 0
    assert sendvoice("db", "check", env={"DATABASE_URL": url}).returncode == 0


def test_flows_cost_prints_each_route_and_the_price_for_everyone() -> None:
    result = sendvoice(
        "flows", "cost", "post_event", "--recipients", "1000", env={"SMS_PRICE_PER_SEGMENT": "0.05"}
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "includes the privacy notice" in result.stdout
    shortest = next(line for line in lines if line.strip().startswith("shortest"))
    typical = next(line for line in lines if line.strip().startswith("typical"))
    longest = next(line for line in lines if line.strip().startswith("longest"))
    assert "attended > what_stopped > thanks" in shortest
    assert "for 1,000 people" in typical
    segments = [int(line.split()[1]) for line in (shortest, typical, longest)]
    assert segments == sorted(segments)
    assert f"£{segments[1] * 1000 * 0.05:,.2f}" in typical
    assert "£0.05 a segment" in result.stdout


def test_flows_cost_without_the_notice_for_returning_people_and_bad_input() -> None:
    plain = sendvoice("flows", "cost", "post_event")
    returning = sendvoice("flows", "cost", "post_event", "--returning")
    assert "has no privacy notice" in returning.stdout

    def typical(out: str) -> int:
        return int(next(ln for ln in out.splitlines() if "typical" in ln).split()[1])

    assert typical(returning.stdout) < typical(plain.stdout)
    unknown = sendvoice("flows", "cost", "nope")
    assert unknown.returncode == 1
    assert "no flow 'nope'" in unknown.stderr
    welsh = sendvoice("flows", "cost", "ehcp_experience", "--lang", "cy")
    assert welsh.returncode == 2
    assert "in en only" in welsh.stderr

"""`sendvoice demo` shows the product as a person would meet it, on SMS and on chat."""

from __future__ import annotations

import fnmatch
import io
from pathlib import Path

import pytest

from bot.cli.demo import run_demo
from bot.config import Settings
from flows.gsm import count_segments
from flows.library import load_library
from tests.bot.cli.test_cli import ROOT, demo_db, sendvoice

__all__ = ["demo_db"]  # the fixture, shared with test_cli


def run(demo_db: str, tmp_path: Path, stdin: str, *args: str) -> str:
    result = sendvoice("demo", *args, stdin=stdin, env={"DATABASE_URL": demo_db}, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_the_first_sms_says_how_to_stop_once_and_greets_by_name(demo_db, tmp_path) -> None:
    out = run(demo_db, tmp_path, "", "--name", "Sam Jones")
    first = out.split("--- SMS")[1].split("\n", 1)[1].split("(end of input")[0]
    assert first.count("STOP") == 1
    assert "Reply STOP at any time" not in first
    assert "Hi Sam." in first
    assert "Jones" not in first
    assert count_segments(first.strip()).segments <= 2


def test_chat_demo_shows_the_chat_notice_and_asks_the_age_first(demo_db, tmp_path) -> None:
    out = run(demo_db, tmp_path, "17\n1\n3\n", "--flow", "young_person_voice", "--channel", "chat")
    before_age = out.split("how old are you?")[0]
    assert "/stop" in before_age
    assert "your number" not in out
    assert "Reply STOP" not in out
    assert "[ 16 or 17 ]" in out
    assert out.index("how old are you?") < out.index("Are you happy at school or college?")
    assert "happy_school  3 - Yes" in out


def test_chat_demo_tells_someone_under_age_where_else_to_go(demo_db, tmp_path) -> None:
    out = run(demo_db, tmp_path, "Under 16\n", "--flow", "young_person_voice", "--channel", "chat")
    assert "16 and over" in out
    assert "Are you happy" not in out
    assert "No questions were asked" in out


def test_welsh_on_an_english_only_flow_says_so(demo_db, tmp_path) -> None:
    out = run(demo_db, tmp_path, "1\n", "--flow", "ehcp_experience", "--lang", "cy")
    assert "ehcp_experience is written in English only" in out
    assert "Saesneg yn unig, sori." in out
    assert "Can we ask 9 short questions" in out


def test_summary_uses_labels_and_plurals(demo_db, tmp_path) -> None:
    out = run(demo_db, tmp_path, "1\nyes\n2\nThe room was cold\nskip\nskip\na bit\n")
    summary = out.split("=== Conversation")[1]
    assert "; 6 answers stored" in summary
    assert "attended      Yes" in summary
    assert "rating        2 - Not great" in summary
    assert '"The room was cold"' in summary
    assert "use_learning  A bit" in summary
    assert "Skipped" in summary
    assert "True" not in summary
    assert "'a_bit'" not in summary
    one = run(demo_db, tmp_path, "1\nno\n")
    assert "; 1 answer stored" in one


def test_a_safeguarding_flag_is_said_to_be_raised(demo_db, tmp_path) -> None:
    out = run(demo_db, tmp_path, "yes\n1\nmy dad hits me and I am scared to go home\n")
    assert "Childline" in out
    assert "A safeguarding flag was raised" in out
    assert "post_event, paused" in out


async def test_interactive_mode_shows_a_prompt_marker_before_each_reply(
    database_url: str, tmp_path: Path
) -> None:
    written: list[str] = []
    settings = Settings(database_url=database_url, _env_file=None)  # type: ignore[call-arg]
    await run_demo(
        load_library(),
        settings,
        flow_id="post_event",
        language="en",
        style="sms",
        stdin=io.StringIO("yes\n"),
        write=written.append,
        name=None,
        event_name="the coffee morning",
        echo=False,
        interactive=True,
    )
    assert written.count("> ") == 2  # before "yes", and before the end of input
    assert written.index("> ") > 0  # after the first message, not before it


@pytest.mark.parametrize("name", ["sendvoice.db.key", "demo.db.key"])
def test_the_demo_key_file_is_ignored_by_git(name: str) -> None:
    patterns = (ROOT / ".gitignore").read_text(encoding="utf-8").split()
    assert any(fnmatch.fnmatch(name, p) for p in patterns)

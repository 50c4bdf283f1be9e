"""`sendvoice whatsapp ...` as an operator runs it while connecting WhatsApp."""

from __future__ import annotations

import json
from pathlib import Path

from tests.bot.cli.test_cli import sendvoice

SID = "HX" + "c" * 32


def test_buttons_prints_the_content_to_create_for_one_to_ten_buttons(tmp_path: Path) -> None:
    done = sendvoice("whatsapp", "buttons", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    bodies = json.loads(done.stdout)
    assert [b["friendly_name"] for b in bodies] == [f"sendvoice_buttons_{n}" for n in range(1, 11)]
    assert list(bodies[2]["types"]) == ["twilio/quick-reply"]
    assert list(bodies[3]["types"]) == ["twilio/list-picker"]
    assert bodies[1]["types"]["twilio/quick-reply"]["actions"][1] == {
        "title": "{{4}}",
        "id": "{{5}}",
    }


def test_check_reads_the_settings_and_names_a_mistake(tmp_path: Path) -> None:
    good = {
        "WHATSAPP_TEMPLATES": json.dumps({"post_event": {"en": SID}}),
        "DATA_ENCRYPTION_KEY": "",
    }
    done = sendvoice("whatsapp", "check", env=good, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert f"template post_event en followup: {SID} (event_name)" in done.stdout
    bad = sendvoice("whatsapp", "check", env={"WHATSAPP_BUTTON_CONTENT": "2=HX1"}, cwd=tmp_path)
    assert bad.returncode == 2
    assert "'2=HX1' is not N=HX..." in bad.stderr

"""`sendvoice safeguarding check`, as an officer or a script would run it."""

from __future__ import annotations

import json

from click.testing import CliRunner

from bot.cli.safeguarding import safeguarding_group


def _records(output: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in output.splitlines()]


def test_one_text_prints_one_json_line_naming_why() -> None:
    result = CliRunner().invoke(safeguarding_group, ["check", "i just wanna die tbh"])
    assert result.exit_code == 0, result.output
    [record] = _records(result.output)
    assert record["text"] == "i just wanna die tbh"
    assert record["flagged"] is True
    assert record["category"] == "self_harm_suicide"
    reasons = record["reasons"]
    assert isinstance(reasons, list)
    assert any("wanna die" in str(reason) for reason in reasons)


def test_everyday_feedback_is_not_flagged() -> None:
    result = CliRunner().invoke(safeguarding_group, ["check", "the wait was killing me"])
    assert result.exit_code == 0
    assert _records(result.output) == [
        {"text": "the wait was killing me", "flagged": False, "category": None, "reasons": []}
    ]


def test_each_line_of_standard_input_is_checked_in_order() -> None:
    stdin = "our SENCo is fab\n\nmy dad hits me\r\nno food at home\n"
    result = CliRunner().invoke(safeguarding_group, ["check"], input=stdin)
    assert result.exit_code == 0, result.output
    records = _records(result.output)
    assert [r["text"] for r in records] == ["our SENCo is fab", "my dad hits me", "no food at home"]
    assert [r["category"] for r in records] == [None, "abuse_physical", "neglect"]


def test_output_keeps_non_ascii_text_readable() -> None:
    text = "Rwy'n iawn diolch 😊 — but I don't feel safe at home"
    result = CliRunner().invoke(safeguarding_group, ["check", text])
    assert result.exit_code == 0
    assert "😊" in result.output
    assert "\\u" not in result.output
    [record] = _records(result.output)
    assert record["text"] == text
    assert record["category"] == "unsafe"


def test_empty_standard_input_prints_nothing() -> None:
    result = CliRunner().invoke(safeguarding_group, ["check"], input="")
    assert result.exit_code == 0
    assert result.output == ""

"""`sendvoice safeguarding check`, as an officer or a script would run it."""

from __future__ import annotations

import json
from pathlib import Path

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
    [record] = _records(result.output)
    assert set(record) == {"text", "flagged", "review", "score", "category", "reasons"}
    assert record["text"] == "the wait was killing me"
    assert record["flagged"] is False
    assert record["review"] is False
    assert record["category"] is None
    assert record["reasons"] == []
    assert isinstance(record["score"], float)
    assert record["score"] < 0.1


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


def test_a_welsh_disclosure_no_rule_was_written_for_is_flagged_by_the_model() -> None:
    text = "dwi isio lladd fy hun heno"
    result = CliRunner().invoke(safeguarding_group, ["check", text])
    [record] = _records(result.output)
    assert record["flagged"] is True
    assert record["category"] == "self_harm_suicide"
    assert any("model" in str(reason) for reason in record["reasons"])  # type: ignore[attr-defined]


def test_evaluate_prints_recall_false_alarms_and_the_misses(tmp_path: Path) -> None:
    data = tmp_path / "batch.tsv"
    data.write_text(
        "label\ttext\n1\tmy dad hits me\n1\tthe weather is nice\n0\tour SENCo is fab\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(safeguarding_group, ["evaluate", str(data)])
    assert result.exit_code == 0, result.output
    assert "recall 0.500" in result.output
    assert "false alarms 0.000" in result.output
    assert "missed [?] the weather is nice" in result.output


def test_evaluate_names_the_line_of_a_bad_label(tmp_path: Path) -> None:
    data = tmp_path / "batch.tsv"
    data.write_text("1\tfine\nyes\tnot a label\n", encoding="utf-8")
    result = CliRunner().invoke(safeguarding_group, ["evaluate", str(data)])
    assert result.exit_code != 0
    assert "line 2" in result.output

"""A council brings its RapidPro/TextIt survey over, runs it, and can take it back out."""

from __future__ import annotations

import json
from pathlib import Path

from tests.bot.cli.test_cli import demo_db, sendvoice  # noqa: F401 - demo_db is a fixture

EXPORTS = Path(__file__).resolve().parents[2] / "flows" / "interop" / "exports"


def test_a_rapidpro_survey_imports_validates_runs_in_the_demo_and_goes_back_out(
    demo_db: str,  # noqa: F811
    tmp_path: Path,
) -> None:
    out = tmp_path / "flows"
    imported = sendvoice("flows", "import", str(EXPORTS / "five_questions.json"), "--out", str(out))
    assert imported.returncode == 0, imported.stderr
    written = out / "coffee_morning_survey.yaml"
    assert f"{written}: 8 steps, 5 questions (en, cy), valid" in imported.stdout
    assert "audience: set to 'any'" in imported.stdout  # the report of what did not map

    checked = sendvoice("flows", "validate", str(written))
    assert checked.returncode == 0, checked.stderr
    assert "1 file(s): 0 error(s)" in checked.stdout  # warnings: UCS-2 Welsh, as in the export

    env = {"DATABASE_URL": demo_db, "FLOW_PATHS": str(out)}
    demo = sendvoice(
        "demo",
        "--flow",
        "coffee_morning_survey",
        "--lang",
        "cy",
        stdin="ie\n4\nsiaradwr\n2\ndim byd\n",
        env=env,
        cwd=tmp_path,
    )
    assert demo.returncode == 0, demo.stderr
    assert "Oedd e'n ddefnyddiol?" in demo.stdout
    assert "Diolch! Rydyn ni'n darllen pob ateb." in demo.stdout
    assert "coffee_morning_survey, completed" in demo.stdout

    back = tmp_path / "back.json"
    exported = sendvoice(
        "flows", "export-rapidpro", "coffee_morning_survey", "--out", str(back), env=env
    )
    assert exported.returncode == 0, exported.stderr
    document = json.loads(back.read_text(encoding="utf-8"))
    (flow,) = document["flows"]
    assert flow["name"] == "Coffee morning survey"
    assert set(flow["localization"]) == {"cym"}
    again = sendvoice("flows", "import", str(back), "--out", str(tmp_path / "again"))
    assert again.returncode == 0, again.stderr
    assert "8 steps, 5 questions (en, cy), valid" in again.stdout


def test_an_import_never_overwrites_a_flow_file_unless_told(tmp_path: Path) -> None:
    args = ("flows", "import", str(EXPORTS / "five_questions.json"), "--out", str(tmp_path))
    assert sendvoice(*args).returncode == 0
    second = sendvoice(*args)
    assert second.returncode == 1
    assert "exists; choose another --out or add --force" in second.stderr
    assert sendvoice(*args, "--force").returncode == 0


def test_a_file_that_is_not_an_export_says_where_it_broke(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"flows": [\n  {"name": "x",,}\n]}', encoding="utf-8")
    result = sendvoice("flows", "import", str(broken), "--out", str(tmp_path))
    assert result.returncode == 1
    assert f"{broken}:2:" in result.stderr
    assert "not valid JSON" in result.stderr
    legacy = sendvoice("flows", "import", str(EXPORTS / "legacy.json"), "--out", str(tmp_path))
    assert legacy.returncode == 1
    assert "a legacy export (before spec 13)" in legacy.stderr

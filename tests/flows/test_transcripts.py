"""Conversation transcripts: replies in, what the person sees and what is stored out.

Each `transcripts/NAME.yaml` is replayed through the engine and the renderer; the result must equal
`transcripts/NAME.out`. After an intended change: `pytest tests/flows --update-snapshots`.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from flows import engine
from flows.library import load_library
from flows.outcome import Outcome
from flows.render import render

HERE = Path(__file__).parent / "transcripts"
CASES = sorted(HERE.glob("*.yaml"))
START = datetime(2026, 3, 14, 19, 30, tzinfo=UTC)


def _describe(outcome: Outcome, style: str, first: bool) -> list[str]:
    lines: list[str] = []
    for message in render(style, outcome.prompts, opt_out_notice=first):  # type: ignore[arg-type]
        lines.append(f"  [{style}, {message.segments} segment(s)]")
        lines += [f"  | {line}" for line in message.body.splitlines()]
        for row in message.buttons:
            lines.append("  buttons: " + "  ".join(f"[{b.text}]" for b in row))
    for a in outcome.answers:
        shown = a.special.value if a.special else repr(a.value)
        lines.append(f"  stored {a.step_id} = {shown}")
    if outcome.answered_by is not None:
        lines.append(f"  answered by: {outcome.answered_by}")
    for step_id in outcome.retracted:
        lines.append(f"  retracted {step_id}")
    if outcome.events:
        lines.append("  events: " + ", ".join(e.value for e in outcome.events))
    lines.append(f"  status: {outcome.status.value}")
    return lines


def replay(case: dict[str, Any]) -> str:
    flow = load_library().get(case["flow"])
    style = case.get("channel", "sms")
    now = START
    out = engine.start(flow, case.get("context", {}), now, case.get("language"))
    lines = [f"# {flow.id} ({case.get('language', flow.default_language)}, {style})", "== start"]
    lines += _describe(out, style, first=True)
    for reply in case["replies"]:
        now += timedelta(minutes=1)
        lines.append(f"== reply: {reply!r}")
        out = engine.step(flow, out.state, str(reply), now)
        lines += _describe(out, style, first=False)
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_transcript(path: Path, request: pytest.FixtureRequest) -> None:
    case = yaml.safe_load(path.read_text(encoding="utf-8"))
    actual = replay(case)
    expected_path = path.with_suffix(".out")
    if request.config.getoption("--update-snapshots"):
        expected_path.write_text(actual, encoding="utf-8")
    if not expected_path.exists():
        expected_path.write_text(actual, encoding="utf-8")
        pytest.fail(f"new snapshot {expected_path.name} written: review it and commit it")
    assert actual == expected_path.read_text(encoding="utf-8")


def test_there_are_transcripts_for_every_bundled_flow() -> None:
    flows = {yaml.safe_load(p.read_text(encoding="utf-8"))["flow"] for p in CASES}
    assert flows >= {f.id for f in load_library()}

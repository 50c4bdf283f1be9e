"""Run a flow with the real engine and return what a person would be told, prompt by prompt."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flows import engine
from flows.schema import Flow

NOW = datetime(2026, 11, 3, 19, 0, tzinfo=UTC)
CONTEXT = {"event_name": "the coffee morning", "council_name": "Testshire Council"}


def run(flow: Flow, replies: list[str], lang: str = "en") -> list[str]:
    out = engine.start(flow, CONTEXT, NOW, lang, personal={"first_name": "Sam"})
    said = [p.text for p in out.prompts]
    for i, text in enumerate(replies):
        out = engine.step(flow, out.state, text, NOW + timedelta(minutes=i + 1))
        said += [p.text for p in out.prompts]
    return said

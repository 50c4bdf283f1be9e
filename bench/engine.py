"""Steps per second of the pure engine (`flows.engine.start` / `step`) on a five-question flow.

No I/O: this is the floor under every inbound message and every follow-up started. Each reply
parses (no reprompts), so every step records one answer and moves on.
"""

from __future__ import annotations

import sys
import time
from datetime import UTC, datetime
from pathlib import Path

if __package__ in (None, ""):  # run as `python bench/engine.py`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import argparse
from collections import defaultdict

from bench import common
from flows import engine
from flows.loader.flowfile import load_flow_text

FLOW = """
format: 1
id: bench_five
version: 1
title: Five questions
audience: parent
languages: [en]
expires_after: 3d
steps:
  - id: rating
    type: scale
    ask: "How was {event_name}?"
    range: [1, 5]
    labels: {1: Poor, 2: Not great, 3: OK, 4: Good, 5: Excellent}
    allow: [skip]
  - id: venue
    type: choice
    ask: "How did you find the venue?"
    options:
      - value: easy
        label: "Easy to get to"
        aliases: {en: [easy, fine]}
      - value: hard
        label: "Hard to get to"
        aliases: {en: [hard, difficult]}
      - value: online
        label: "I joined online"
        aliases: {en: [online, zoom, teams]}
    allow: [skip, dont_know]
  - id: again
    type: yes_no
    ask: "Would you come again?"
  - id: worked_well
    type: text
    ask: "What worked well?"
    allow: [skip]
  - id: topics
    type: multi_choice
    ask: "Which topics would help next time? Reply with numbers, like 1,3."
    options:
      - value: transport
        label: "Transport"
      - value: transition
        label: "Moving to adult services"
      - value: ehcp
        label: "EHC plans"
      - value: wellbeing
        label: "Wellbeing"
"""

# Replies people send, with the typos and forms the parser accepts; cycled through.
REPLIES = {
    "rating": ["4", "5/5", "3 ", "four", "2"],
    "venue": ["1", "easy", "Online", "2", "difficult"],
    "again": ["yes", "yeah", "no", "Y", "nope"],
    "worked_well": [
        "Meeting other parents",
        "the speakers were great",
        "Honestly the coffee",
        "knowing I'm not alone",
        "Q&A at the end",
    ],
    "topics": ["1,3", "2", "1, 2 and 4", "3,4", "ehcp"],
}
ORDER = ("rating", "venue", "again", "worked_well", "topics")


def run(
    flow: object, conversations: int, now: datetime
) -> tuple[list[float], dict[str, list[float]]]:
    starts: list[float] = []
    per_step: dict[str, list[float]] = defaultdict(list)
    context = {"event_name": "the coffee morning"}
    clock = time.perf_counter_ns
    for i in range(conversations):
        t0 = clock()
        outcome = engine.start(flow, context, now)  # type: ignore[arg-type]
        starts.append((clock() - t0) / 1000)
        state = outcome.state
        for step_id in ORDER:
            reply = REPLIES[step_id][i % 5]
            t0 = clock()
            outcome = engine.step(flow, state, reply, now)  # type: ignore[arg-type]
            per_step[step_id].append((clock() - t0) / 1000)
            if [a.step_id for a in outcome.answers] != [step_id]:
                raise AssertionError(f"reply {reply!r} to {step_id} did not parse")
            state = outcome.state
        if outcome.status.value != "completed":
            raise AssertionError(f"the conversation ended {outcome.status.value}, not completed")
    return starts, per_step


def body(args: argparse.Namespace, report: common.Report) -> None:
    flow = load_flow_text(FLOW, "<bench>")
    now = datetime(2026, 3, 16, 12, 0, tzinfo=UTC)
    run(flow, 200, now)  # warm up caches (compiled expressions, vocabulary)
    seconds = 0.5 if args.quick else 10.0
    conversations = 0
    starts: list[float] = []
    steps: dict[str, list[float]] = defaultdict(list)
    common.note(f"running the engine for {seconds:.0f} s")
    began = time.perf_counter()
    while time.perf_counter() - began < seconds:
        s, p = run(flow, 200, now)
        conversations += 200
        starts += s
        for key, values in p.items():
            steps[key] += values
    wall = time.perf_counter() - began
    all_steps = [v for values in steps.values() for v in values]
    mean_step = sum(all_steps) / len(all_steps)
    report.info("steps per second (step calls only)", round(1e6 / mean_step), "steps/s")
    report.info("mean step", round(mean_step, 1), "µs")
    report.info("p99 step", round(common.percentile(all_steps, 99), 1), "µs")
    report.info("mean start", round(sum(starts) / len(starts), 1), "µs")
    for step_id in ORDER:
        values = steps[step_id]
        report.info(
            f"mean step, {step_id} ({_type(step_id)})", round(sum(values) / len(values), 1), "µs"
        )
    calls = conversations * (1 + len(ORDER))
    report.info("start+step calls per second, wall clock", round(calls / wall), "calls/s")
    report.details = {"conversations": conversations, "seconds": round(wall, 2)}


def _type(step_id: str) -> str:
    return {
        "rating": "scale",
        "venue": "choice",
        "again": "yes_no",
        "worked_well": "text",
        "topics": "multi_choice",
    }[step_id]


if __name__ == "__main__":
    options = common.parser(__doc__.splitlines()[0]).parse_args()
    sys.exit(common.main("engine", options, body, time_limit=120))

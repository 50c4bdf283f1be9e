"""Replies read per second by the pure reply reader (`flows.reading.answers.interpret`).

Every labelled reply of the two reading corpora in tests/flows/reading (messy and Welsh, about
3,600), each at its own question: the cost a family's reply adds before the engine moves on.
"""

from __future__ import annotations

import sys
import time
from datetime import date
from pathlib import Path

if __package__ in (None, ""):  # run as `python bench/reading.py`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import argparse
from collections import defaultdict

from bench import common
from flows.corpus import parse_tsv
from flows.loader.flowfile import load_flow
from flows.reading.answers import interpret
from flows.schema import Step

CORPUS = common.REPO_ROOT / "tests" / "flows" / "reading"
FILES = {
    "reading_corpus.yaml": ("dev.tsv", "own.tsv"),
    "messy_corpus.yaml": ("messy_dev.tsv",),
}
TODAY = date(2026, 11, 18)


def replies() -> list[tuple[Step, str, str]]:
    found = []
    for flow_file, tsvs in FILES.items():
        flow = load_flow(CORPUS / flow_file)
        for tsv in tsvs:
            for case in parse_tsv((CORPUS / tsv).read_text(encoding="utf-8")):
                found.append((flow.step(case.step), case.reply, case.language))
    return found


def body(args: argparse.Namespace, report: common.Report) -> None:
    cases = replies()
    for step, reply, language in cases:  # warm up caches (vocabulary tables, patterns)
        interpret(step, reply, language, TODAY)
    seconds = 0.5 if args.quick else 10.0
    timings: list[float] = []
    by_type: dict[str, list[float]] = defaultdict(list)
    clock = time.perf_counter_ns
    common.note(f"reading {len(cases)} replies over and over for {seconds:.0f} s")
    began = time.perf_counter()
    while time.perf_counter() - began < seconds:
        for step, reply, language in cases:
            t0 = clock()
            interpret(step, reply, language, TODAY)
            spent = (clock() - t0) / 1000
            timings.append(spent)
            by_type[step.type.value].append(spent)
    mean = sum(timings) / len(timings)
    report.info("replies read per second", round(1e6 / mean), "replies/s")
    report.info("mean reply", round(mean, 1), "µs")
    report.info("p99 reply", round(common.percentile(timings, 99), 1), "µs")
    report.info("slowest reply", round(max(timings), 1), "µs")
    for kind, values in sorted(by_type.items()):
        report.info(f"mean reply, {kind}", round(sum(values) / len(values), 1), "µs")
    report.details = {"replies": len(timings), "distinct": len(cases)}


if __name__ == "__main__":
    options = common.parser(__doc__.splitlines()[0]).parse_args()
    sys.exit(common.main("reading", options, body, time_limit=120))

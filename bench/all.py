"""Every benchmark in one run, and the README's table from what they measured.

Each benchmark runs as its own process (`python bench/NAME.py --json`), one after another, so they
do not share the cores with each other. The table gives each figure beside the floor measured in
the same run (where the benchmark has one: the bare insert-and-commit of `inbound.py`), the ratio
to it, the goal and PASS / MISS. The machine's load average before and after each benchmark is
printed too: on a shared machine it explains more of a miss than the code does.

`--compare` also runs the engine against RapidPro's goflow engine (Go) on the same survey, back to
back; it needs a Go toolchain (`go` on PATH) and a goflow checkout (GOFLOW_DIR), and is skipped
with the reason otherwise.
"""

from __future__ import annotations

import sys
from pathlib import Path

if __package__ in (None, ""):  # run as `python bench/all.py`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import argparse
import json
import os
import shutil
import subprocess
import time
from typing import Any

HERE = Path(__file__).resolve().parent
# In the order they run: the quick, pure ones first.
BENCHMARKS = (
    "engine",
    "reading",
    "safeguarding",
    "inbound",
    "followups",
    "memory",
    "purge",
    "themes",
)
NO_DATABASE = ("engine", "reading", "safeguarding", "themes")
# What a figure is compared with, from the same run: (figure, floor figure).
FLOOR_SUFFIXES = ((" full/floor", " floor"), (" full", " floor"))
# Figures without a target of their own that the table still shows, with the goal they serve.
HEADLINES = {"steps per second (step calls only)": "ahead of goflow (--compare)"}


def _load() -> float:
    return os.getloadavg()[0]


def run_one(name: str, extra: list[str]) -> dict[str, Any]:
    command = [sys.executable, str(HERE / f"{name}.py"), "--json", *extra]
    print(f"[all] {name}: {' '.join(command[1:])}", file=sys.stderr, flush=True)
    before = _load()
    began = time.monotonic()
    done = subprocess.run(command, capture_output=True, text=True, cwd=HERE.parent, check=False)
    try:
        result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    except (IndexError, json.JSONDecodeError):
        result = {"benchmark": name, "error": (done.stderr or "no output").strip()[-400:]}
        result["figures"] = {}
    if "figures" not in result:  # an older script's flat JSON: its values, unjudged here
        flat = {k: {"value": v, "unit": "", "target": None} for k, v in result.items()}
        result = {"figures": flat}
    result["benchmark"] = name
    result["load_before"], result["load_after"] = round(before, 2), round(_load(), 2)
    result["wall_seconds"] = round(time.monotonic() - began, 1)
    return result


def rows_of(result: dict[str, Any]) -> list[list[str]]:
    """The figures with a goal (and the floor each is measured against), as table rows."""
    figures: dict[str, dict[str, Any]] = result.get("figures") or {}
    rows = []
    for name, figure in figures.items():
        if not figure.get("target") and name not in HEADLINES:
            continue
        floor = ""
        for suffix, floor_suffix in FLOOR_SUFFIXES:
            if name.endswith(suffix):
                prefix = name[: -len(suffix)]
                full = figures.get(prefix + " full")
                base = figures.get(prefix + floor_suffix)
                if base is not None and full is not None:
                    floor = f"{_fmt(full['value'])} vs floor {_fmt(base['value'])} {base['unit']}"
                break
        value = f"{_fmt(figure['value'])} {figure['unit']}".strip()
        goal = figure.get("target") or HEADLINES.get(name, "")
        verdict = figure.get("verdict") or "info"
        rows.append([result["benchmark"], name, value, floor, goal, verdict])
    if result.get("error"):
        rows.append([result["benchmark"], "did not complete", result["error"], "", "", "ERROR"])
    return rows


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.1f}" if abs(value) >= 100 else f"{value:.3g}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def compare_with_goflow() -> list[str]:
    """The engine against goflow, or why not."""
    go = shutil.which("go")
    if go is None:
        return ["goflow comparison skipped: no Go toolchain on this machine (`go` not on PATH)"]
    checkout = os.environ.get("GOFLOW_DIR")
    if not checkout or not Path(checkout, "go.mod").exists():
        return ["goflow comparison skipped: set GOFLOW_DIR to a checkout of nyaruka/goflow"]
    ours = run_one("engine", [])
    theirs = subprocess.run(
        [go, "test", "-run", "^$", "-bench", ".", "-benchtime", "3s", "./flows/engine/..."],
        capture_output=True,
        text=True,
        cwd=checkout,
        check=False,
    )
    steps = (ours.get("figures") or {}).get("steps per second (step calls only)", {})
    return [
        f"sendvoice engine: {steps.get('value')} steps/s",
        "goflow `go test -bench` (ns/op per resume):",
        *[line for line in theirs.stdout.splitlines() if line.startswith("Benchmark")],
    ]


def table(results: list[dict[str, Any]]) -> str:
    head = ["benchmark", "figure", "result", "against its floor (same run)", "goal", "verdict"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for result in results:
        lines += ["| " + " | ".join(row) + " |" for row in rows_of(result)]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="each benchmark's smoke run")
    parser.add_argument(
        "--only", default=",".join(BENCHMARKS), help="comma-separated benchmarks to run"
    )
    parser.add_argument("--compare", action="store_true", help="also the engine against goflow")
    parser.add_argument("--json", action="store_true", help="every result as one JSON object")
    parser.add_argument(
        "--database-prefix",
        help="PostgreSQL URL prefix; each benchmark gets PREFIX_NAME (dropped and made afresh)",
    )
    args = parser.parse_args()
    chosen = [name for name in args.only.split(",") if name]
    unknown = sorted(set(chosen) - set(BENCHMARKS))
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)}")
    extra = ["--quick"] if args.quick else []
    results = []
    for name in chosen:
        own = list(extra)
        if args.database_prefix and name not in NO_DATABASE:
            own += ["--database-url", f"{args.database_prefix}_{name}"]
        results.append(run_one(name, own))
    notes = compare_with_goflow() if args.compare else []
    if args.json:
        print(json.dumps({"results": results, "notes": notes}, default=str))
        return 0
    print(table(results))
    print()
    for result in results:
        print(
            f"- {result['benchmark']}: {result['wall_seconds']} s; load average "
            f"{result['load_before']} before, {result['load_after']} after"
        )
    for line in notes:
        print(f"- {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

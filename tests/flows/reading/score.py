"""Score the reply reader on a labelled TSV of replies: accuracy per question, then every miss.

    python -m tests.flows.reading.score tests/flows/reading/dev.tsv [--misses]

The replies answer the questions in reading_corpus.yaml beside this file (messy_corpus.yaml for
the files named messy_*.tsv, third_corpus.yaml for third_*.tsv), read as on the corpus's
reference day (Wednesday 2026-11-18, noon in London).
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from flows.corpus import Score, parse_tsv, report, score
from flows.loader.flowfile import load_flow
from flows.schema import Flow

HERE = Path(__file__).parent
NOW = datetime(2026, 11, 18, 12, 0, tzinfo=ZoneInfo("Europe/London"))


@cache
def corpus_flow(name: str = "reading_corpus.yaml") -> Flow:
    return load_flow(HERE / name)


def flow_for(path: Path) -> Flow:
    for prefix in ("messy", "third"):
        if path.name.startswith(prefix + "_"):
            return corpus_flow(f"{prefix}_corpus.yaml")
    return corpus_flow("reading_corpus.yaml")


def score_file(path: str | Path) -> Score:
    path = Path(path)
    return score(flow_for(path), parse_tsv(path.read_text(encoding="utf-8")), NOW)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", help="TSV files: step, lang, reply, expected")
    parser.add_argument("--misses", action="store_true", help="list every reply read wrongly")
    args = parser.parse_args(argv)
    for name in args.files:
        print(report(score_file(name), title=name, misses=args.misses), end="\n\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

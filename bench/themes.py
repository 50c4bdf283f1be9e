"""Time to suggest themes for 10,000 free-text answers (English and Welsh), and how well they match.

Goal: seconds, not minutes (under 10 s on a 2-core machine), so an officer can ask again after
merging or renaming. The answers are the planted set's generator at 10,000, so the figure also
says whether the planted themes are still recovered at that size.
"""

from __future__ import annotations

import sys
from pathlib import Path

if __package__ in (None, ""):  # run as `python bench/themes.py`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import argparse
import json
import time
from collections import Counter

from bot.analysis.themes import suggest
from tests.bot.analysis.planted import planted

GOAL_S = 10.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1,000 answers instead of 10,000")
    parser.add_argument("--json", action="store_true", help="print exactly one JSON object")
    args = parser.parse_args()
    data = planted(1000 if args.quick else 10_000, seed=11)
    texts = [p.text for p in data]
    started = time.perf_counter()
    suggestions = suggest(texts)
    seconds = time.perf_counter() - started
    named = {
        i: Counter(data[m].theme for m in s.members).most_common(1)[0][0]
        for i, s in enumerate(suggestions)
    }
    theme_of = {m: named[i] for i, s in enumerate(suggestions) for m in s.members}
    rows = [i for i, p in enumerate(data) if p.theme]
    recovered = sum(1 for i in rows if theme_of.get(i) == data[i].theme) / len(rows)
    met = seconds < GOAL_S
    if args.json:
        print(
            json.dumps(
                {
                    "answers": len(texts),
                    "seconds": round(seconds, 2),
                    "goal_s": GOAL_S,
                    "met": met,
                    "themes": len(suggestions),
                    "recovered": round(recovered, 3),
                }
            )
        )
    else:
        print(
            f"  suggest themes, {len(texts):,} answers   {seconds:6.1f} s   goal < {GOAL_S:.0f} s   "
            f"{'PASS' if met else 'MISS'}"
        )
        print(f"  ({len(suggestions)} themes; {recovered:.1%} of planted answers recovered)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""How well a detector does on labelled messages: recall, false alarms, and the misses, with intervals.

A file is tab-separated, one message a line: the label first (1 = a person must read it, 0 = not),
the text last; columns between them (category, language) are optional and used for breakdowns. A
header line whose first field is not 0 or 1 is skipped.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Labelled:
    label: bool
    text: str
    category: str = ""
    language: str = ""


@dataclass(frozen=True)
class Verdict:
    flagged: bool  # the survey pauses and the lead is alerted
    review: bool  # only the wider net caught it: it goes to the review queue


@dataclass
class Score:
    disclosures: int = 0
    caught: int = 0
    reviewed: int = 0  # disclosures only the wider net caught
    negatives: int = 0
    false_alarms: int = 0
    misses: list[Labelled] = field(default_factory=list)
    alarms: list[Labelled] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.caught / self.disclosures if self.disclosures else float("nan")

    @property
    def recall_with_review(self) -> float:
        found = self.caught + self.reviewed
        return found / self.disclosures if self.disclosures else float("nan")

    @property
    def false_alarm_rate(self) -> float:
        return self.false_alarms / self.negatives if self.negatives else float("nan")


def read_tsv(lines: Iterable[str]) -> list[Labelled]:
    rows = []
    for number, line in enumerate(lines, start=1):
        line = line.rstrip("\r\n")
        if not line.strip():
            continue
        parts = line.split("\t")
        if parts[0] not in ("0", "1"):
            if number == 1:
                continue  # a header
            raise ValueError(f"line {number}: the first column must be 0 or 1, got {parts[0]!r}")
        if len(parts) < 2:
            raise ValueError(f"line {number}: expected a label, a tab, then the text")
        extra = parts[1:-1]
        rows.append(
            Labelled(
                label=parts[0] == "1",
                text=parts[-1],
                category=extra[0] if extra else "",
                language=extra[1] if len(extra) > 1 else "",
            )
        )
    return rows


def score(rows: Iterable[Labelled], judge: Callable[[str], Verdict]) -> Score:
    result = Score()
    for row in rows:
        verdict = judge(row.text)
        if row.label:
            result.disclosures += 1
            if verdict.flagged:
                result.caught += 1
            else:
                result.reviewed += verdict.review
                result.misses.append(row)
        else:
            result.negatives += 1
            if verdict.flagged:
                result.false_alarms += 1
                result.alarms.append(row)
    return result


def wilson(successes: int, total: int, z: float = 1.96) -> tuple[float, float]:
    """A 95% interval for a proportion that behaves near 0 and 1 (Wilson score interval)."""
    if total == 0:
        return (float("nan"), float("nan"))
    p = successes / total
    denominator = 1 + z * z / total
    centre = (p + z * z / (2 * total)) / denominator
    half = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / denominator
    return (max(0.0, centre - half), min(1.0, centre + half))

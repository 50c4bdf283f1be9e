"""Small-number suppression: no count below the threshold is ever shown, nor can it be worked out.

Primary suppression: a count from 1 to threshold-1 is shown as "fewer than 5". Zero is shown: it
describes nobody.

Complementary (secondary) suppression, for counts that make up a shown total (the options of a
single-choice question, the channels of the funnel): if a hidden count could be recovered by
subtracting the shown counts from the total, the smallest shown non-zero counts are hidden too
("not shown") until every hidden count has more than one possible value, knowing that a "fewer
than 5" cell is 1 to 4 and a "not shown" cell is 5 or more. When that is impossible, or when the
total itself is below the threshold, the whole breakdown is hidden ("not shown", zeros included)
and only the total remains.

A count hidden by subtraction is still given as the range anyone could work out from what is
shown and these rules ("12 to 15"), so a large group's size stays informative without pinning
down the small group beside it.

Percentages are given only for shown counts of a shown total, and rates only between two shown
counts, so none of them leads back to a hidden count either.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

State = Literal["shown", "small", "hidden"]


@dataclass(frozen=True)
class Cell:
    value: int
    state: State
    threshold: int
    # A hidden count's bounds, as public as the counts shown beside it.
    between: tuple[int, int] | None = None

    @property
    def shown(self) -> bool:
        return self.state == "shown"

    @property
    def label(self) -> str:
        if self.state == "small":
            return f"fewer than {self.threshold}"
        if self.state == "hidden":
            return f"{self.between[0]} to {self.between[1]}" if self.between else "not shown"
        return str(self.value)

    def percent_of(self, total: Cell) -> str:
        if not (self.shown and total.shown) or total.value == 0:
            return ""
        return f"{round(100 * self.value / total.value)}%"

    def ratio(self, whole: Cell) -> float:
        """For drawing a bar: 0 for anything not shown, so a bar never hints at a hidden count."""
        if not (self.shown and whole.shown) or whole.value == 0:
            return 0.0
        return self.value / whole.value


def one(value: int, threshold: int) -> Cell:
    return Cell(value, "small" if 0 < value < threshold else "shown", threshold)


def rate(part: Cell, whole: Cell) -> str:
    return part.percent_of(whole)


def independent(values: Sequence[int], threshold: int) -> list[Cell]:
    """Counts that do not add up to anything shown (options of a multi-choice question, themes)."""
    return [one(v, threshold) for v in values]


def partition(values: Sequence[int], threshold: int) -> tuple[list[Cell], Cell]:
    """Counts that add up to their total, shown beside them; returns (cells, total)."""
    total = one(sum(values), threshold)
    cells = independent(values, threshold)
    if not total.shown:
        # The whole group is small: any breakdown of it (even a 0) would say something about
        # each of its few members.
        return [Cell(v, "hidden", threshold) for v in values], total
    states: list[State] = [c.state for c in cells]
    while _recoverable(values, states, threshold):
        visible = [i for i, s in enumerate(states) if s == "shown" and values[i] > 0]
        if not visible:
            hidden = [Cell(v, "hidden", threshold) for v in values]
            return hidden, total
        states[min(visible, key=lambda i: (values[i], i))] = "hidden"
    ranges = _bounds(values, states, threshold)
    return [
        Cell(v, s, threshold, ranges.get(i) if s == "hidden" else None)
        for i, (v, s) in enumerate(zip(values, states, strict=True))
    ], total


def _recoverable(values: Sequence[int], states: Sequence[State], threshold: int) -> bool:
    """Could someone who knows the rules pin down any hidden count exactly?"""
    return any(least >= most for least, most in _bounds(values, states, threshold).values())


def _bounds(
    values: Sequence[int], states: Sequence[State], threshold: int
) -> dict[int, tuple[int, int]]:
    """The least and most each hidden count can be, worked out from public facts only: the
    total, the shown counts, and the rules above."""
    hidden = [i for i, s in enumerate(states) if s != "shown"]
    left = sum(values[i] for i in hidden)  # total minus the shown counts: public
    bounds = {i: (1, threshold - 1) if states[i] == "small" else (threshold, left) for i in hidden}
    low = sum(b[0] for b in bounds.values())
    high = sum(b[1] for b in bounds.values())
    return {
        i: (max(lo, left - (high - hi)), min(hi, left - (low - lo)))
        for i, (lo, hi) in bounds.items()
    }

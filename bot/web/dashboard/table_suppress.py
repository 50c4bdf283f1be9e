"""Suppression of a two-way table with its margins (a cross-tab): the grid version of
suppress.partition.

Primary: a count from 1 to threshold-1 reads "fewer than N"; a group (row or column) whose total
is below the threshold shows none of its breakdown, not even a 0.

Secondary: every row, every column and the margins is an equation (its cells add up to its total).
Someone who knows the rules knows each count not shown lies in a range: 1 to threshold-1 for
"fewer than N", threshold or more for one hidden by this step, 0 to threshold-1 inside a small
group. Every range is narrowed by every equation in turn, until none narrows further (what a reader
can work out by adding and subtracting across the whole table). While a count of fewer than the
threshold (or of a small group) is pinned to one value, the smallest shown count beside it in an
equation is hidden too (a cell before a total), and the ranges are worked out again. A large
count hidden only to protect a small one may be worked out: it describes a group big enough.
Narrowing ranges equation by equation is not a full integer audit: it can miss what solving
several equations together would give, the limit common to published-statistics tools of this kind.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.web.dashboard.suppress import Cell, State

INFINITE = 10**12


@dataclass
class _Term:
    value: int
    state: State
    # What a reader can tell about it when it is not shown (None: from its state).
    known: tuple[int, int] | None = None

    def bounds(self, threshold: int) -> tuple[int, int]:
        if self.state == "shown":
            return (self.value, self.value)
        if self.known is not None:
            return self.known
        return (1, threshold - 1) if self.state == "small" else (threshold, INFINITE)


Equations = list[tuple[list[_Term], _Term]]


def _ranges(equations: Equations, threshold: int) -> dict[int, tuple[int, int]]:
    """The range of every term, narrowed by every equation in turn until none narrows further:
    what a reader can work out from all that is shown and the rules."""
    ranges: dict[int, tuple[int, int]] = {}
    for cells, total in equations:
        for term in [*cells, total]:
            ranges.setdefault(id(term), term.bounds(threshold))
    changed = True
    while changed:
        changed = False
        for cells, total in equations:
            bounds = [ranges[id(c)] for c in cells]
            low, high = sum(b[0] for b in bounds), sum(b[1] for b in bounds)
            t_low, t_high = ranges[id(total)]
            narrowed = [
                (max(lo, t_low - (high - hi)), min(hi, t_high - (low - lo))) for lo, hi in bounds
            ]
            narrowed_total = (max(t_low, low), min(t_high, high))
            for term, new in zip([*cells, total], [*narrowed, narrowed_total], strict=True):
                old = ranges[id(term)]
                if new[0] > old[0] or new[1] < old[1]:
                    ranges[id(term)] = (max(old[0], new[0]), min(old[1], new[1]))
                    changed = True
    return ranges


def _shown(term: _Term) -> bool:
    return term.state == "shown"


def _protected(term: _Term) -> bool:
    """Every count not shown: a small one, and one hidden to protect it (were that worked out,
    it would be a known number beside the small one again)."""
    return term.state != "shown"


def _one(value: int, threshold: int) -> _Term:
    return _Term(value, "small" if 0 < value < threshold else "shown")


def suppress_table(
    counts: list[list[int]],
    row_totals: list[int],
    column_totals: list[int],
    total: int,
    threshold: int,
    *,
    rows_add_up: bool,
    columns_add_up: bool,
) -> tuple[list[list[Cell]], list[Cell], list[Cell], Cell]:
    """`rows_add_up`: a row's cells add up to its total (one answer each); `columns_add_up`: a
    column's cells add up to its total (each person in one row). Row totals add up to the grand
    total when the columns do, and column totals when the rows do."""
    grid = [[_one(v, threshold) for v in row] for row in counts]
    rows = [_one(v, threshold) for v in row_totals]
    columns = [_one(v, threshold) for v in column_totals]
    grand = _one(total, threshold)
    small_group = (0, threshold - 1)
    for r, row in enumerate(grid):
        for c, term in enumerate(row):
            if rows[r].state != "shown" or columns[c].state != "shown" or grand.state != "shown":
                term.state, term.known = "hidden", small_group
    if grand.state != "shown":
        for margin in rows + columns:
            if margin.state == "shown":
                margin.state, margin.known = "hidden", small_group
    equations: Equations = []
    if rows_add_up:
        equations += [(grid[r], rows[r]) for r in range(len(grid))]
        equations.append((columns, grand))
    if columns_add_up:
        equations += [([row[c] for row in grid], columns[c]) for c in range(len(columns))]
        equations.append((rows, grand))
    while True:
        ranges = _ranges(equations, threshold)
        exposed = {
            id(t)
            for cells, total in equations
            for t in [*cells, total]
            if _protected(t) and ranges[id(t)][0] >= ranges[id(t)][1]
        }
        if not exposed:
            break
        # Hide a count shown beside an exposed one: in the equation that pins it most tightly
        # (fewest counts hidden), the smallest cell, else its total.
        candidates = [
            (sum(not _shown(t) for t in [*cells, total]), is_total, term.value, n, term)
            for n, (cells, total) in enumerate(equations)
            if any(id(t) in exposed for t in [*cells, total])
            for is_total, term in [*((False, c) for c in cells), (True, total)]
            if term.state == "shown" and term.value > 0
        ]
        if not candidates:
            break  # nothing left to hide: every count beside the exposed one is hidden
        min(candidates, key=lambda c: c[:4])[4].state = "hidden"

    def cell(term: _Term) -> Cell:
        return Cell(term.value, term.state, threshold)

    return (
        [[cell(t) for t in row] for row in grid],
        [cell(t) for t in rows],
        [cell(t) for t in columns],
        cell(grand),
    )

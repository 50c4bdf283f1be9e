"""Suppression of a cross-tab: no count below the threshold is shown, and no line (row, column,
or the margins) that adds up to a shown total has exactly one count hidden, which subtraction
would give away."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.web.dashboard.suppress import Cell
from bot.web.dashboard.table_suppress import suppress_table

T = 5


def _table(counts: list[list[int]]) -> tuple[list[list[Cell]], list[Cell], list[Cell], Cell]:
    rows = [sum(r) for r in counts]
    columns = [sum(c) for c in zip(*counts, strict=True)]
    return suppress_table(
        counts, rows, columns, sum(rows), T, rows_add_up=True, columns_add_up=True
    )


def _sensitive(cell: Cell) -> bool:
    return not cell.shown and cell.value < T


def _given_away(line: list[Cell], total: Cell) -> bool:
    """A small count hidden alone beside a shown total, or a small total hidden beside its shown
    counts: either is had by adding or subtracting. (A shown 0 total gives away only zeros, which
    describe nobody.)"""
    hidden = [c for c in line if not c.shown]
    if total.shown:
        return total.value > 0 and len(hidden) == 1 and _sensitive(hidden[0])
    return not hidden and _sensitive(total)


@settings(max_examples=300, deadline=None)
@given(
    st.integers(1, 4).flatmap(
        lambda n_cols: st.lists(
            st.lists(st.integers(0, 14), min_size=n_cols, max_size=n_cols), min_size=1, max_size=4
        )
    )
)
def test_no_small_count_is_shown_nor_given_away(counts: list[list[int]]) -> None:
    cells, rows, columns, total = _table(counts)
    everything = [c for row in cells for c in row] + rows + columns + [total]
    assert all(not (c.shown and 0 < c.value < T) for c in everything)
    for r, row in enumerate(cells):
        assert not _given_away(row, rows[r])
    for c, column in enumerate(zip(*cells, strict=True)):
        assert not _given_away(list(column), columns[c])
    assert not _given_away(rows, total)
    assert not _given_away(columns, total)
    # A group smaller than the threshold shows none of its breakdown, not even a 0.
    for r, row in enumerate(cells):
        if rows[r].state == "small":
            assert all(not c.shown for c in row)


def test_a_small_area_beside_a_large_one() -> None:
    # North rated 3, 4 and 5 (13 people); south, two people, rated 2 and 4.
    cells, rows, columns, total = _table([[0, 0, 2, 5, 6], [0, 1, 0, 1, 0]])
    assert total.label == "15"
    assert rows[1].label == "fewer than 5"
    assert all(c.label == "not shown" for c in cells[1])
    # North's total would give south's away (15 - 13): it is hidden.
    assert not rows[0].shown
    assert [c.label for c in columns] == ["0", "fewer than 5", "fewer than 5", "6", "6"]
    # North's 6 for "5" would show that no south parent chose it (6 - 6): hidden too.
    assert [c.label for c in cells[0]] == ["0"] + ["not shown"] * 4


def test_a_table_of_large_groups_is_shown_whole() -> None:
    cells, rows, columns, total = _table([[10, 20], [30, 40]])
    assert [[c.label for c in r] for r in cells] == [["10", "20"], ["30", "40"]]
    assert [c.label for c in rows + columns + [total]] == ["30", "70", "40", "60", "100"]
    assert cells[0][1].percent_of(rows[0]) == "67%"


def test_one_small_cell_takes_a_second_with_it_in_its_row_and_column() -> None:
    cells, rows, _, _ = _table([[2, 20, 30], [40, 50, 60]])
    assert cells[0][0].label == "fewer than 5"
    assert sum(not c.shown for c in cells[0]) >= 2
    assert sum(not row[0].shown for row in cells) >= 2
    assert rows[0].shown

"""Suppression of a cross-tab: no count below the threshold is shown, and no line (row, column,
or the margins) that adds up to a shown total has exactly one count hidden, which subtraction
would give away."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.web.dashboard.crosstab import suppress_table
from bot.web.dashboard.suppress import Cell

T = 5


def _table(counts: list[list[int]]) -> tuple[list[list[Cell]], list[Cell], list[Cell], Cell]:
    rows = [sum(r) for r in counts]
    columns = [sum(c) for c in zip(*counts, strict=True)]
    return suppress_table(
        counts, rows, columns, sum(rows), T, rows_add_up=True, columns_add_up=True
    )


def _lone_hidden(line: list[Cell], total: Cell) -> bool:
    # A shown 0 total gives away only zeros: they describe nobody.
    return total.shown and total.value > 0 and sum(not c.shown for c in line) == 1


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
        assert not _lone_hidden(row, rows[r])
    for c, column in enumerate(zip(*cells, strict=True)):
        assert not _lone_hidden(list(column), columns[c])
    assert not _lone_hidden(rows, total)
    assert not _lone_hidden(columns, total)
    # A group smaller than the threshold shows none of its breakdown, not even a 0.
    for r, row in enumerate(cells):
        if not rows[r].shown:
            assert all(not c.shown for c in row)


def test_a_small_area_beside_a_large_one() -> None:
    # North rated 3, 4 and 5 (13 people); south, two people, rated 2 and 4.
    cells, rows, columns, total = _table([[0, 0, 2, 5, 6], [0, 1, 0, 1, 0]])
    assert total.label == "15"
    assert rows[1].label == "fewer than 5"
    assert all(c.label == "not shown" for c in cells[1])
    # North's total would give south's away (15 - 13): it is hidden, and so its cells.
    assert not rows[0].shown
    assert [c.label for c in columns] == ["0", "fewer than 5", "fewer than 5", "6", "6"]


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

"""Small-number suppression: no hidden count can be pinned down from what is shown."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.privacy.redact import redact
from bot.web.dashboard import suppress

T = 5


def possible(
    cells: list[suppress.Cell], total: suppress.Cell, *, read_ranges: bool = True
) -> list[tuple[int, ...]]:
    """Every set of counts consistent with what a reader sees, knowing the rules (and, unless
    told not to, the ranges given for hidden counts)."""
    ranges = []
    top = total.value if total.shown else 4 * len(cells)
    # With no "fewer than" cell, "not shown" is the whole breakdown withdrawn: any count at all.
    withdrawn = all(c.state != "small" for c in cells)
    for c in cells:
        if c.shown:
            ranges.append([c.value])
        elif c.state == "small":
            ranges.append(list(range(1, T)))
        elif read_ranges and c.between is not None:
            ranges.append(list(range(c.between[0], c.between[1] + 1)))
        else:
            ranges.append(list(range(0 if withdrawn else T, top + 1)))
    found = []
    for combo in itertools.product(*ranges):
        if total.shown and sum(combo) != total.value:
            continue
        if not total.shown and not 0 < sum(combo) < T:
            continue
        found.append(combo)
    return found


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=14), min_size=1, max_size=5))
def test_no_small_count_can_be_worked_out(values: list[int]) -> None:
    cells, total = suppress.partition(values, T)
    assert [c.value for c in cells] == values
    for c in cells:
        assert c.shown == (c.state == "shown")
        if 0 < c.value < T:
            assert not c.shown
            assert "fewer than" in c.label or c.label == "not shown"
        if not c.shown:
            assert str(c.value) != c.label
            assert c.percent_of(total) == ""
    options = possible(cells, total)
    assert tuple(values) in options
    # The ranges shown for hidden counts tell a reader nothing the rules had not already.
    assert options == possible(cells, total, read_ranges=False)
    for i, c in enumerate(cells):
        if 0 < c.value < T:
            assert len({o[i] for o in options}) > 1, (values, [x.label for x in cells])


def test_a_lone_small_group_takes_its_neighbour_with_it() -> None:
    cells, total = suppress.partition([14, 2], T)
    # The large group is still sized, as closely as the total allows without giving away the 2.
    assert [c.label for c in cells] == ["12 to 15", "fewer than 5"]
    assert total.label == "16"
    cells, total = suppress.partition([6, 6, 0, 3], T)
    assert [c.label for c in cells] == ["5 to 8", "6", "0", "fewer than 5"]
    cells, total = suppress.partition([3, 0], T)  # a small total: the breakdown is withdrawn
    assert [c.label for c in cells] == ["not shown", "not shown"]


def test_identifiers_are_blanked_from_free_text() -> None:
    said = "Call me on 07700 900123 or jo@example.com, my son Jacob loved it. We live in SW1A 1AA."
    assert redact(said) == (
        "Call me on [phone number] or [email], my son [name] loved it. We live in [postcode]."
    )
    assert redact("Rated it 4 out of 5 on 14/03/2026") == "Rated it 4 out of 5 on 14/03/2026"
    assert redact("I am really happy") == "I am really happy"

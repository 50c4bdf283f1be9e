"""Reading "filter by an answer" from a query string: whatever is typed gives either answers the
flow's closed questions offer, or a message saying what to fix; never anything else."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.web.dashboard import answer_filter
from bot.web.dashboard.filters import BadFilter
from flows.library import load_library

FLOW = load_library().get("post_event")
OFFERED = {f"{o.step_id}:{value}" for o in answer_filter.offers(FLOW) for value, _ in o.options}


@given(st.lists(st.one_of(st.sampled_from(sorted(OFFERED)), st.text(max_size=30)), max_size=8))
def test_typed_answers_are_offered_ones_or_refused(items: list[str]) -> None:
    try:
        found = answer_filter.parse({"answer": ",".join(items)}, FLOW)
    except BadFilter:
        return
    if found is None:
        assert not [i for item in items for i in item.split(",") if i.strip()]
    else:
        assert found.picked <= OFFERED


def test_answers_to_one_question_are_alternatives_and_to_two_all_hold() -> None:
    found = answer_filter.parse({"answer": "rating:1,rating:2,come_again:yes"}, FLOW)
    assert found is not None
    assert found.wanted == {"rating": frozenset({"1", "2"}), "come_again": frozenset({"yes"})}
    assert answer_filter.describe(FLOW, found) == [
        "Overall, how was [event name]?: 1 - Poor or 2 - Not great",
        "Would you come to another event like this?: Yes",
    ]


@pytest.mark.parametrize(
    "typed",
    ["rating:6", "worked_well:anything", "rating", ":1", "nonsense:1", "rating:1" + ",x" * 200],
)
def test_what_no_question_offers_is_refused(typed: str) -> None:
    with pytest.raises(BadFilter):
        answer_filter.parse({"answer": typed}, FLOW)


def test_an_answer_filter_needs_a_flow() -> None:
    with pytest.raises(BadFilter):
        answer_filter.parse({"answer": "rating:1"}, None)
    assert answer_filter.parse({"answer": ""}, None) is None

"""What changed between two versions of a flow, step by step and text by text."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from flows.changes import Change, compare
from flows.library import load_library
from flows.loader.flowfile import load_flow_text
from tests.storage.flow_texts import V1, V2


def _flow(text: str):
    return load_flow_text(text, "coffee_morning.yaml", expected_id="coffee_morning")


def test_changed_texts_added_options_and_messages_are_named_by_step() -> None:
    changes = compare(_flow(V1), _flow(V2))
    assert changes.settings == ()
    by_step = {s.step_id: (s.kind, s.changes) for s in changes.steps}
    assert by_step == {
        "rating": (
            "changed",
            (
                Change(
                    "Question (en)",
                    "How useful was the coffee morning?",
                    "Was the coffee morning useful to you?",
                ),
            ),
        ),
        "come_again": ("changed", (Change("Option maybe (en)", "", "Maybe"),)),
        "thanks": (
            "changed",
            (Change("Message (en)", "Thank you, goodbye.", "Thanks! See you at the next one."),),
        ),
    }
    assert [c.kind for _, cs in by_step.values() for c in cs] == ["changed", "added", "changed"]


def test_added_and_removed_steps_branches_and_settings() -> None:
    new = V1.replace("title: Coffee morning feedback", "title: Coffee morning").replace(
        "      - if: rating <= 2\n        go: what_went_wrong\n      - go: come_again\n",
        "      - if: rating <= 1\n        go: what_went_wrong\n      - go: come_again\n",
    )
    new = new.replace(
        "  - id: thanks\n    type: message\n",
        "  - id: extra\n    type: text\n    ask: Anything else?\n  - id: thanks\n    type: message\n",
    ).replace(
        '  - id: what_went_wrong\n    type: text\n    ask: "Sorry about that. What could we do '
        'better?"\n',
        "",
    )
    new = new.replace("go: what_went_wrong", "go: come_again")
    changes = compare(_flow(V1), _flow(new))
    assert changes.settings == (Change("Title", "Coffee morning feedback", "Coffee morning"),)
    kinds = {s.step_id: s.kind for s in changes.steps}
    assert kinds == {"rating": "changed", "extra": "added", "what_went_wrong": "removed"}
    (rating,) = [s for s in changes.steps if s.step_id == "rating"]
    assert rating.changes == (
        Change(
            "Next",
            "if rating <= 2: what_went_wrong; then come_again",
            "if rating <= 1: come_again; then come_again",
        ),
    )
    (extra,) = [s for s in changes.steps if s.step_id == "extra"]
    assert extra.summary == "text: Anything else?"


def test_moved_steps_give_the_new_order() -> None:
    a, b = "  - id: thanks\n", "  - id: come_again\n"
    lines = V1.split(b)
    moved = lines[0] + a + V1.split(a)[1] + b + lines[1].split(a)[0]
    changes = compare(_flow(V1), _flow(moved))
    assert changes.order == ("rating", "what_went_wrong", "thanks", "come_again")


@given(st.sampled_from(sorted(f.id for f in load_library())))
def test_a_flow_compared_with_itself_has_no_changes(flow_id: str) -> None:
    flow = load_library().get(flow_id)
    assert compare(flow, flow).empty

"""The flow diagram's layout: every way on is drawn once, labelled, and no label sits on a line."""

from __future__ import annotations

import itertools

import pytest

from bot.web.dashboard.flowchart import CHAR_W, FINISH, START, Branch, branches, layout, outline
from flows.library import load_library
from flows.loader.flowfile import load_flow_text
from flows.schema import Flow

LIBRARY = load_library()

LOOPING = """
format: 1
id: looping
version: 3
title: A flow that can go back
audience: parent
languages: [en]
steps:
  - id: first
    type: yes_no
    ask: {en: "Ready?"}
  - id: second
    type: scale
    range: [1, 3]
    labels: {1: {en: Bad}, 2: {en: OK}, 3: {en: Good}}
    ask: {en: "How was it?"}
    next:
      - if: second <= 2
        go: first
      - if: second == 3
        go: end
  - id: third
    type: text
    ask: {en: "Tell us more"}
"""


def test_branches_follow_the_engine_order_and_say_when() -> None:
    flow = LIBRARY.get("post_event")
    assert branches(flow, flow.step("attended")) == [
        Branch("what_stopped", "if attended == no"),
        Branch("rating", "otherwise"),
    ]
    assert branches(flow, flow.step("intro")) == [Branch("attended", None)]
    assert branches(flow, flow.step("thanks")) == [Branch("end", None)]


def test_a_loop_back_and_an_early_end_are_drawn_to_the_side() -> None:
    flow = load_flow_text(LOOPING)
    chart = layout(flow)
    drawn = {(e.source, e.target): e for e in chart.edges}
    assert set(drawn) == {
        (START, "first"),
        ("first", "second"),
        ("second", "first"),
        ("second", FINISH),
        ("second", "third"),
        ("third", FINISH),
    }
    back = drawn[("second", "first")]
    assert not back.straight
    assert back.label == "if second <= 2"
    assert drawn[("second", FINISH)].label == "if second == 3"
    assert drawn[("second", "third")].label == "otherwise"
    assert drawn[("second", "third")].straight
    assert [s.branches for s in outline(flow)][1] == [
        ("first", "if second <= 2"),
        ("end", "if second == 3"),
        ("third", "otherwise"),
    ]


@pytest.mark.parametrize("flow", [*LIBRARY, load_flow_text(LOOPING)], ids=lambda f: f.id)
def test_every_label_fits_before_the_next_lane_and_the_chart_fits_a_laptop(flow: Flow) -> None:
    chart = layout(flow)
    for edge in chart.edges:
        if edge.straight or not edge.label:
            continue
        lane = edge.label_x - 6
        end = edge.label_x + len(edge.label) * CHAR_W
        assert all(not lane < other < end for other in chart.lanes), edge
    boxes = sorted(chart.nodes, key=lambda n: n.y)
    assert all(a.bottom < b.y for a, b in itertools.pairwise(boxes))
    assert chart.width <= 1200

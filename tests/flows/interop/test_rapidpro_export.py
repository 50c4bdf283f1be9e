"""Flows go out as RapidPro/TextIt exports and come back with their questions, options, branches
and translations, so a council is never locked in."""

from __future__ import annotations

import json
from typing import Any

import pytest

from flows.interop.rapidpro_export import export_flow
from flows.interop.rapidpro_import import read_export
from flows.library import LIBRARY_DIR, load_library
from flows.loader.flowfile import load_flow_text
from flows.schema import Flow, Step, StepType
from tests.flows.interop.talk import run

LIBRARY = load_library([LIBRARY_DIR])


def _round_trip(flow: Flow) -> tuple[Flow, dict[str, Any], list[str]]:
    document, unmapped = export_flow(flow)
    # Through JSON, as a file would go.
    result = read_export(json.loads(json.dumps(document)))
    (imported,) = result.flows
    back = load_flow_text(imported.yaml(), source=f"{imported.flow_id}.yaml")
    return back, document, unmapped


def _shape(step: Step) -> tuple[Any, ...]:
    options = tuple(tuple(sorted(o.label.items())) for o in step.options)
    points = tuple((p.value, tuple(sorted(p.label.items()))) for p in step.points)
    return step.type, tuple(sorted(step.text.items())), options, points


@pytest.mark.parametrize("flow_id", ["post_event", "young_person_voice", "ehcp_experience"])
def test_a_bundled_flow_comes_back_with_its_questions_options_and_translations(
    flow_id: str,
) -> None:
    flow = LIBRARY.get(flow_id)
    back, _, _ = _round_trip(flow)
    mine = {s.id: _shape(s) for s in flow.steps if s.is_question}
    theirs = {s.id: _shape(s) for s in back.steps if s.is_question}
    assert theirs.keys() == mine.keys()
    for step_id, shape in mine.items():
        step_type = shape[0]
        expected = (StepType.CHOICE, *shape[1:]) if step_type is StepType.MULTI_CHOICE else shape
        assert theirs[step_id] == expected, step_id
    assert back.languages == flow.languages
    assert back.start_keyword == flow.start_keyword
    assert back.expires_after == flow.expires_after


def test_branches_survive_the_round_trip() -> None:
    flow = LIBRARY.get("post_event")
    back, _, _ = _round_trip(flow)
    # The built-in "who is answering?" is ours, not the flow's: it is not exported.
    assert back.who_answered is None
    who = ["1"]
    for replies in (["no", "the time"], ["yes", "1", "too long"], ["yes", "5", "all of it"]):
        assert run(back, replies)[-1] == run(flow, [*who, *replies])[-1], replies
    # An option chosen in a branch's list leads where it did.
    forum = ["yes", "4", "a", "b", "yes", "yes", "join the forum"]
    assert run(back, forum)[-2:] == run(flow, [*who, *forum])[-2:]


def test_the_export_is_to_the_published_spec_and_the_same_each_time() -> None:
    flow = LIBRARY.get("post_event")
    document, _ = export_flow(flow)
    assert json.dumps(document) == json.dumps(export_flow(flow)[0])
    (exported,) = document["flows"]
    assert exported["spec_version"].startswith("13.")
    assert exported["language"] == "eng"
    assert set(exported["localization"]) == {"cym"}
    nodes = {n["uuid"]: n for n in exported["nodes"]}
    for node in nodes.values():
        for exit_ in node["exits"]:
            assert exit_.get("destination_uuid") in (None, *nodes)
        router = node.get("router")
        if router:
            categories = {c["uuid"] for c in router["categories"]}
            assert router["default_category_uuid"] in categories
            assert {c["exit_uuid"] for c in router["categories"]} == {
                e["uuid"] for e in node["exits"]
            }
            assert all(case["category_uuid"] in categories for case in router["cases"])
    assert set(exported["_ui"]["nodes"]) == set(nodes)
    assert document["triggers"][0]["keywords"] == ["feedback"]


def test_what_rapidpro_cannot_hold_is_listed() -> None:
    _, _, unmapped = _round_trip(LIBRARY.get("post_event"))
    assert "use_learning: dont_know, skip not exported (RapidPro has no such answers)" in unmapped

"""RapidPro/TextIt exports become flow files: what maps is kept, everything else is listed."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flows.engine import start
from flows.interop.rapidpro_common import RapidProError
from flows.interop.rapidpro_import import read_export
from flows.loader.flowfile import load_flow_text
from flows.schema import Flow, StepType
from tests.flows.interop.talk import run

EXPORTS = Path(__file__).parent / "exports"


def _export(name: str) -> dict[str, Any]:
    return json.loads((EXPORTS / f"{name}.json").read_text(encoding="utf-8"))


def _flow(name: str) -> tuple[Flow, list[str]]:
    result = read_export(_export(name))
    (imported,) = result.flows
    flow = load_flow_text(imported.yaml(), source=f"{imported.flow_id}.yaml")
    return flow, [str(u) for u in (*result.unmapped, *imported.unmapped)]


def test_a_five_question_survey_in_english_and_welsh_keeps_its_questions_and_translations() -> None:
    flow, unmapped = _flow("five_questions")
    questions = [s for s in flow.steps if s.is_question]
    assert [(s.id, s.type) for s in questions] == [
        ("useful", StepType.YES_NO),
        ("rating", StepType.SCALE),
        ("helped_most", StepType.CHOICE),
        ("children", StepType.NUMBER),
        ("anything_else", StepType.TEXT),
    ]
    assert flow.languages == ("en", "cy")
    assert flow.start_keyword == "COFFEE"
    assert flow.expires_after.days == 3
    first = flow.steps[0]
    assert first.text["en"].startswith("Hi {first_name}, thanks for coming to {event_name}.")
    assert first.text["cy"].startswith("Helo {first_name}, diolch am ddod i {event_name}.")
    # A message node followed by its wait node is one question.
    rating = flow.step("rating")
    assert rating.text["en"] == "How would you rate it? Reply 1 (poor) to 5 (excellent)"
    first_point = rating.points[0]
    assert (first_point.value, first_point.label["en"], first_point.label["cy"]) == (
        1,
        "Poor",
        "Gwael",
    )
    helped = flow.step("helped_most")
    assert [o.label["cy"] for o in helped.options] == [
        "Y siaradwr",
        "Cwrdd â rhieni eraill",
        "Y wybodaeth",
    ]
    assert helped.options[1].aliases["en"] == ("parents", "chatting", "meeting")
    assert helped.options[0].aliases["cy"] == ("sgwrs",)
    # The only thing not mapped is what RapidPro never says: who the flow is for.
    assert unmapped == [
        "flows[0] (Coffee morning survey) audience: set to 'any': change it to parent or young_person"
    ]


def test_categories_and_their_exits_become_branches() -> None:
    flow, _ = _flow("five_questions")
    # "No" goes to a message first; the rest go on to the rating.
    assert run(flow, ["no", "2", "nothing"])[2:4] == [
        "Sorry to hear that. We want to do better.",
        "How would you rate it? Reply 1 (poor) to 5 (excellent)",
    ]
    # A low rating skips the "what helped" question.
    low = run(flow, ["yes", "1"])
    assert low[-1] == "Anything else you would like to tell us?"
    high = run(flow, ["yes", "4", "the speaker", "2", "more of this"])
    assert "What helped most? The speaker, meeting other parents, or the information?" in high
    assert high[-1] == "Thank you! We read every reply."


def test_an_other_category_that_loops_back_is_the_engines_own_re_ask() -> None:
    flow, _ = _flow("five_questions")
    said = run(flow, ["maybe"])
    assert said[-1] != said[1]  # not the question word for word: the engine's re-ask
    assert "yes" in said[-1].lower()
    assert all(r.go != "useful" for r in flow.step("useful").next)


def test_everything_that_does_not_map_is_listed_with_where_it_was() -> None:
    flow, unmapped = _flow("every_kind")
    text = "\n".join(unmapped)
    for expected in [
        "language 'fra' not imported",
        "node 1 action call_webhook: a webhook call not imported",
        "node 1: a split on @results.check.category not imported; the flow follows 'Success'",
        "node 2 action set_contact_field: setting a contact field not imported",
        "node 2 action add_contact_groups: adding the contact to groups not imported",
        "node 3: a random split not imported; the flow follows 'Bucket 1'",
        "node 4: a split by contact group not imported",
        "node 5 action enter_flow: a sub-flow not imported",
        "node 6: the 'No Response' timeout is not imported",
        "node 6: branches on dates are not imported",
        "node 7 action send_msg: media attachments not imported (the text is)",
        "node 7 action send_msg: expression(s) @fields.district left in the text",
        "node 8 action open_ticket: a ticket not imported",
        "node 9 action call_classifier: a classifier (NLU) call not imported",
        "triggers[1]: a trigger of type 'C' not imported",
        "export campaigns: 1 campaign(s) not imported (Review reminders)",
        "export fields: 1 contact field(s) not imported (District)",
        "export groups: 1 group(s) not imported (Survey takers)",
        "only the first keyword is the start keyword (CHECK)",
    ]:
        assert expected in text, expected
    # What does map still runs, from the first message a person would get.
    assert [s.type for s in flow.steps if s.is_question] == [StepType.DATE]
    assert flow.steps[0].text["en"] == "Welcome to the check-in."


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ([], "expected a RapidPro/TextIt export"),
        ({"flows": []}, "has no 'flows' list"),
        ({"flows": [{"name": "X", "spec_version": "12.0.0", "nodes": []}]}, "'12.0.0' is not"),
        ({"flows": [{"name": "X", "spec_version": "13.0", "nodes": []}]}, "the flow has no nodes"),
        (
            {"flows": [{"name": "X", "spec_version": "13.0", "nodes": [{"actions": []}]}]},
            "nodes[0]: expected a node with a uuid",
        ),
        (
            {"flows": [{"name": "X", "spec_version": "14", "language": "spa", "nodes": []}]},
            "base language 'spa' is not English or Welsh",
        ),
    ],
)
def test_a_broken_export_says_what_is_wrong(doc: Any, message: str) -> None:
    with pytest.raises(RapidProError, match=re.escape(message)):
        read_export(doc)


def test_a_legacy_export_is_refused_with_how_to_fix_it() -> None:
    with pytest.raises(RapidProError, match=r"legacy export.*export it again"):
        read_export(_export("legacy"))


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=5)
    ),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(
    nodes=st.lists(
        st.fixed_dictionaries(
            {"uuid": st.sampled_from(["a", "b", "c"])},
            optional={"actions": _json, "router": _json, "exits": _json},
        ),
        max_size=4,
    ),
    extra=_json,
)
def test_any_export_either_imports_to_a_loadable_flow_or_says_why(nodes: Any, extra: Any) -> None:
    doc = {
        "flows": [{"name": "Fuzz", "spec_version": "13.1.0", "language": "eng", "nodes": nodes}],
        "triggers": extra,
    }
    try:
        result = read_export(doc)
    except RapidProError:
        return
    for imported in result.flows:
        flow = load_flow_text(imported.yaml(), source="fuzz.yaml")
        start(flow, {}, None, "en")  # it runs

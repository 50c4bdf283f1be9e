from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flows.errors import FlowValidationError
from flows.library import LIBRARY_DIR, load_library
from flows.loader.flowfile import load_flow, load_flow_text
from flows.schema import Audience, StepType

ROOT = Path(__file__).resolve().parents[2]
BROKEN = sorted((ROOT / "tests/flows/broken").glob("*.yaml"))


@pytest.mark.parametrize("path", BROKEN, ids=[p.stem for p in BROKEN])
def test_each_broken_flow_gives_its_exact_error(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    expected = path.with_suffix(".error").read_text(encoding="utf-8").rstrip("\n")
    with pytest.raises(FlowValidationError) as caught:
        load_flow(path.relative_to(ROOT))
    assert str(caught.value) == expected


def test_every_broken_flow_has_an_expected_error_file() -> None:
    assert len(BROKEN) >= 15
    for path in BROKEN:
        assert path.with_suffix(".error").exists(), path


def test_the_bundled_library_loads() -> None:
    library = load_library()
    assert {f.id for f in library} == {
        "post_event",
        "ehcp_experience",
        "young_person_voice",
        "you_said_we_did",
    }
    assert library.by_keyword("feedback") is library.get("post_event")
    assert library.get("post_event").languages == ("en", "cy")
    assert library.get("young_person_voice").audience is Audience.YOUNG_PERSON
    assert "cy" in library.get("young_person_voice").translation_review


def test_young_person_scales_have_words_and_emoji_on_every_point() -> None:
    flow = load_library().get("young_person_voice")
    scales = [s for s in flow.steps if s.type is StepType.SCALE]
    assert len(scales) >= 4
    for step in scales:
        assert len(step.points) == 3
        for point in step.points:
            assert point.emoji
            assert all(point.label[lang].strip() for lang in flow.languages)


def test_duplicate_start_keywords_across_files_are_reported(tmp_path: Path) -> None:
    source = (LIBRARY_DIR / "post_event.yaml").read_text(encoding="utf-8")
    copy = tmp_path / "post_event_copy.yaml"
    copy.write_text(source.replace("id: post_event", "id: post_event_copy"), encoding="utf-8")
    with pytest.raises(FlowValidationError) as caught:
        load_library([LIBRARY_DIR, copy])
    assert any(
        p.field == "start_keyword" and "FEEDBACK" in p.message for p in caught.value.problems
    )


def test_every_problem_is_reported_at_once_in_line_order() -> None:
    text = """format: 1
id: many
version: 1
title: Many problems
audience: teachers
languages: [en]
steps:
  - id: q
    type: scale
    ask: How?
    range: [5, 1]
    labels: {}
"""
    with pytest.raises(FlowValidationError) as caught:
        load_flow_text(text, "many.yaml")
    lines = [p.line for p in caught.value.problems]
    assert lines == sorted(lines)
    assert [p.field for p in caught.value.problems] == ["audience", "steps[0] (q).range"]


def test_a_one_language_flow_may_use_plain_strings() -> None:
    flow = load_flow_text(
        "format: 1\nid: plain\nversion: 1\ntitle: T\naudience: any\nlanguages: [en]\n"
        'steps:\n  - {id: q, type: text, ask: "Anything else?"}\n',
        "plain.yaml",
    )
    assert flow.steps[0].text == {"en": "Anything else?"}


def test_duplicate_keys_are_reported() -> None:
    text = "format: 1\nid: d\nversion: 1\ntitle: T\ntitle: U\naudience: any\nlanguages: [en]\n"
    text += "steps:\n  - {id: q, type: text, ask: Hi}\n"
    with pytest.raises(FlowValidationError) as caught:
        load_flow_text(text, "d.yaml")
    assert str(caught.value) == "d.yaml:5: title: appears twice; each field may appear once"


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_text_either_loads_or_fails_with_located_problems(text: str) -> None:
    try:
        load_flow_text(text, "fuzz.yaml")
    except FlowValidationError as exc:
        assert exc.problems
        assert all(p.file == "fuzz.yaml" and p.line >= 1 for p in exc.problems)


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_mutated_library_flows_never_crash_the_loader(data: st.DataObject) -> None:
    source = (LIBRARY_DIR / "post_event.yaml").read_text(encoding="utf-8")
    lines = source.splitlines()
    i = data.draw(st.integers(0, len(lines) - 1))
    lines[i] = data.draw(st.sampled_from(["", "  - x", "foo: [", "    type: 7", lines[i][::-1]]))
    try:
        load_flow_text("\n".join(lines), "post_event.yaml")
    except FlowValidationError as exc:
        assert exc.problems

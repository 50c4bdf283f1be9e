"""The editor's form and the flow file: every bundled flow survives the form unchanged, and what the
condition builder writes is what the loader reads back into the same boxes."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from starlette.datastructures import FormData

from bot.web.dashboard import editor_form as ef
from flows.loader.flowfile import load_flow_text
from flows.schema import Flow

LIBRARY = sorted((Path(__file__).resolve().parents[4] / "flows" / "library").glob("*.yaml"))


def without_lines(flow: Flow) -> Flow:
    steps = tuple(dataclasses.replace(s, line=0) for s in flow.steps)
    return dataclasses.replace(flow, steps=steps, source="", description=flow.description.strip())


def as_posted(form: ef.FlowForm) -> FormData:
    """The form as the browser posts it, by rendering names the template uses."""
    items: list[tuple[str, str]] = [
        ("id", form.id),
        ("title", form.title),
        ("description", form.description),
        ("audience", form.audience),
        ("start_keyword", form.start_keyword),
        ("expires_after", form.expires_after),
        ("who_answered", form.who_answered),
        ("kept", ef.dump_kept(form)),
        *[("languages", lang) for lang in form.languages],
    ]
    for i, step in enumerate(form.steps):
        p = f"s{i}."
        items += [(f"{p}id", step.id), (f"{p}type", step.type)]
        for name, texts in (("text", step.text), ("help", step.help)):
            items += [(f"{p}{name}.{k}", v) for k, v in texts.items()]
        items += [(f"{p}yes.{k}", v) for k, v in step.yes_label.items()]
        items += [(f"{p}no.{k}", v) for k, v in step.no_label.items()]
        items += [(f"{p}allow", a) for a in step.allow]
        items += [(f"{p}range_lo", step.range_lo), (f"{p}range_hi", step.range_hi)]
        items += [(f"{p}max_length", step.max_length), (f"{p}min", step.minimum)]
        items += [(f"{p}max", step.maximum), (f"{p}integer", "yes" if step.integer else "no")]
        items += [(f"{p}min_choices", step.min_choices), (f"{p}max_choices", step.max_choices)]
        for n, label in step.points.items():
            items += [(f"{p}p{n}.label.{k}", v) for k, v in label.items()]
        items += [(f"{p}p{n}.emoji", e) for n, e in step.point_emoji.items()]
        for j, o in enumerate(step.options):
            q = f"{p}o{j}."
            items += [(f"{q}present", "1"), (f"{q}value", o.value), (f"{q}emoji", o.emoji)]
            items += [(f"{q}label.{k}", v) for k, v in o.label.items()]
            items += [(f"{q}aliases.{k}", v) for k, v in o.aliases.items()]
            if o.exclusive:
                items.append((f"{q}exclusive", "1"))
        for k, b in enumerate(step.branches):
            q = f"{p}b{k}."
            items += [(f"{q}present", "1"), (f"{q}question", b.question), (f"{q}op", b.op)]
            items += [(f"{q}value", b.value), (f"{q}go", b.go), (f"{q}written", b.written)]
    return FormData(items)


@pytest.mark.parametrize("path", LIBRARY, ids=lambda p: p.stem)
def test_every_bundled_flow_comes_back_from_the_form_unchanged(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    original = load_flow_text(text, path.name)
    # Shown (with the empty rows to fill in), posted back, written out, loaded again.
    posted = ef.from_fields(as_posted(ef.padded(ef.from_yaml(text))))
    again = load_flow_text(ef.to_yaml(posted), path.name)
    assert without_lines(again) == without_lines(original)


def test_a_text_that_is_not_a_flow_goes_to_the_yaml_box() -> None:
    for text in ("steps: [", "- just a list", "steps: 3"):
        with pytest.raises(ef.FormError):
            ef.from_yaml(text)


KINDS = {"rating": "scale", "came": "yes_no", "stay": "choice", "topics": "multi_choice"}
names = st.sampled_from(sorted(KINDS))
words = st.from_regex(r"[a-z][a-z_]{0,8}", fullmatch=True)


@st.composite
def branches(draw: st.DrawFn) -> ef.Branch:
    question = draw(names)
    kind = KINDS[question]
    if kind == "multi_choice":
        op, value = draw(st.sampled_from(["includes", "answered", "skipped"])), draw(words)
    elif kind == "scale":
        op = draw(st.sampled_from(["==", "!=", "<", "<=", ">", ">=", "answered", "skipped"]))
        value = str(draw(st.integers(0, 10)))
    elif kind == "yes_no":
        op, value = draw(st.sampled_from(["==", "!="])), draw(st.sampled_from(["yes", "no"]))
    else:
        op, value = draw(st.sampled_from(["==", "!="])), draw(words)
    if op in ef.NO_VALUE:
        value = ""
    return ef.Branch(question=question, op=op, value=value, go=draw(words))


@given(branches())
def test_the_condition_builder_reads_back_what_it_wrote(branch: ef.Branch) -> None:
    written = ef.condition(branch, KINDS)
    assert ef.parse_condition(written, branch.go) == branch


@given(st.sampled_from(["came == yes and rating >= 4", "(rating <= 2 or skipped(rating))"]))
def test_a_condition_the_boxes_cannot_hold_is_kept_as_written(source: str) -> None:
    branch = ef.parse_condition(source, "thanks")
    assert branch.written == source
    assert ef.condition(branch, KINDS) == source

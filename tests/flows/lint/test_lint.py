from __future__ import annotations

from flows.library import load_library
from flows.lint.checks import lint
from flows.lint.diagram import mermaid
from flows.loader.flowfile import load_flow_text

HEAD = "format: 1\nid: t\nversion: 1\ntitle: T\naudience: {audience}\nlanguages: [en]\nsteps:\n"


def flow(audience: str, steps: str):
    return load_flow_text(HEAD.format(audience=audience) + steps, "t.yaml")


def messages(f) -> list[str]:
    return [w.message for w in lint(f)]


def test_smart_quotes_and_dashes_in_an_sms_prompt_are_flagged() -> None:
    f = flow("parent", '  - {id: q, type: text, ask: "What’s next – for you?"}\n')
    found = messages(f)
    assert any("GSM-7" in m and "'’'" in m and "'–'" in m for m in found)


def test_a_long_sms_question_is_flagged_with_its_segment_count() -> None:
    f = flow("parent", f'  - {{id: q, type: text, ask: "{"Tell us more. " * 20}"}}\n')
    assert any("needs 2 SMS segments" in m for m in messages(f))


def test_young_person_long_sentences_and_hard_words_are_flagged() -> None:
    text = (
        "Considering everything that has happened this year, how would you characterise your "
        "experiences of the transitional arrangements and the communication you received?"
    )
    f = flow("young_person", f'  - {{id: q, type: text, ask: "{text}"}}\n')
    found = messages(f)
    assert any(m.startswith("long sentence") for m in found)
    assert any("characterise" in m for m in found if m.startswith("long or hard words"))
    assert any(m.startswith("reading age") for m in found)


def test_unreachable_steps_and_trapped_loops_are_flagged() -> None:
    steps = """  - id: a
    type: yes_no
    ask: Go?
    next: c
  - id: b
    type: text
    ask: Never asked
  - id: c
    type: message
    say: Round
    next: d
  - id: d
    type: message
    say: and round
    next: c
"""
    found = messages(flow("any", steps))
    assert "no route leads to this step, so nobody will ever see it" in found
    assert "loop with no way out: c -> d -> c" in found


def test_a_loop_with_an_exit_is_not_flagged() -> None:
    steps = """  - id: a
    type: yes_no
    ask: Again?
    next:
      - if: a == yes
        go: a
"""
    assert not any("loop" in m for m in messages(flow("any", steps)))


def test_bundled_english_sms_flows_stay_in_gsm7() -> None:
    for f in load_library():
        for w in lint(f):
            if "leaves the GSM-7 alphabet" in w.message:
                assert w.field.split(".")[-1] != "en", str(w)


def test_mermaid_diagram_shows_every_step_and_branch() -> None:
    f = load_library().get("post_event")
    diagram = mermaid(f)
    assert diagram.startswith("flowchart TD\n")
    for step in f.steps:
        assert f"    {step.id}" in diagram
    assert '-- "rating #lt;= 2" -->' in diagram
    assert "--> finish" in diagram


def test_a_flow_that_says_nothing_about_who_answered_is_flagged() -> None:
    f = flow("parent", "  - {id: q, type: text, ask: 'What worked?'}\n")
    assert any("who answered" in w.message and w.field == "who_answered" for w in lint(f))


def test_who_answered_ask_or_off_satisfies_the_lint() -> None:
    for setting in ("ask", "off"):
        text = HEAD.format(audience="parent").replace(
            "steps:\n", f"who_answered: {setting}\nsteps:\n"
        )
        f = load_flow_text(text + "  - {id: q, type: text, ask: 'What worked?'}\n", "t.yaml")
        assert not any(w.field == "who_answered" for w in lint(f)), setting


def test_every_bundled_flow_asks_who_answered_without_a_warning_on_it() -> None:
    for f in load_library():
        assert f.who_answered is not None, f.id
        assert not [w for w in lint(f) if "who_answered" in w.field], f.id

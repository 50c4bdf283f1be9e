"""The lint's emoji-never-alone check: scale labels, choice options, yes/no labels and messages."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from flows.lint.checks import lint
from flows.lint.emoji import emoji_alone
from flows.loader.flowfile import load_flow_text

HEAD = "format: 1\nid: t\nversion: 1\ntitle: T\naudience: young_person\nlanguages: [en]\nsteps:\n"


def alone(steps: str) -> list[str]:
    flow = load_flow_text(HEAD + steps, "t.yaml")
    return [w.field for w in lint(flow) if "emoji alone" in w.message]


def test_a_choice_option_that_is_only_an_emoji_is_flagged() -> None:
    steps = """  - id: mood
    type: choice
    ask: How was it?
    options:
      - {value: good, label: "👍"}
      - {value: bad, label: "👎 Not good"}
"""
    assert alone(steps) == ["steps[0] (mood).options[0].label.en"]


def test_a_message_that_is_only_emoji_is_flagged() -> None:
    assert alone('  - {id: bye, type: message, say: "🎉 🙌"}\n') == ["steps[0] (bye).say.en"]


def test_a_scale_label_that_is_only_an_emoji_is_flagged() -> None:
    steps = """  - id: rate
    type: scale
    ask: How was it?
    range: [1, 3]
    labels: {1: "😞", 2: OK, 3: Good}
"""
    assert alone(steps) == ["steps[0] (rate).labels.1.en"]


def test_yes_no_labels_are_checked_too() -> None:
    steps = """  - id: again
    type: yes_no
    ask: Come again?
    labels: {yes: "✅", no: "No thanks"}
"""
    assert alone(steps) == ["steps[0] (again).labels.yes.en"]


def test_words_beside_an_emoji_are_enough() -> None:
    steps = """  - id: mood
    type: choice
    ask: "How was it? 🙂"
    options:
      - {value: good, label: "Good", emoji: "👍"}
      - {value: bad, label: "2 👎"}
"""
    assert alone(steps) == []


def test_the_bundled_flows_have_no_emoji_alone() -> None:
    from flows.library import load_library

    for flow in load_library():
        assert not [w for w in lint(flow) if "emoji alone" in w.message], flow.id


@given(st.text(alphabet=st.characters(categories=("L", "N")), min_size=1), st.text())
def test_any_text_with_a_letter_or_digit_is_never_emoji_alone(words: str, rest: str) -> None:
    assert not emoji_alone(rest + words + rest)


@given(st.lists(st.sampled_from("🙂👍🎉😞✅★♥"), min_size=1), st.sampled_from(["", " ", "  "]))
def test_pictures_with_nothing_else_are_emoji_alone(pictures: list[str], gap: str) -> None:
    assert emoji_alone(gap.join(pictures))

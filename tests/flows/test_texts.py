"""Filling a text with names: values go in as given, and a text never reads "Hi ," or "y digwyddiad:"
at the start of a sentence."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from flows.texts import fill

# Names as councils write them: letters first, single spaces, the odd apostrophe, hyphen or colon.
NAMES = st.from_regex(r"[^\W_][\w'’:-]*( [\w'’:-]+){0,4}", fullmatch=True)


def test_a_lower_case_value_opening_a_sentence_is_capitalised() -> None:
    assert fill("{event_name}: fuoch chi yno?", {"event_name": "y digwyddiad"}) == (
        "Y digwyddiad: fuoch chi yno?"
    )
    assert fill("Helo. {event_name}: ie?", {"event_name": "y bore coffi"}) == (
        "Helo. Y bore coffi: ie?"
    )
    assert fill("Hi!\n{council_name} here.", {"council_name": "the council"}) == (
        "Hi!\nThe council here."
    )


def test_a_value_inside_a_sentence_is_left_as_given() -> None:
    assert fill("Did you go to {event_name}?", {"event_name": "the event"}) == (
        "Did you go to the event?"
    )
    assert fill("Sut oedd {event_name}?", {"event_name": "y bore coffi"}) == (
        "Sut oedd y bore coffi?"
    )


def test_an_empty_value_leaves_no_stray_space_before_punctuation() -> None:
    assert fill("Helo {first_name}! 👋", {}) == "Helo! 👋"
    assert fill("Hi {first_name}, a few questions.", {"first_name": ""}) == ("Hi, a few questions.")
    assert fill("Helo {first_name}.", {}) == "Helo."


@given(NAMES)
def test_a_value_mid_sentence_is_inserted_verbatim(value: str) -> None:
    assert fill("About {event_name} today", {"event_name": value}) == f"About {value} today"


@given(NAMES)
def test_a_value_opening_a_sentence_changes_at_most_its_first_letter(value: str) -> None:
    filled = fill("{event_name} today", {"event_name": value})
    assert filled[1:] == f"{value} today"[1:]
    assert filled[0] in (value[0], value[0].upper())

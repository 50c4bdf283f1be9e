"""Replies as people text them: relative dates, declining in words or emoji, lists with "none",
numbers with reasons, and the risky accepts that must be asked again instead (issue 22)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from flows import engine
from flows.errors import FlowValidationError
from flows.loader.flowfile import load_flow_text
from flows.outcome import PromptKind, Reply
from flows.reading.answers import Interpretation, interpret
from flows.schema import Option, Special, Step, StepType
from flows.state import State
from tests.flows.reading.score import corpus_flow

TODAY = date(2026, 11, 18)  # a Wednesday
NOW = datetime(2026, 11, 18, 12, 0)
ALL_SPECIALS = frozenset({Special.SKIP, Special.DONT_KNOW, Special.PREFER_NOT_TO_SAY})

WHEN = Step(id="when", type=StepType.DATE, text={"en": "When was it?"}, allow=ALL_SPECIALS)
WENT = Step(
    id="went", type=StepType.YES_NO, text={"en": "Did you go to the group?"}, allow=ALL_SPECIALS
)
OFFER = Step(id="call", type=StepType.YES_NO, text={"en": "Would you like a call?"})
SUPPORT = Step(
    id="support",
    type=StepType.MULTI_CHOICE,
    text={"en": "Which support did you get?"},
    options=(
        Option("speech", {"en": "Speech and language therapy"}),
        Option("ot", {"en": "Occupational therapy"}),
        Option("mentor", {"en": "A mentor"}),
        Option("none", {"en": "None of these"}, exclusive=True),
    ),
    allow=ALL_SPECIALS,
)
PLACE = Step(
    id="place",
    type=StepType.CHOICE,
    text={"en": "Where?"},
    options=(
        Option("school", {"en": "At school"}),
        Option("home", {"en": "At home"}),
        Option("other", {"en": "Somewhere else"}),
    ),
)


def read(step: Step, text: str, language: str = "en") -> Interpretation:
    return interpret(step, text, language, TODAY)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("4 days ago", "2026-11-14"),
        ("two weeks ago", "2026-11-04"),
        ("about a month ago", "2026-10-18"),
        ("a fortnight ago", "2026-11-04"),
        ("2 years ago", "2024-11-18"),
        ("pum diwrnod yn ôl", "2026-11-13"),
        ("tair wythnos yn ol", "2026-10-28"),
        ("flwyddyn yn ôl", "2025-11-18"),
        ("next tuesday", "2026-11-24"),
        ("dydd Iau nesaf", "2026-11-26"),
        ("this thursday", "2026-11-19"),
        ("tomorrow", "2026-11-19"),
        ("yfory", "2026-11-19"),
        ("last mon", "2026-11-16"),
        ("monday before last", "2026-11-09"),
        ("a week last monday", "2026-11-09"),
        ("monday last week", "2026-11-09"),
        ("sunday 15th", "2026-11-15"),
        ("christmas day", "2025-12-25"),
    ],
)
def test_relative_dates_count_from_today(typed: str, expected: str) -> None:
    assert read(WHEN, typed).value == expected


@pytest.mark.parametrize(
    "typed",
    [
        "a few weeks ago",
        "over a month ago",
        "a week and a half ago",
        "a week today",
        "last week",
        "next week",
        "sunday 16th",  # the 16th was a Monday
        "monday or tuesday",
        "3rd or 4th of june",
        "june 25",  # the 25th, or June 2025?
    ],
)
def test_dates_that_could_be_several_days_are_asked_again(typed: str) -> None:
    assert not read(WHEN, typed).ok


@pytest.mark.parametrize(
    ("typed", "special"),
    [
        ("can't remember tbh", Special.DONT_KNOW),
        ("🤷", Special.DONT_KNOW),
        ("🤷🏽‍♂️", Special.DONT_KNOW),
        ("dwi ddim yn cofio", Special.DONT_KNOW),
        ("that's private", Special.PREFER_NOT_TO_SAY),
        ("preifat", Special.PREFER_NOT_TO_SAY),
        ("🤐", Special.PREFER_NOT_TO_SAY),
        ("none of your business", Special.PREFER_NOT_TO_SAY),
        ("skip pls", Special.SKIP),
        ("nesaf plis", Special.SKIP),
    ],
)
def test_declining_in_english_welsh_and_emoji(typed: str, special: Special) -> None:
    for step in (WHEN, WENT, SUPPORT):
        assert read(step, typed).special is special, step.id


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("didn't go", False),
        ("unfortunately not", False),
        ("couldn't make it in the end", False),
        ("wasn't able to", False),
        ("nac do", False),
        ("methu mynd", False),
        ("it rained so no", False),
        ("did", True),
        ("i went", True),
        ("yn bendant", True),
        ("fe es i", True),
    ],
)
def test_yes_and_no_said_in_other_words(typed: str, expected: bool) -> None:
    assert read(WENT, typed).value is expected


@pytest.mark.parametrize("typed", ["k", "ok", "okay thanks", "iawn", "👌", "1", "2", "falle"])
def test_acknowledgements_and_numbers_on_a_plain_yes_no_are_asked_again(typed: str) -> None:
    assert not read(WENT, typed).ok


def test_ok_accepts_an_offer_but_k_is_too_little() -> None:
    assert read(OFFER, "ok").value is True
    assert not read(OFFER, "k").ok


def state_at(step_id: str) -> dict[str, object]:
    flow = corpus_flow()
    return State(flow.id, flow.version, "en", {}, step=step_id, seq=1).to_dict()


@pytest.mark.parametrize(
    ("typed", "because"),
    [
        ("1", "can't tell if that number means yes or no"),
        ("ok", "can't tell if that means yes or no"),
    ],
)
def test_the_re_ask_says_why(typed: str, because: str) -> None:
    out = engine.step(corpus_flow(), state_at("attended"), typed, NOW)
    assert not out.answers
    assert out.prompts[0].kind is PromptKind.REPROMPT
    assert because in out.prompts[0].text


def test_a_button_on_a_plain_yes_no_is_still_an_answer() -> None:
    out = engine.step(corpus_flow(), state_at("attended"), Reply.button(1, "2"), NOW)
    assert out.answers[0].value is False


def test_a_lone_thumb_on_a_scale_is_asked_again_saying_why() -> None:
    out = engine.step(corpus_flow(), state_at("rating"), "👍", NOW)
    assert not out.answers
    assert "which number that emoji means" in out.prompts[0].text


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("all", ["speech", "ot", "mentor"]),
        ("all of them", ["speech", "ot", "mentor"]),
        ("pob un", ["speech", "ot", "mentor"]),
        ("all 3", ["speech", "ot", "mentor"]),
        ("all except the mentor", ["speech", "ot"]),
        ("everything but 1", ["ot", "mentor"]),
        ("none", ["none"]),
        ("nothing yet, still waiting", ["none"]),
        ("dim byd", ["none"]),
        ("none apart from OT", ["ot"]),
        ("dim ond OT", ["ot"]),
        ("just 3", ["mentor"]),
        ("both therapies", ["speech", "ot"]),
        ("SALT and OT", ["speech", "ot"]),
        ("2 - it made a big difference", ["ot"]),
        ("the mentor, none of the others", ["mentor"]),
        ("the mentor was great", ["mentor"]),
    ],
)
def test_all_none_and_lists_in_words(typed: str, expected: list[str]) -> None:
    assert read(SUPPORT, typed).value == expected


@pytest.mark.parametrize(
    "typed", ["1 and 4", "speech, none", "12344", "ot and nothing", "1, 2 and maybe 3"]
)
def test_an_exclusive_option_with_another_is_asked_again(typed: str) -> None:
    assert not read(SUPPORT, typed).ok


def test_the_re_ask_names_the_option_that_stands_alone() -> None:
    out = engine.step(corpus_flow(), state_at("helped"), "2 and 5", NOW)
    assert not out.answers
    assert '"None of these" can\'t go with other answers' in out.prompts[0].text


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("3 (a tutor)", "other"),
        ("2 - since march", "home"),
        ("skool", "school"),
        ("skool 👍", "school"),
        ("was at school, now at home", "home"),
        ("moved from school to home", "home"),
        ("not school any more, home", "home"),
    ],
)
def test_a_choice_with_a_reason_a_typo_or_a_change(typed: str, expected: str) -> None:
    assert read(PLACE, typed).value == expected


@pytest.mark.parametrize(
    "typed", ["school or home", "probably home next year", "3 tutored at home", "ysgol neu adref"]
)
def test_a_choice_that_could_be_two_is_asked_again(typed: str) -> None:
    assert not read(PLACE, typed).ok


@pytest.mark.parametrize("typed", ["1 and 3", "school or college"])
def test_two_answers_to_a_single_choice_are_asked_again_as_one(typed: str) -> None:
    out = engine.step(corpus_flow(), state_at("where"), typed, NOW)
    assert out.prompts[0].text.startswith("Please choose one answer.")
    assert "None" not in out.prompts[0].text


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("really useful", 5),
        ("super useful thanks", 5),
        ("useful iawn", 5),
        ("useless", 1),
        ("a waste of time", 1),
        ("not that useful", 2),
        ("it was alright", 3),
        ("⭐⭐⭐⭐", 4),
        ("fourr", 4),
    ],
)
def test_scale_words_said_more_or_less_strongly(typed: str, expected: int) -> None:
    assert read(corpus_flow().step("rating"), typed).value == expected


@pytest.mark.parametrize("typed", ["met 3 other parents", "stayed 1 hour", "yes", "ie", "do", "👎"])
def test_scale_replies_that_are_not_a_point(typed: str) -> None:
    assert not read(corpus_flow().step("rating"), typed).ok


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("both", 2),
        ("my son", 1),
        ("mab a merch", 2),
        ("dim ond un", 1),
        ("no one", 0),
        ("thre", 3),
        ("3 kids, 2 with SEND", 2),
        ("2 (7 and 9)", 2),
        ("one, she's 8", 1),
    ],
)
def test_how_many_in_words(typed: str, expected: int) -> None:
    assert read(corpus_flow().step("children"), typed, "cy").value == expected


@pytest.mark.parametrize(
    "typed", ["my son is 7", "at least 2", "more than one", "1 or 2", "dim syniad", "2, 3"]
)
def test_how_many_that_is_not_one_count(typed: str) -> None:
    assert not read(corpus_flow().step("children"), typed, "cy").ok


FLOW = """
format: 1
id: pick
version: 1
title: Pick
audience: any
languages: [en]
steps:
  - id: pick
    type: {type}
    ask: "Pick"
    options:
      - value: a
        label: "A"
      - value: none
        label: "None of these"
        exclusive: {exclusive}
"""


def test_the_flow_format_has_an_exclusive_option() -> None:
    flow = load_flow_text(FLOW.format(type="multi_choice", exclusive="true"))
    assert [o.exclusive for o in flow.steps[0].options] == [False, True]


@pytest.mark.parametrize(
    ("kind", "exclusive", "message"),
    [("multi_choice", '"yes"', "expected true or false"), ("choice", "true", "multi_choice")],
)
def test_exclusive_is_checked(kind: str, exclusive: str, message: str) -> None:
    with pytest.raises(FlowValidationError, match=message):
        load_flow_text(FLOW.format(type=kind, exclusive=exclusive))


def test_the_corpus_flow_validates() -> None:
    assert Path(corpus_flow().source).name == "reading_corpus.yaml"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("my son was ill", False),
        ("had to work", False),
        ("roedd fy mab yn sâl", False),
        ("wnes i ddim mynd", False),
        ("aethon ni", True),
    ],
)
def test_reasons_for_not_going_and_welsh_past_tense(typed: str, expected: bool) -> None:
    assert read(WENT, typed).value is expected


def test_a_reason_does_not_decline_an_offer() -> None:
    assert not read(OFFER, "I'm at work").ok


@pytest.mark.parametrize(
    ("step", "typed", "expected"),
    [
        ("rating", "reit ddefnyddiol", 4),
        ("rating", "yn ddefnyddiol iawn", 5),
        ("rating", "hynod ddefnyddiol", 5),
        ("where", "yn y goleg", "college"),
        ("where", "Oakwood Primary", "school"),
        ("where", "ysgol gynradd", "school"),
        ("review_date", "ddydd Gwener", "2026-11-13"),
        ("review_date", "nos Lun", "2026-11-16"),
        ("review_date", "bythefnos yn ôl", "2026-11-04"),
        ("review_date", "dri mis yn ôl", "2026-08-18"),
        ("children", "mae gen i ddau", 2),
        ("helped", "popeth ar wahân i'r senco", ["speech", "ot", "ta"]),
    ],
)
def test_welsh_as_it_is_written(step: str, typed: str, expected: object) -> None:
    assert read(corpus_flow().step(step), typed, "cy").value == expected


@pytest.mark.parametrize(
    ("step", "typed"),
    [("rating", "da iawn"), ("where", "ysgol a choleg"), ("where", "school, college")],
)
def test_welsh_and_lists_that_are_not_one_answer(step: str, typed: str) -> None:
    assert not read(corpus_flow().step(step), typed, "cy").ok


@pytest.mark.parametrize(
    ("step", "typed", "expected"),
    [
        ("children", "my son, my daughter", 2),
        ("children", "son & daughter", 2),
        ("children", "just her", 1),
        ("children", "two of my three", 2),
        ("children", "3 of them, 2 with SEND", 2),
        ("children", "no children with SEND", 0),
        ("helped", "S.E.N.C.O", ["senco"]),
        ("helped", "everything except the therapies", ["ta", "senco"]),
        ("helped", "not really anything", ["none"]),
    ],
)
def test_counts_and_lists_in_more_words(step: str, typed: str, expected: object) -> None:
    assert read(corpus_flow().step(step), typed).value == expected

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flows.reading.answers import Interpretation, interpret, normalise
from flows.reading.yesno import no_words, yes_words
from flows.schema import Option, ScalePoint, Special, Step, StepType

TODAY = date(2025, 3, 20)  # a Thursday
ALL_SPECIALS = frozenset({Special.SKIP, Special.DONT_KNOW, Special.PREFER_NOT_TO_SAY})

RATING = Step(
    id="rating",
    type=StepType.SCALE,
    text={"en": "How useful was it?"},
    points=(
        ScalePoint(1, {"en": "Not useful", "cy": "Dim yn ddefnyddiol"}),
        ScalePoint(2, {"en": "Not very useful"}),
        ScalePoint(3, {"en": "OK", "cy": "Iawn"}),
        ScalePoint(4, {"en": "Quite useful"}),
        ScalePoint(5, {"en": "Very useful", "cy": "Defnyddiol iawn"}),
    ),
    allow=frozenset({Special.SKIP}),
)
MOODS = Step(
    id="mood",
    type=StepType.SCALE,
    text={"en": "How did you feel?"},
    points=(
        ScalePoint(1, {"en": "Sad"}, "😞"),
        ScalePoint(2, {"en": "OK"}, "😐"),
        ScalePoint(3, {"en": "Happy"}, "👍"),
    ),
)
OUT_OF_TEN = Step(
    id="score",
    type=StepType.SCALE,
    text={"en": "Score out of ten?"},
    points=tuple(ScalePoint(i, {"en": str(i)}) for i in range(11)),
)
ATTENDED = Step(
    id="attended",
    type=StepType.CHOICE,
    text={"en": "Did the session help?"},
    options=(
        Option("yes", {"en": "Yes", "cy": "Do"}),
        Option("a_bit", {"en": "A bit", "cy": "Ychydig"}, aliases={"en": ("somewhat", "kind of")}),
        Option("no", {"en": "No", "cy": "Naddo"}),
        Option("not_sure", {"en": "Not sure", "cy": "Ddim yn siŵr"}),
    ),
    allow=frozenset({Special.SKIP}),
)
CONTACT = Step(
    id="contact",
    type=StepType.CHOICE,
    text={"en": "How should we contact you?"},
    options=(
        Option("text", {"en": "Text message", "cy": "Neges destun"}, emoji="📱"),
        Option("email", {"en": "Email", "cy": "E-bost"}, emoji="📧"),
        Option("phone", {"en": "Phone call", "cy": "Galwad ffôn"}, emoji="📞"),
    ),
)
HELPED = Step(
    id="helped",
    type=StepType.MULTI_CHOICE,
    text={"en": "What helped?"},
    options=(
        Option("speakers", {"en": "The speakers"}),
        Option("slt", {"en": "Speech and language therapy", "cy": "Therapi iaith a lleferydd"}),
        Option("transport", {"en": "Transport"}, emoji="🚌"),
        Option("food", {"en": "Food", "cy": "Bwyd"}),
        Option("a_bit_of_quiet", {"en": "A bit of quiet"}),
    ),
    min_choices=1,
    max_choices=3,
)
ANY_OF_THEM = Step(
    id="any",
    type=StepType.MULTI_CHOICE,
    text={"en": "Which?"},
    options=tuple(Option(f"o{i}", {"en": f"Thing {i}"}) for i in range(1, 13)),
    min_choices=0,
)
CALL_BACK = Step(
    id="call_back",
    type=StepType.YES_NO,
    text={"en": "Would you like a call back?"},
    yes_label={"en": "Yes, call me", "cy": "Ie, ffoniwch fi"},
    no_label={"en": "No, thanks"},
    allow=ALL_SPECIALS,
)
CHILDREN = Step(
    id="children",
    type=StepType.NUMBER,
    text={"en": "How many children?"},
    minimum=0,
    maximum=20,
)
HOURS = Step(
    id="hours",
    type=StepType.NUMBER,
    text={"en": "How many hours?"},
    integer=False,
)
EVENT_DATE = Step(id="when", type=StepType.DATE, text={"en": "When was it?"})
COMMENTS = Step(
    id="comments",
    type=StepType.TEXT,
    text={"en": "Anything else?"},
    max_length=20,
    allow=frozenset({Special.SKIP}),
)
WELCOME = Step(id="welcome", type=StepType.MESSAGE, text={"en": "Hello"})

QUESTIONS = (
    RATING, MOODS, OUT_OF_TEN, ATTENDED, CONTACT, HELPED, ANY_OF_THEM, CALL_BACK, CHILDREN,
    HOURS, EVENT_DATE, COMMENTS,
)  # fmt: skip


def read(step: Step, text: str, language: str = "en") -> Interpretation:
    return interpret(step, text, language, TODAY)


def value_of(step: Step, text: str, language: str = "en") -> object:
    result = read(step, text, language)
    assert result.ok, f"{text!r} was not understood: {result}"
    return result.value


def problem_of(step: Step, text: str, language: str = "en") -> str | None:
    result = read(step, text, language)
    assert not result.ok, f"{text!r} should not fit but gave {result}"
    return result.problem


# -- normalise


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("  YES!!  ", "yes"),
        ("“Don’t know”", "don't know"),
        ("very\t\n  useful.", "very useful"),
        ("ｆｕｌｌｗｉｄｔｈ", "fullwidth"),
        ("yes\x00\x07", "yes"),
        ("...", ""),
        ("👍🏽", "👍"),
        ("1️⃣", "1"),
        ("Straße", "strasse"),
    ],
)
def test_normalise_gives_one_form_for_what_people_type(typed: str, expected: str) -> None:
    assert normalise(typed) == expected


# -- every step type


@pytest.mark.parametrize("step", QUESTIONS, ids=lambda s: s.id)
@pytest.mark.parametrize("typed", ["", "   ", "\n\t", "?!.", "\x00"])
def test_a_reply_with_nothing_in_it_is_empty(step: Step, typed: str) -> None:
    assert problem_of(step, typed) == "empty"


def test_message_steps_are_never_answered() -> None:
    assert problem_of(WELCOME, "ok") == "not_understood"


@pytest.mark.parametrize(
    ("step", "typed", "special"),
    [
        (RATING, "skip", Special.SKIP),
        (RATING, "SKIP!", Special.SKIP),
        (RATING, "/skip", Special.SKIP),
        (RATING, "sgipio", Special.SKIP),
        (CALL_BACK, "dunno", Special.DONT_KNOW),
        (CALL_BACK, "dont no", Special.DONT_KNOW),
        (CALL_BACK, "no idea", Special.DONT_KNOW),
        (CALL_BACK, "dim syniad", Special.DONT_KNOW),
        (CALL_BACK, "prefer not to say", Special.PREFER_NOT_TO_SAY),
        (CALL_BACK, "prefer_not_to_say", Special.PREFER_NOT_TO_SAY),  # a Telegram button
        (CALL_BACK, "gwell peidio dweud", Special.PREFER_NOT_TO_SAY),
        (COMMENTS, "skip", Special.SKIP),
    ],
)
def test_allowed_specials_are_recorded_without_a_value(
    step: Step, typed: str, special: Special
) -> None:
    assert read(step, typed) == Interpretation(ok=True, value=None, special=special)


@pytest.mark.parametrize(
    ("step", "typed"),
    [(RATING, "dunno"), (CONTACT, "skip"), (CHILDREN, "prefer not to say"), (COMMENTS, "dk")],
)
def test_specials_the_step_does_not_allow_are_refused(step: Step, typed: str) -> None:
    assert problem_of(step, typed) == "special_not_allowed"


def test_an_option_named_like_a_special_is_an_answer_not_a_special() -> None:
    # "Not sure" is an option here, and DONT_KNOW isn't allowed: the option wins.
    assert value_of(ATTENDED, "not sure") == "not_sure"
    assert value_of(ATTENDED, "Ddim yn siŵr", "cy") == "not_sure"


# -- scale


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("5", 5),
        ("5!", 5),
        ("5.", 5),
        (" 5 ", 5),
        ("five", 5),
        ("Four", 4),
        ("about 4", 4),
        ("4 i think", 4),
        ("3 i guess", 3),
        ("4 out of 5", 4),
        ("4/5", 4),
        ("5/5", 5),
        ("4 of 5", 4),
        ("10/10", 5),
        ("3/10", 2),  # 3/10 x 5 = 1.5, rounded half up
        ("8 out of 10", 4),
        ("5 stars", 5),
        ("Very useful", 5),
        ("very usefull", 5),
        ("VERY USEFUL!!!", 5),
        ("quite", 4),
        ("quiet useful", 4),
        ("not very useful", 2),
        ("not useful", 1),
        ("ok", 3),
        ("it was very useful thanks", 5),
    ],
)
def test_scale_replies(typed: str, expected: int) -> None:
    assert value_of(RATING, typed) == expected


@pytest.mark.parametrize("typed", ["👍", "👎", "👍🏻", "😀"])
def test_a_lone_emoji_that_is_no_point_is_asked_again(typed: str) -> None:
    # A thumbs-up may mean "got it" as well as the top of the scale (issue 22).
    assert problem_of(RATING, typed) == "not_understood"
    assert read(RATING, typed).why == "why_emoji"


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("6", "out_of_range"),
        ("0", "out_of_range"),
        ("-1", "out_of_range"),
        ("0/10", "out_of_range"),
        ("7/5", "out_of_range"),
        ("3 or 4", "not_understood"),
        ("3-4", "not_understood"),
        ("4.5", "not_understood"),
        ("useful", "not_understood"),  # three labels say "useful"
        ("banana", "not_understood"),
        ("pump", "not_understood"),  # Welsh five, in an English conversation
        ("4/0", "not_understood"),
        ("9" * 40, "not_understood"),
    ],
)
def test_scale_replies_that_do_not_fit(typed: str, problem: str) -> None:
    assert problem_of(RATING, typed) == problem


AGREE = Step(
    id="agree",
    type=StepType.SCALE,
    text={"en": "My views were included."},
    points=tuple(
        ScalePoint(i, {"en": label})
        for i, label in enumerate(
            ["Strongly disagree", "Disagree", "Neither", "Agree", "Strongly agree"], start=1
        )
    ),
)
GREAT = Step(
    id="great",
    type=StepType.SCALE,
    text={"en": "How was it?"},
    points=tuple(
        ScalePoint(i, {"en": label})
        for i, label in enumerate(["Poor", "Not great", "OK", "Good", "Excellent"], start=1)
    ),
)
HAPPY = Step(
    id="happy",
    type=StepType.SCALE,
    text={"en": "Are you happy at school?"},
    points=(
        ScalePoint(1, {"en": "No", "cy": "Nac ydw"}, "🙁"),
        ScalePoint(2, {"en": "Sometimes", "cy": "Weithiau"}, "😐"),
        ScalePoint(3, {"en": "Yes", "cy": "Ydw"}, "🙂"),
    ),
)


@pytest.mark.parametrize(
    ("step", "typed", "expected"),
    [
        (AGREE, "stongly agree", 5),  # a typo of the longer label, not "Agree" inside it
        (AGREE, "i agree", 4),  # two typos from "disagree", but it says "agree"
        (AGREE, "agre", 4),
        (AGREE, "disagre", 2),
        (AGREE, "strongly disagre", 1),
        (GREAT, "not grate", 2),
        (GREAT, "excelent", 5),
        (GREAT, "gud", 4),
        (AGREE, "stronglyagree", 5),
        (HAPPY, "yeah", 3),
        (HAPPY, "nah", 1),
        (HAPPY, "noo", 1),
        (HAPPY, "somtimes", 2),
        (HAPPY, "🙂", 3),
        (HAPPY, "ydw", 3),
    ],
    ids=lambda v: v.id if isinstance(v, Step) else None,
)
def test_scale_labels_with_typos(step: Step, typed: str, expected: int) -> None:
    assert value_of(step, typed) == expected


@pytest.mark.parametrize(
    ("step", "typed"),
    [(GREAT, "great"), (GREAT, "so great"), (AGREE, "i dont agree"), (AGREE, "strongly")],
    ids=lambda v: v.id if isinstance(v, Step) else None,
)
def test_a_label_is_never_guessed_across_a_not_or_between_two(step: Step, typed: str) -> None:
    # "great" is one word from "Not great": reading it so would flip what the person said.
    assert problem_of(step, typed) == "not_understood"


@pytest.mark.parametrize(
    ("typed", "expected"), [("pump", 5), ("tri", 3), ("defnyddiol iawn", 5), ("iawn", 3)]
)
def test_scale_in_welsh(typed: str, expected: int) -> None:
    assert value_of(RATING, typed, "cy") == expected


def test_scale_emoji_belong_to_their_points_and_no_others_are_guessed() -> None:
    assert value_of(MOODS, "👍") == 3
    assert value_of(MOODS, "😐") == 2
    assert problem_of(MOODS, "👎") == "not_understood"


@pytest.mark.parametrize(("typed", "expected"), [("0", 0), ("7/10", 7), ("4/5", 8), ("ten", 10)])
def test_scale_from_zero_to_ten(typed: str, expected: int) -> None:
    assert value_of(OUT_OF_TEN, typed) == expected


@settings(max_examples=60, database=None, deadline=None)
@given(st.integers(min_value=1, max_value=5), st.sampled_from(["{}", " {} ", "{}!", "{}.", "a {}"]))
def test_any_scale_point_written_in_digits_round_trips(value: int, shape: str) -> None:
    assert value_of(RATING, shape.format(value)) == value


@pytest.mark.parametrize("point", RATING.points, ids=lambda p: p.label["en"])
def test_every_scale_label_round_trips(point: ScalePoint) -> None:
    for language, label in point.label.items():
        assert value_of(RATING, label, language) == point.value


# -- choice


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("1", "yes"),
        ("2.", "a_bit"),
        ("3)", "no"),
        ("#4", "not_sure"),
        ("option 2", "a_bit"),
        ("number 3", "no"),
        ("no. 3", "no"),
        ("two", "a_bit"),
        ("the second one", "a_bit"),
        ("2nd", "a_bit"),
        ("the last one", "not_sure"),
        ("2 please", "a_bit"),
        ("2 i think", "a_bit"),
        ("1️⃣", "yes"),
        ("Yes", "yes"),
        ("yse", "yes"),
        ("yeah", "yes"),
        ("nope", "no"),
        ("a bit", "a_bit"),
        ("A BIT!", "a_bit"),
        ("bit", "a_bit"),
        ("somewhat", "a_bit"),
        ("kind of", "a_bit"),
        ("not sure", "not_sure"),
        ("not shure", "not_sure"),
        ("a_bit", "a_bit"),  # the stored value, as a button may send it
    ],
)
def test_choice_replies(typed: str, expected: str) -> None:
    assert value_of(ATTENDED, typed) == expected


@pytest.mark.parametrize(
    ("typed", "expected"), [("do", "yes"), ("ychydig", "a_bit"), ("naddo", "no"), ("ail", "a_bit")]
)
def test_choice_in_welsh(typed: str, expected: str) -> None:
    assert value_of(ATTENDED, typed, "cy") == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("text", "text"),
        ("txt", "text"),
        ("e-mail", "email"),
        ("emial", "email"),
        ("phone", "phone"),
        ("a phone call please", "phone"),
        ("📞", "phone"),
        ("ebost", "email"),
        ("galwad ffon", "phone"),
    ],
)
def test_choice_by_words_misspellings_and_emoji(typed: str, expected: str) -> None:
    assert value_of(CONTACT, typed) == expected


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("5", "out_of_range"),
        ("0", "out_of_range"),
        ("13", "out_of_range"),
        ("option 9", "out_of_range"),
        ("1 and 3", "too_many"),
        ("1,2", "too_many"),
        ("a", "not_understood"),
        ("maybe", "not_understood"),
        ("no idea what this means", "not_understood"),
    ],
)
def test_choice_replies_that_do_not_fit(typed: str, problem: str) -> None:
    assert problem_of(ATTENDED, typed) == problem


def test_a_prefix_shared_by_two_labels_is_not_guessed() -> None:
    step = Step(
        id="often",
        type=StepType.CHOICE,
        text={"en": "How often?"},
        options=(Option("week", {"en": "Every week"}), Option("month", {"en": "Every month"})),
    )
    assert problem_of(step, "every") == "not_understood"
    assert value_of(step, "every mont") == "month"


@pytest.mark.parametrize("step", [ATTENDED, CONTACT, HELPED], ids=lambda s: s.id)
def test_every_choice_label_round_trips(step: Step) -> None:
    for option in step.options:
        for language, label in option.label.items():
            got = value_of(step, label, language)
            assert got == (option.value if step.type is StepType.CHOICE else [option.value])


# -- multi_choice


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("1,3", ["speakers", "transport"]),
        ("1, 3", ["speakers", "transport"]),
        ("1 3", ["speakers", "transport"]),
        ("1 and 3", ["speakers", "transport"]),
        ("1&3", ["speakers", "transport"]),
        ("1+3", ["speakers", "transport"]),
        ("1/3", ["speakers", "transport"]),
        ("3 and 1", ["speakers", "transport"]),
        ("1, 1, 3", ["speakers", "transport"]),
        ("13", ["speakers", "transport"]),  # fewer than ten options: each digit is a choice
        ("1-3", ["speakers", "slt", "transport"]),
        ("2 to 4", ["slt", "transport", "food"]),
        ("one and three", ["speakers", "transport"]),
        ("4", ["food"]),
        ("food", ["food"]),
        ("transport, food", ["transport", "food"]),
        ("food and transport", ["transport", "food"]),
        ("speech and language therapy, transport", ["slt", "transport"]),
        ("speech and language therapy and food", ["slt", "food"]),
        ("a bit of quiet & food", ["food", "a_bit_of_quiet"]),
        ("the speakers + the food", ["speakers", "food"]),
        ("speakers, transprot", ["speakers", "transport"]),
        ("🚌", ["transport"]),
        ("bwyd a 1", ["speakers", "food"]),
    ],
)
def test_multi_choice_replies(typed: str, expected: list[str]) -> None:
    assert value_of(HELPED, typed) == expected


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("1, 6", "out_of_range"),
        ("16", "out_of_range"),
        ("0", "out_of_range"),
        ("1,2,3,4", "too_many"),
        ("all", "too_many"),  # only three may be chosen
        ("none", "too_few"),
        ("food and bananas", "not_understood"),
    ],
)
def test_multi_choice_replies_that_do_not_fit(typed: str, problem: str) -> None:
    assert problem_of(HELPED, typed) == problem


def test_with_ten_or_more_options_a_two_digit_number_is_one_option() -> None:
    assert value_of(ANY_OF_THEM, "12") == ["o12"]
    assert value_of(ANY_OF_THEM, "1 12") == ["o1", "o12"]
    assert problem_of(ANY_OF_THEM, "13") == "out_of_range"


@pytest.mark.parametrize("typed", ["all", "all of them", "ALL!", "pob un", "everything"])
def test_all_selects_every_option_when_allowed(typed: str) -> None:
    assert value_of(ANY_OF_THEM, typed) == [o.value for o in ANY_OF_THEM.options]


def test_none_is_an_empty_answer_when_nothing_is_required() -> None:
    assert value_of(ANY_OF_THEM, "none") == []
    assert value_of(ANY_OF_THEM, "dim un", "cy") == []


# -- yes_no


@pytest.mark.parametrize(
    "typed",
    [
        "yes", "Y", "yeah", "yea", "yep", "yup", "ya", "aye", "sure", "ok", "okay", "definitely",
        "of course", "correct", "true", "1", "👍", "✅", "👍🏾", "yes please", "yes!!", "YES.",
        "yess", "yesss", "yse", "yes i would", "yeah go on", "Yes, call me", "ydw", "ydy", "ydyn",
        "ydych", "do", "ie", "oes", "byddaf", "hoffwn", "iawn", "Ie, ffoniwch fi", "no problem",
    ],
)  # fmt: skip
def test_yes(typed: str) -> None:
    assert value_of(CALL_BACK, typed) is True


@pytest.mark.parametrize(
    "typed",
    [
        "no", "N", "nope", "nah", "no thanks", "No, thanks", "not really", "never", "false", "2",
        "👎", "❌", "noo", "NOOOO!", "nop", "no not really", "of course not", "nac ydw", "nac ydy",
        "naddo", "na", "nage", "nac oes", "na fyddaf", "na hoffwn", "dim", "nag oes",
    ],
)  # fmt: skip
def test_no(typed: str) -> None:
    assert value_of(CALL_BACK, typed) is False


@pytest.mark.parametrize("typed", ["yes no", "no, yes", "maybe", "now", "3", "what?", "yes and no"])
def test_unclear_yes_no_is_asked_again(typed: str) -> None:
    assert problem_of(CALL_BACK, typed) == "not_understood"


def test_no_idea_is_not_a_no() -> None:
    # It starts with "no", but says "don't know", with or without the "really".
    assert read(CALL_BACK, "no idea really").special is Special.DONT_KNOW


def test_yes_and_no_words_never_overlap() -> None:
    assert not yes_words() & no_words()


# -- text


def test_text_keeps_the_persons_words_as_typed() -> None:
    assert value_of(COMMENTS, "  Thanks, Sam 😀!  ") == "Thanks, Sam 😀!"


def test_text_drops_control_characters_but_keeps_lines() -> None:
    assert value_of(COMMENTS, "a\x00b\r\nc\x1bd") == "ab\ncd"


def test_text_longer_than_allowed_is_cut_and_flagged() -> None:
    result = read(COMMENTS, "The room was far too noisy for my son")
    assert result == Interpretation(ok=True, value="The room was far too", truncated=True)


def test_text_at_the_limit_is_not_flagged() -> None:
    assert read(COMMENTS, "x" * 20) == Interpretation(ok=True, value="x" * 20)


# -- number


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("3", 3),
        ("3.", 3),
        ("about 3", 3),
        ("3 kids", 3),
        ("three", 3),
        ("twelve", 12),
        ("twenty", 20),
        ("0", 0),
        ("none", 0),
        ("3.0", 3),
        ("tri", 3),
        ("dau", 2),
    ],
)
def test_whole_numbers(typed: str, expected: int) -> None:
    assert value_of(CHILDREN, typed, "cy") == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2.5", 2.5),
        ("1,000", 1000),
        ("-3", -3),
        ("−3", -3),
        ("twenty-one", 21),
        ("a hundred", 100),
        ("one hundred and five", 105),
        ("two thousand", 2000),
        ("about 1.5 hours", 1.5),
        ("once", 1),
        ("twice", 2),
        ("never", 0),
    ],
)
def test_numbers_without_limits(typed: str, expected: float) -> None:
    assert value_of(HOURS, typed) == expected


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("21", "out_of_range"),
        ("-1", "out_of_range"),
        ("2.5", "not_understood"),
        ("3 or 4", "not_understood"),
        ("one or two", "not_understood"),
        ("lots", "not_understood"),
        ("1" * 30, "not_understood"),
    ],
)
def test_numbers_that_do_not_fit(typed: str, problem: str) -> None:
    assert problem_of(CHILDREN, typed) == problem


# -- date


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("12/03/2025", "2025-03-12"),
        ("12-3-25", "2025-03-12"),
        ("12.03.2025", "2025-03-12"),
        ("12 03 2025", "2025-03-12"),
        ("12/3", "2025-03-12"),
        ("12 March 2025", "2025-03-12"),
        ("12th March", "2025-03-12"),
        ("the 12th of march", "2025-03-12"),
        ("March 12 2025", "2025-03-12"),
        ("March 12th, 2025", "2025-03-12"),
        ("2025-03-12", "2025-03-12"),
        ("1 Feb", "2025-02-01"),
        ("3rd febuary", "2025-02-03"),
        ("sept 5th 2024", "2024-09-05"),
        ("today", "2025-03-20"),
        ("Yesterday!", "2025-03-19"),
        ("yesturday", "2025-03-19"),
        ("it was yesterday", "2025-03-19"),
        ("the day before yesterday", "2025-03-18"),
        ("last friday", "2025-03-14"),
        ("thursday", "2025-03-20"),
        ("last thursday", "2025-03-13"),
        ("heddiw", "2025-03-20"),
        ("ddoe", "2025-03-19"),
        ("12 Mawrth 2025", "2025-03-12"),
        ("12fed o Fawrth", "2025-03-12"),
        ("1 Ionawr", "2025-01-01"),
        ("5 Rhagfyr", "2024-12-05"),
        ("dydd gwener", "2025-03-14"),
        ("12/03/99", "1999-03-12"),
        ("29/02/2024", "2024-02-29"),
    ],
)
def test_dates(typed: str, expected: str) -> None:
    assert value_of(EVENT_DATE, typed) == expected


@pytest.mark.parametrize(
    ("today", "typed", "expected"),
    [
        (date(2025, 1, 10), "20 December", "2024-12-20"),  # far ahead means last year
        # "When was it?" asks about the past, so even a month ahead is last year's.
        (date(2025, 3, 20), "15 April", "2024-04-15"),
        (date(2025, 3, 20), "25 April", "2024-04-25"),  # more than a month ahead
        (date(2025, 12, 31), "1/1", "2025-01-01"),
    ],
)
def test_a_date_without_a_year_is_the_most_likely_past_one(
    today: date, typed: str, expected: str
) -> None:
    assert interpret(EVENT_DATE, typed, "en", today).value == expected


def test_a_date_question_not_about_the_past_reads_a_day_soon_as_this_year() -> None:
    step = Step(id="meeting", type=StepType.DATE, text={"en": "What date is the meeting?"})
    assert interpret(step, "15 April", "en", date(2025, 3, 20)).value == "2025-04-15"


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("31/02/2025", "bad_date"),
        ("29/02/2025", "bad_date"),
        ("13/13/2025", "bad_date"),
        ("0/3/2025", "bad_date"),
        ("32 March", "bad_date"),
        ("2025-02-30", "bad_date"),
        ("12/03 or 13/03", "not_understood"),
        ("March", "not_understood"),
        ("soon", "not_understood"),
        ("12/03/202", "not_understood"),
    ],
)
def test_dates_that_do_not_fit(typed: str, problem: str) -> None:
    assert problem_of(EVENT_DATE, typed) == problem


# -- nothing a person types can break it

ANY_TEXT = st.one_of(
    st.text(),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=50),
    st.text(alphabet=st.characters(max_codepoint=0x7F), max_size=30),
    st.text(alphabet="0123456789 ,./-&+andoftsu", max_size=30),
    st.lists(
        st.sampled_from(["1", "and", "yes", "no", "skip", "/", ",", " ", "-", "of", "two"])
    ).map("".join),
)


def check_consistent(result: Interpretation) -> None:
    if result.ok:
        assert result.problem is None
        assert (result.value is None) == (result.special is not None)
    else:
        assert result.value is None
        assert result.special is None
        assert result.problem in {
            "empty", "not_understood", "out_of_range", "too_many", "too_few",
            "special_not_allowed", "bad_date",
        }  # fmt: skip
        assert not result.truncated


@pytest.mark.parametrize("step", [*QUESTIONS, WELCOME], ids=lambda s: s.id)
@settings(max_examples=60, database=None, deadline=None)
@given(typed=ANY_TEXT, language=st.sampled_from(["en", "cy"]))
def test_any_text_gives_a_consistent_interpretation(step: Step, typed: str, language: str) -> None:
    check_consistent(interpret(step, typed, language, TODAY))


@pytest.mark.parametrize("step", QUESTIONS, ids=lambda s: s.id)
@settings(max_examples=5, database=None, deadline=None)
@given(typed=st.text(min_size=1500, max_size=2000))
def test_long_replies_are_read_quickly_and_safely(step: Step, typed: str) -> None:
    check_consistent(interpret(step, typed, "en", TODAY))


@pytest.mark.parametrize("step", QUESTIONS, ids=lambda s: s.id)
@pytest.mark.parametrize(
    "typed",
    [
        "1," * 1000,
        "and " * 500,
        "9" * 2000,
        "hundred " * 250,
        "\ud800 lone surrogate",
        "\u200d\ufe0f\u20e3",
        "12/" * 600,
        "very useful " * 150,
    ],
    ids=range(8),
)
def test_pathological_replies(step: Step, typed: str) -> None:
    check_consistent(interpret(step, typed, "en", TODAY))

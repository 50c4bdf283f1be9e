"""Kinds of reply the third corpus showed the reader should handle (see README.md here), each on
questions written for these tests, not on the corpus's own rows."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flows.reading.answers import interpret
from flows.schema import Option, ScalePoint, Special, Step, StepType

TODAY = date(2026, 11, 18)
SKIP = frozenset({Special.SKIP})

DAYS = Step(
    id="days",
    type=StepType.MULTI_CHOICE,
    text={"en": "Which days? 1 Sat 2 Sun 3 Hols"},
    options=(
        Option("sat", {"en": "Sat"}),
        Option("sun", {"en": "Sun"}),
        Option("hols", {"en": "Hols"}),
    ),
    allow=SKIP,
)
HELP = Step(
    id="help",
    type=StepType.MULTI_CHOICE,
    text={"en": "Which? 1 Art 2 Music 3 2:1 help 4 Nothing"},
    options=(
        Option("art", {"en": "Art"}),
        Option("music", {"en": "Music"}),
        Option("two", {"en": "2:1 help"}),
        Option("none", {"en": "Nothing"}, exclusive=True),
    ),
    allow=SKIP,
)
TRAVEL = Step(
    id="travel",
    type=StepType.CHOICE,
    text={"en": "How? 1 Bus 2 Walk 3 Car"},
    options=(
        Option("bus", {"en": "Bus"}),
        Option("walk", {"en": "Walk"}),
        Option("car", {"en": "Car"}),
    ),
    allow=SKIP,
)
CLUB = Step(
    id="club",
    type=StepType.CHOICE,
    text={"en": "Which? 1 Youth club 2 Not a club 3 Library"},
    options=(
        Option("youth", {"en": "Youth club"}),
        Option("none", {"en": "Not a club"}),
        Option("library", {"en": "Library"}),
    ),
    allow=SKIP,
)
FORMAT = Step(
    id="format",
    type=StepType.CHOICE,
    text={"en": "Which? 1 Print 2 Online 3 Both"},
    options=(
        Option("print", {"en": "Print"}),
        Option("online", {"en": "Online"}),
        Option("both", {"en": "Both", "cy": "Y ddau"}),
    ),
    allow=SKIP,
)
HOURS = Step(
    id="hours",
    type=StepType.NUMBER,
    text={"en": "How many hours of tutoring does your child get each week?"},
    minimum=0,
    maximum=40,
    allow=SKIP,
)
VISITS = Step(
    id="visits",
    type=StepType.NUMBER,
    text={"en": "How many times did the nurse visit this year?"},
    minimum=0,
    maximum=50,
    allow=SKIP,
)
CLUBS = Step(
    id="clubs",
    type=StepType.MULTI_CHOICE,
    text={"en": "Which? 1 Drama 2 Football 3 Chess 4 No clubs"},
    options=(
        Option("drama", {"en": "Drama"}),
        Option("football", {"en": "Football"}),
        Option("chess", {"en": "Chess"}),
        Option("none", {"en": "No clubs"}, exclusive=True),
    ),
    allow=SKIP,
)
SEAT = Step(
    id="seat",
    type=StepType.CHOICE,
    text={"en": "Where? 1 Front 2 Middle 3 Back 4 Anywhere"},
    options=(
        Option("front", {"en": "Front"}),
        Option("middle", {"en": "Middle"}),
        Option("back", {"en": "Back"}),
        Option("any", {"en": "Anywhere"}),
    ),
    allow=SKIP,
)
SURE = Step(
    id="sure",
    type=StepType.SCALE,
    text={"en": "How sure are you? 1 Not at all sure to 4 Very sure"},
    points=tuple(
        ScalePoint(i + 1, {"en": label})
        for i, label in enumerate(["Not at all sure", "A little sure", "Fairly sure", "Very sure"])
    ),
    allow=SKIP,
)
HEARD = Step(
    id="heard",
    type=StepType.SCALE,
    text={"en": "Did you feel heard? 1 Never 2 Rarely 3 Sometimes 4 Often 5 Always"},
    points=tuple(
        ScalePoint(i + 1, {"en": label})
        for i, label in enumerate(["Never", "Rarely", "Sometimes", "Often", "Always"])
    ),
    allow=SKIP,
)
QUIET = Step(
    id="quiet",
    type=StepType.YES_NO,
    text={"en": "Was the room quiet? YES or NO"},
    allow=SKIP,
)
CALM = Step(
    id="calm",
    type=StepType.SCALE,
    text={"en": "How calm? 1 to 4"},
    points=tuple(
        ScalePoint(i + 1, {"en": label})
        for i, label in enumerate(["Not calm", "Bit calm", "Calm", "Very calm"])
    ),
    allow=SKIP,
)


def read(step: Step, reply: str) -> object:
    got = interpret(step, reply, "en", TODAY)
    if not got.ok:
        return None
    return got.special.value if got.special else got.value


@pytest.mark.parametrize(
    ("step", "reply", "expected"),
    [
        # A label's "2:1" is one thing, not options 2 and 1.
        (HELP, "2:1", ["two"]),
        (HELP, "two to one", ["two"]),
        (HELP, "2:1 and music", ["music", "two"]),
        (HELP, "1 2", ["art", "music"]),
        (HELP, "2:1 and nothing", None),
        # Short labels answered in full, and words with an ending.
        (DAYS, "saturday", ["sat"]),
        (DAYS, "saturdays and sundays", ["sat", "sun"]),
        (TRAVEL, "walking", "walk"),
        (TRAVEL, "buses", "bus"),
        # A word two labels share is asked about, even when one of them says "not".
        (CLUB, "club", None),
        (CLUB, "youth", "youth"),
        # The other two together is the option that says both; either-or is asked about.
        (FORMAT, "print and online", "both"),
        (FORMAT, "print or online", None),
        (FORMAT, "print", "print"),
        # Yes and no together is neither.
        (QUIET, "y n", None),
        (QUIET, "yes no", None),
        (QUIET, "no no no", False),
        # The question's own quality, given back or negated.
        (QUIET, "quiet", True),
        (QUIET, "very quiet", True),
        (QUIET, "not quiet", False),
        (QUIET, "not very quiet", False),
        # An age is not a point on the scale.
        (CALM, "my son is 3", None),
        (CALM, "3 he is calmer now", 3),
        # A count per another period, or in another unit, is asked about; "nothing" is none.
        (HOURS, "6 hours a week", 6),
        (HOURS, "an hour", 1),
        (HOURS, "2 hours a day", None),
        (HOURS, "3 hours a month", None),
        (HOURS, "30 mins", None),
        (HOURS, "he gets nothing", 0),
        (VISITS, "twice", 2),
        (VISITS, "not once", 0),
        (VISITS, "once a month", None),
        # Options by number, then why: "none" in the why is not the option "No clubs".
        (CLUBS, "2 - he has none at school", ["football"]),
        (CLUBS, "1 and 3 - he likes both", ["drama", "chess"]),
        (CLUBS, "2 - drama", None),
        (CLUBS, "4 - none", ["none"]),
        # "neither" is not "either" misspelt.
        (SEAT, "neither", None),
        (SEAT, "don't mind", "any"),
        # Everyday words for "A little", "Fairly" and "Rarely".
        (SURE, "quite sure", 3),
        (SURE, "a bit", 2),
        (SURE, "not very sure", 2),
        (SURE, "very sure", 4),
        (HEARD, "hardly ever", 2),
        (HEARD, "not always", None),
        # Ways of skipping and declining.
        (CALM, "I'll skip that", "skip"),
    ],
)
def test_replies_read_as_a_person_would(step: Step, reply: str, expected: object) -> None:
    assert read(step, reply) == expected


@given(st.lists(st.sampled_from(["1", "2", "2:1", "art", "music", "2:1 help"]), min_size=1))
def test_a_ratio_label_never_turns_into_two_option_numbers(picks: list[str]) -> None:
    got = read(HELP, " and ".join(picks))
    if isinstance(got, list):
        wants_two = any(":" in p for p in picks)
        assert ("two" in got) == wants_two

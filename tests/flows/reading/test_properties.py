"""Whatever a family sends, the reader answers with something it may store, or asks again.

For every question of both corpus flows (scales of 3 and 5 points, yes/no, choices, multi choices
with and without an exclusive option, numbers with three ranges, dates): the reader never raises,
reads the same reply the same way every time, and a reading is always a value the question can
hold.
"""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from flows.reading.answers import interpret
from flows.schema import Step, StepType
from tests.flows.reading.score import corpus_flow

TODAY = date(2026, 11, 18)
QUESTIONS = [
    step
    for name in ("reading_corpus.yaml", "messy_corpus.yaml")
    for step in corpus_flow(name).steps
    if step.type is not StepType.MESSAGE
]
# Pieces of messy replies: numbers, option words, specials, dates, Welsh, emoji and punctuation.
_WORDS = (
    "0 1 2 3 4 5 6 7 10 11 25 104 -1 2.5 1/2 3rd 12/03 31/9/26 2026",
    "yes no y n k ok not very really strongly agree useful helpful great all none nothing",
    "except but and or & , - ( ) ? ! x thanks hi hiya because as the a of on next last",
    "skip pass dunno idea rather say private weeks months years ago old yo year kids",
    "ydw na do naddo oedd nac dim pob un sgip syniad gwell peidio dweud yn ôl wythnos",
    "school college home text phone email morning afternoon evening any time whenever",
    "speech ot ta senco autism adhd travel cost childcare monday tuesday march december",
)
EMOJI = ["👍", "👎", "🙂", "😐", "🙁", "🤷", "🤐", "⭐", "4️⃣", "…", "’", "\u200b", "🤷‍♀️"]
PIECES = [word for line in _WORDS for word in line.split()] + EMOJI
messy = st.lists(st.sampled_from(PIECES), min_size=1, max_size=8).map(" ".join)
replies = st.one_of(messy, st.text(max_size=60))


def valid(step: Step, value: object) -> bool:
    if step.type is StepType.SCALE:
        return isinstance(value, int) and step.scale_min <= value <= step.scale_max
    if step.type is StepType.YES_NO:
        return isinstance(value, bool)
    if step.type is StepType.CHOICE:
        return value in [o.value for o in step.options]
    if step.type is StepType.MULTI_CHOICE:
        order = [o.value for o in step.options]
        exclusive = {o.value for o in step.options if o.exclusive}
        return (
            isinstance(value, list)
            and len(value) >= step.min_choices
            and value == sorted(set(value), key=order.index)
            and (len(value) == 1 or not exclusive & set(value))
        )
    if step.type is StepType.NUMBER:
        low = step.minimum if step.minimum is not None else float("-inf")
        high = step.maximum if step.maximum is not None else float("inf")
        whole = isinstance(value, int) and not isinstance(value, bool)
        return (whole or not step.integer) and low <= value <= high  # type: ignore[operator]
    if step.type is StepType.DATE:
        return isinstance(value, str) and date.fromisoformat(value).isoformat() == value
    return True


@settings(max_examples=600, database=None, deadline=None)
@given(st.sampled_from(QUESTIONS), replies, st.sampled_from(["en", "cy"]))
def test_a_reading_is_always_something_the_question_can_hold(
    step: Step, reply: str, language: str
) -> None:
    result = interpret(step, reply, language, TODAY)
    assert result == interpret(step, reply, language, TODAY)  # the same reply, the same reading
    if not result.ok:
        assert result.problem is not None
    elif result.special is not None:
        assert result.special in step.allow
        assert result.value is None
    else:
        assert valid(step, result.value), (reply, result)

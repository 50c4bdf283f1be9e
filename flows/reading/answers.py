"""What a reply means for the question it answers, forgiving typos, case, text-speak and Welsh.

`interpret` never raises: whatever arrives, the answer is a value, a special, or a problem the
engine turns into a re-prompt.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import date
from fractions import Fraction

from flows.reading import labels
from flows.reading.choices import read_choice, read_multi
from flows.reading.commands import parse_special, starts_like_special
from flows.reading.dates import read_date
from flows.reading.interpretation import (
    BAD_DATE,
    EMPTY,
    NOT_UNDERSTOOD,
    OUT_OF_RANGE,
    SPECIAL_NOT_ALLOWED,
    Interpretation,
    refused,
    understood,
)
from flows.reading.numbers import as_plain, numbers_in, round_half_up, with_sign, words_to_digits
from flows.reading.spelling import key, normalise
from flows.reading.yesno import by_polarity, read_yes_no
from flows.schema import Step, StepType

__all__ = ["Interpretation", "interpret", "normalise"]

Reader = Callable[[Step, str, str, str, date], Interpretation]

# "4 out of 5", "4/5", "8 allan o 10": a score on some other scale.
_OUT_OF = re.compile(r"(?<![\w.])(\d+)\s*(?:/|out of|outta|of|allan o|o)\s*(\d+)(?!\d)")
_THUMBS_UP, _THUMBS_DOWN = "👍", "👎"
# Longer than this is a story, not a choice, number or date; reading it word by word would be slow.
MAX_READ = 1000


def interpret(step: Step, text: str, language: str, today: date) -> Interpretation:
    if step.type is StepType.MESSAGE:
        return refused(NOT_UNDERSTOOD)
    norm = normalise(text)
    if not norm:
        return refused(EMPTY)
    if len(norm) > MAX_READ and step.type is not StepType.TEXT:
        return refused(NOT_UNDERSTOOD)
    special = parse_special(text, language)
    if special is None:
        return _READERS[step.type](step, text, norm, language, today)
    # An option called "Not sure" is an answer, even though "not sure" is also "don't know".
    if special in step.allow and not _names_an_answer(step, key(norm)):
        return Interpretation(ok=True, special=special)
    if step.type is not StepType.TEXT:
        answer = _READERS[step.type](step, text, norm, language, today)
        if answer.ok:
            return answer
    return refused(SPECIAL_NOT_ALLOWED)


def _names_an_answer(step: Step, typed: str) -> bool:
    if step.type in (StepType.CHOICE, StepType.MULTI_CHOICE):
        return labels.exact(labels.from_options(step.options), typed) is not None
    if step.type is StepType.SCALE:
        return labels.exact(labels.from_points(step.points), typed) is not None
    if step.type is StepType.YES_NO:
        return typed in labels.labels_in(step.yes_label) | labels.labels_in(step.no_label)
    return False


def _choice(step: Step, raw: str, norm: str, language: str, today: date) -> Interpretation:
    return read_choice(step, norm, language)


def _multi(step: Step, raw: str, norm: str, language: str, today: date) -> Interpretation:
    return read_multi(step, norm, language)


def _scale(step: Step, raw: str, norm: str, language: str, today: date) -> Interpretation:
    if not step.points:
        return refused(NOT_UNDERSTOOD)  # the loader never builds one; an engine test might
    candidates = labels.from_points(step.points)
    typed = key(norm)
    found = labels.exact(candidates, typed)
    if found is not None:
        return understood(step.points[found].value)
    text = words_to_digits(with_sign(raw, norm), language)
    numbers = numbers_in(text)
    out_of = _OUT_OF.search(text)
    if numbers is None:
        return refused(NOT_UNDERSTOOD)
    if out_of and len(numbers) == 2:
        value = _rescale(int(out_of.group(1)), int(out_of.group(2)), step.scale_max)
    elif numbers:
        value = numbers[0] if len(set(numbers)) == 1 else None
    elif starts_like_special(typed):
        value = None
    else:
        found = labels.find(candidates, typed, norm)
        if found is None:
            found = by_polarity(candidates, typed)
        value = Fraction(step.points[found].value) if found is not None else _thumbs(step, norm)
    if value is None or value.denominator != 1:
        return refused(NOT_UNDERSTOOD)
    if not step.scale_min <= value <= step.scale_max:
        return refused(OUT_OF_RANGE)
    return understood(int(value))


def _rescale(score: int, out_of: int, top: int) -> Fraction | None:
    """ "3/10" on a 1-5 scale: the same share of the top point, rounded half up.

    value = round_half_up(score * top / out_of), so 3/10 -> 1.5 -> 2 and 10/10 -> 5; no clamping.
    """
    if out_of == top:
        return Fraction(score)
    if out_of <= 0:
        return None
    return Fraction(round_half_up(Fraction(score * top, out_of)))


def _thumbs(step: Step, norm: str) -> Fraction | None:
    # Reached only when no point has the thumb as its own emoji.
    thumbs = set(norm.replace(" ", ""))
    if thumbs == {_THUMBS_UP}:
        return Fraction(step.scale_max)
    if thumbs == {_THUMBS_DOWN}:
        return Fraction(step.scale_min)
    return None


def _yes_no(step: Step, raw: str, norm: str, language: str, today: date) -> Interpretation:
    return read_yes_no(step, norm)


def _text(step: Step, raw: str, norm: str, language: str, today: date) -> Interpretation:
    kept = "".join(
        ch
        for ch in raw.replace("\r\n", "\n")
        if ch in "\n\t" or (unicodedata.category(ch) not in ("Cc", "Cs") and ch != "\ufeff")
    ).strip()
    if len(kept) <= step.max_length:
        return understood(kept)
    return understood(kept[: step.max_length].rstrip(), truncated=True)


def _number(step: Step, raw: str, norm: str, language: str, today: date) -> Interpretation:
    numbers = numbers_in(words_to_digits(with_sign(raw, norm), language, counts=True))
    if not numbers or len(set(numbers)) != 1:
        return refused(NOT_UNDERSTOOD)
    value = numbers[0]
    if step.integer and value.denominator != 1:
        return refused(NOT_UNDERSTOOD)
    low, high = step.minimum, step.maximum
    if (low is not None and value < low) or (high is not None and value > high):
        return refused(OUT_OF_RANGE)
    return understood(as_plain(value))


def _date(step: Step, raw: str, norm: str, language: str, today: date) -> Interpretation:
    reading = read_date(norm, today)
    if isinstance(reading, date):
        return understood(reading.isoformat())
    return refused(NOT_UNDERSTOOD if reading is None else BAD_DATE)


_READERS: dict[StepType, Reader] = {
    StepType.CHOICE: _choice,
    StepType.MULTI_CHOICE: _multi,
    StepType.SCALE: _scale,
    StepType.YES_NO: _yes_no,
    StepType.TEXT: _text,
    StepType.NUMBER: _number,
    StepType.DATE: _date,
}

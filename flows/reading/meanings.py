"""Options named by what they mean rather than their words: "post" for "Letter", "3pm" for
"Afternoon", "whenever" for "Any time". Each is read only where exactly one option fits."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

from flows.reading.labels import Candidate
from flows.reading.phrases import (
    INDIFFERENT,
    INDIFFERENT_LABELS,
    OPTION_WORDS,
    TIME_LABELS,
    TIMES_OF_DAY,
)
from flows.reading.spelling import close, key

# "3pm", "at 10am", "after 6", "after 7pm": a clock time, and whether "after" came first.
_CLOCK = re.compile(r"^(?:at |about |around |after |from )?(\d{1,2})(?:[.:]\d\d)? ?(am|pm)?$")


def reworded(candidates: Sequence[Candidate], norm: str) -> str:
    """The reply with everyday words put as the label says them: "ring me" -> "call"."""
    padded = f" {key(norm)} "
    for word, phrase in _option_phrases():
        if f" {phrase} " in padded and len(_having(candidates, word)) == 1:
            padded = padded.replace(f" {phrase} ", f" {word} ")
    return padded.strip() if padded.strip() != key(norm) else norm


def meant(candidates: Sequence[Candidate], norm: str) -> int | None:
    """The one option a time of day or "don't mind" means, if the reply says nothing else."""
    typed = key(norm)
    time = _time_of_day(typed)
    if time is not None:
        fits = {i for label in TIME_LABELS[time] for i in _having(candidates, key(label))}
        return fits.pop() if len(fits) == 1 else None
    negative = typed.split()[0] in _NEGATIVE if typed else False
    if typed in _indifferent() or (not negative and _near(typed, _indifferent())):
        fits = {i for label in INDIFFERENT_LABELS for i in _starting(candidates, key(label))}
        return fits.pop() if len(fits) == 1 else None
    return None


# "neither" is one letter from "either", but means the opposite.
_NEGATIVE = frozenset({"neither", "nor", "not", "no", "none", "never", "ddim", "dim", "na"})


def _time_of_day(typed: str) -> str | None:
    for time, phrases in TIMES_OF_DAY.items():
        if typed in {key(p) for p in phrases}:
            return time
    clock = _CLOCK.match(typed)
    if not clock:
        return None
    hour, half = int(clock.group(1)), clock.group(2)
    after = typed.startswith("after ")
    if half == "am" and 5 <= hour <= 11:
        return "morning"
    if half == "pm" or after:
        hour = hour % 12 + 12 if half == "pm" or hour < 12 else hour
        if 12 <= hour < 17:
            return "afternoon"
        if 17 <= hour <= 22:
            return "evening"
    return None  # "at 10": morning or night?


def _near(typed: str, phrases: frozenset[str]) -> bool:
    return len(typed) >= 6 and any(close(typed, p) == 1 for p in phrases if len(p) >= 6)


def _having(candidates: Sequence[Candidate], word: str) -> set[int]:
    return {i for i, c in enumerate(candidates) if any(f" {word} " in f" {k} " for k in c.keys)}


def _starting(candidates: Sequence[Candidate], word: str) -> set[int]:
    return {
        i for i, c in enumerate(candidates) if any(f"{k} ".startswith(f"{word} ") for k in c.keys)
    }


@cache
def _indifferent() -> frozenset[str]:
    return frozenset(key(p) for p in INDIFFERENT)


@cache
def _option_phrases() -> tuple[tuple[str, str], ...]:
    pairs = [(key(word), key(p)) for word, phrases in OPTION_WORDS.items() for p in phrases]
    return tuple(sorted(pairs, key=lambda pair: len(pair[1]), reverse=True))

"""Dates in replies, day first as in the UK: "12/03/2025", "12th March", "2025-03-12", "ddoe"."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Literal

from flows.reading.interpretation import BAD_DATE
from flows.reading.spelling import close, key
from flows.reading.vocabulary import LAST, MONTHS, ORDINAL_SUFFIXES, RELATIVE_DAYS, WEEKDAYS

DateReading = date | Literal["bad_date"] | None

# A date without a year that lands further ahead than this is taken to be last year's.
FUTURE_GRACE = timedelta(days=31)

_ISO = re.compile(r"(?<![\d.,])(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?!\d)")
_DMY = re.compile(
    r"(?<![\d.,])(\d{1,2})\s*([/.\-])\s*(\d{1,2})(?:\s*\2\s*(\d{4}|\d{2}))?(?!\d)(?![/.\-]\d)"
)
_SPACED = re.compile(r"(\d{1,2}) (\d{1,2}) (\d{4}|\d{2})")
_TOKEN = re.compile(r"\d+|[^\W\d_]+")
_MONTHS = {w: m for table in MONTHS.values() for w, m in table.items()}
_RELATIVE = {w: d for table in RELATIVE_DAYS.values() for w, d in table.items()}
_WEEKDAYS = {w: d for table in WEEKDAYS.values() for w, d in table.items()}


def read_date(norm: str, today: date) -> DateReading:
    found = [m.groups() for m in _ISO.finditer(norm)]
    if found:
        return _one({_make(int(y), int(m), int(d), today) for y, _, m, d in found})
    found = [(d, m, y) for d, _, m, y in (m.groups() for m in _DMY.finditer(norm))]
    spaced = _SPACED.fullmatch(norm)
    if spaced:
        found = [spaced.groups()]
    if found:
        return _one({_make(_year(y, today), int(m), int(d), today) for d, m, y in found})
    words = key(norm)
    return _in_words(words, today) or _relative(words, today)


def _one(readings: set[DateReading]) -> DateReading:
    # Two different dates in one reply ("12/03 or 13/03") is a question back, not a guess.
    return readings.pop() if len(readings) == 1 else None


def _year(text: str | None, today: date) -> int | None:
    if text is None:
        return None
    year = int(text)
    if len(text) == 2:
        year += 2000 if 2000 + year <= today.year + 10 else 1900
    return year


def _make(year: int | None, month: int, day: int, today: date) -> date | Literal["bad_date"]:
    try:
        if year is not None:
            return date(year, month, day)
        guess = date(today.year, month, day)
        # People tell us about things that happened, so "12 December" in January is last December.
        return guess if guess <= today + FUTURE_GRACE else date(today.year - 1, month, day)
    except (ValueError, OverflowError):
        return BAD_DATE


def _in_words(words: str, today: date) -> DateReading:
    tokens = _TOKEN.findall(words)
    months = {m for m in map(_month, tokens) if m is not None}
    if len(months) != 1:
        return None
    numbers = [t for t in tokens if t.isdecimal()]
    years = [t for t in numbers if len(t) == 4]
    days = [t for t in numbers if len(t) <= 2]
    if len(years) > 1 or len(numbers) != len(years) + len(days) or not days:
        return None
    if not years and len(days) == 2:
        days, years = days[:1], days[1:]  # "12 march 25"
    if len(days) != 1:
        return None
    return _make(_year(years[0], today) if years else None, months.pop(), int(days[0]), today)


def _month(token: str) -> int | None:
    if token.isdecimal() or token in ORDINAL_SUFFIXES or len(token) < 3:
        return None
    if token in _MONTHS:
        return _MONTHS[token]
    guesses = {m for w, m in _MONTHS.items() if len(w) >= 5 and w.startswith(token)}
    if not guesses and len(token) >= 4:
        guesses = {m for w, m in _MONTHS.items() if len(w) >= 5 and close(token, w) is not None}
    return guesses.pop() if len(guesses) == 1 else None


def _relative(words: str, today: date) -> DateReading:
    padded = f" {words} "
    back = {d for w, d in _RELATIVE.items() if f" {w} " in padded}
    if not back:
        back = {
            d
            for w, d in _RELATIVE.items()
            for t in words.split()
            if len(t) >= 5 and close(t, w) is not None
        }
    if {1, 2} <= back:
        back.discard(1)  # "the day before yesterday" also says "yesterday"
    if not back:
        back = _weekday(padded, today)
    return _days_ago(today, back.pop()) if len(back) == 1 else None


def _weekday(padded: str, today: date) -> set[int]:
    days = {d for w, d in _WEEKDAYS.items() if f" {w} " in padded}
    if len(days) != 1 or any(ch.isdecimal() for ch in padded):
        return set()
    offset = (today.weekday() - days.pop()) % 7
    if offset == 0 and any(f" {w} " in padded for w in LAST):
        offset = 7  # "last Friday", said on a Friday, is a week ago
    return {offset}


def _days_ago(today: date, days: int) -> DateReading:
    try:
        return today - timedelta(days=days)
    except OverflowError:
        return BAD_DATE

"""Dates in replies, day first as in the UK: "12/03/2025", "12th March", "3 weeks ago", "ddoe".

A reply that could be two different days ("12th or 13th", "oct 26", "a week today") or names a
stretch of time rather than a day ("last week", "a few weeks ago") is left unread, so it is asked
again.
"""

from __future__ import annotations

import re
from calendar import monthrange
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Literal

from flows.reading.date_words import (
    AGO,
    AGO_UNITS,
    LAST,
    MONTHS,
    NAMED_DAYS,
    NEXT,
    PAST_QUESTIONS,
    RELATIVE_DAYS,
    THIS,
    WEEKDAYS,
)
from flows.reading.interpretation import BAD_DATE
from flows.reading.numbers import words_to_digits
from flows.reading.spelling import close, key
from flows.reading.vocabulary import (
    AGO_HEDGES,
    OR,
    ORDINAL_SUFFIXES,
)

DateReading = date | Literal["bad_date"] | None

# A date without a year that lands further ahead than this is taken to be last year's.
FUTURE_GRACE = timedelta(days=31)
# A two-digit number after a month this close to this year may be the year: "oct 26".
YEAR_LIKE = range(-5, 2)

_ISO = re.compile(r"(?<![\d.,])(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?!\d)")
_DMY = re.compile(
    r"(?<![\d.,])(\d{1,2})\s*([/.\-])\s*(\d{1,2})(?:\s*\2\s*(\d{4}|\d{2}))?(?!\d)(?![/.\-]\d)"
)
_SPACED = re.compile(r"(\d{1,2}) (\d{1,2}) (\d{4}|\d{2})")
_TOKEN = re.compile(r"\d+|[^\W\d_]+")
_MONTHS = {w: m for table in MONTHS.values() for w, m in table.items()}
_RELATIVE = {key(w): d for table in RELATIVE_DAYS.values() for w, d in table.items()}
_WEEKDAYS = {w: d for table in WEEKDAYS.values() for w, d in table.items()}
_UNITS = {w: u for table in AGO_UNITS.values() for w, u in table.items()}
_NAMED = {key(w): md for table in NAMED_DAYS.values() for w, md in table.items()}
_AGO = re.compile(
    r"(?:\b(?P<n>\d+|an?) )?\b(?P<unit>"
    + "|".join(sorted(_UNITS, key=len, reverse=True))
    + r") (?:"
    + "|".join(sorted(AGO, key=len, reverse=True))
    + r")\b"
)
# Words for a stretch of time: "a week today" might be next week, "last week" is seven days.
_PERIODS = frozenset({"week", "weeks", "wythnos", "month", "months", "mis", "year", "term"})
_OF = frozenset({"of", "o"})
_COUPLE = re.compile(r"\b(?:a )?couple (?:of )?")
_PLURALS = frozenset(
    {"days", "weeks", "wks", "months", "years", "yrs", "fortnights", "wythnosau", "diwrnodau"}
    | {"mlynedd", "blynedd", "flynedd"}
)
# Words around a day of the month said alone: "on the 10th", "it was the 3rd".
_DAY_FILLER = frozenset({"on", "the", "it", "was", "its", "i", "think", "about", "around"})


def _day_alone(tokens: list[str], today: date) -> DateReading:
    """ "the 3rd", "on the 10th": that day this month, or last month's if it is still to come."""
    rest = [t for t in tokens if t not in _DAY_FILLER]
    suffixed = len(rest) == 2 and rest[1] in ORDINAL_SUFFIXES
    said_the = len(rest) == 1 and "the" in tokens  # "3" alone is anything
    if not (suffixed or said_the) or not rest[0].isdecimal() or len(rest[0]) > 2:
        return None
    day = int(rest[0])
    for back in (0, 1):
        year, month = divmod(today.year * 12 + today.month - 1 - back, 12)
        if 1 <= day <= monthrange(year, month + 1)[1]:
            found = date(year, month + 1, day)
            if found <= today:
                return found
    return None


def asks_about_the_past(texts: Iterable[str]) -> bool:
    """ "When was the last review?", "Pryd cafodd ...?": a date without a year is the last one."""
    padded = " ".join(f" {key(t)} " for t in texts)
    return any(f" {key(p)} " in padded for p in PAST_QUESTIONS)


def read_date(norm: str, today: date, past: bool = False) -> DateReading:
    """past: the question asks when something happened, so "10th December" is last December."""
    grace = timedelta(0) if past else FUTURE_GRACE
    return _read(norm, today, grace)


def _read(norm: str, today: date, grace: timedelta) -> DateReading:
    if any(t in OR for t in _TOKEN.findall(key(norm))):
        return None  # "12/04/2019 or 2020", "monday or tuesday": a question back, not a guess
    found = [m.groups() for m in _ISO.finditer(norm)]
    if found:
        return _one({_make(int(y), int(m), int(d), today, grace) for y, _, m, d in found})
    found = [(d, m, y) for d, _, m, y in (m.groups() for m in _DMY.finditer(norm))]
    spaced = _SPACED.fullmatch(norm)
    if spaced:
        found = [spaced.groups()]
    if found:
        return _one({_make(_year(y, today), int(m), int(d), today, grace) for d, m, y in found})
    words = key(norm)
    tokens = _TOKEN.findall(words)
    if any(t in AGO for t in tokens) or "yn ol" in words:
        return _ago(words, today)
    weekday, tokens = _weekday_in(tokens)
    return (
        _in_words(tokens, weekday, today, grace)
        or _named(f" {words} ", today)
        or _by_weekday(tokens, weekday, today)
        or _relative(tokens, today)
        or (_day_alone(tokens, today) if weekday is None else None)
    )


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


def _make(
    year: int | None, month: int, day: int, today: date, grace: timedelta = FUTURE_GRACE
) -> date | Literal["bad_date"]:
    try:
        if year is not None:
            return date(year, month, day)
        guess = date(today.year, month, day)
        # People tell us about things that happened, so "12 December" in January is last December.
        return guess if guess <= today + grace else date(today.year - 1, month, day)
    except (ValueError, OverflowError):
        return BAD_DATE


def _ago(words: str, today: date) -> DateReading:
    """ "3 weeks ago", "about a month ago", "pythefnos yn ôl", "dau fis yn ôl"."""
    readings: set[DateReading] = set()
    text = _COUPLE.sub("2 ", words_to_digits(words, "cy"))
    for m in _AGO.finditer(text):
        n = m.group("n")
        if n is None and m.group("unit") in _PLURALS:
            return None  # "years ago", "weeks ago": how many?
        before = (text[: m.start()].split() or [""])[-1]
        if before and before not in AGO_HEDGES:
            return None  # "over a year ago", "a few weeks ago", "dri mis" misread as "mis"
        count = int(n) if n and n.isdecimal() else 1
        days, months = _UNITS[m.group("unit")]
        readings.add(_back(today, days * count, months * count))
    return _one(readings) if readings else None


def _back(today: date, days: int, months: int) -> DateReading:
    try:
        if months:
            year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
            return date(year, month + 1, min(today.day, monthrange(year, month + 1)[1]))
        return today - timedelta(days=days)
    except (ValueError, OverflowError):
        return BAD_DATE


def _weekday_in(tokens: list[str]) -> tuple[int | None, list[str]]:
    """The one weekday a reply names, and the reply without it; -1 when it names several."""
    days: set[int] = set()
    rest: list[str] = []
    i = 0
    while i < len(tokens):
        pair = " ".join(tokens[i : i + 2])
        if pair in _WEEKDAYS:  # Welsh "dydd mawrth" (Tuesday) before "mawrth" (March)
            days.add(_WEEKDAYS[pair])
            i += 2
            continue
        if tokens[i] in _WEEKDAYS:
            days.add(_WEEKDAYS[tokens[i]])
        else:
            rest.append(tokens[i])
        i += 1
    if len(days) > 1:
        return -1, rest
    return (days.pop() if days else None), rest


def _in_words(tokens: list[str], weekday: int | None, today: date, grace: timedelta) -> DateReading:
    """ "12th March", "the 12th of October", "march 3rd", "june 23 2026", "14eg o Fedi"."""
    at = [(i, m) for i, t in enumerate(tokens) if (m := _month(t)) is not None]
    if len({m for _, m in at}) != 1 or weekday == -1:
        return None
    i, month = at[0]
    before = _day_before(tokens, i)
    after, year_after, suffixed = _after(tokens, i)
    year: int | None = None
    if before is not None:
        day = before
        if after is not None and not suffixed and len(after) in (2, 4):
            year = _year(after, today)  # "12 march 25"
        elif year_after is not None:
            year = _year(year_after, today)
    elif after is not None and len(after) <= 2:
        if not suffixed and year_after is None and (int(after) - today.year % 100) in YEAR_LIKE:
            return None  # "oct 26": the 26th, or October 2026?
        day = after
        year = _year(year_after, today) if year_after is not None else None
    else:
        return None
    made = _make(year, month, int(day), today, grace)
    if isinstance(made, date) and weekday is not None and made.weekday() != weekday:
        return None  # "Tuesday 12th March" when the 12th was a Wednesday
    return made


def _day_before(tokens: list[str], at: int) -> str | None:
    j = at - 1
    if j >= 0 and tokens[j] in _OF:
        j -= 1
    if j >= 0 and tokens[j] in ORDINAL_SUFFIXES:
        j -= 1
    return tokens[j] if j >= 0 and tokens[j].isdecimal() and len(tokens[j]) <= 2 else None


def _after(tokens: list[str], at: int) -> tuple[str | None, str | None, bool]:
    """The number after a month, a year after that, and whether the number had "th" or "fed"."""
    j = at + 1
    if j < len(tokens) and tokens[j] in ("the", "y", "yr"):
        j += 1
    if j >= len(tokens) or not tokens[j].isdecimal():
        return None, None, False
    number = tokens[j]
    suffixed = j + 1 < len(tokens) and tokens[j + 1] in ORDINAL_SUFFIXES
    k = j + 2 if suffixed else j + 1
    if k < len(tokens) and tokens[k] in _UNITS:
        return None, None, False  # "october, 3 weeks late"
    year = tokens[k] if k < len(tokens) and tokens[k].isdecimal() and len(tokens[k]) == 4 else None
    if len(number) == 4:
        return number, None, False
    return number, year, suffixed


def _month(token: str) -> int | None:
    if token.isdecimal() or token in ORDINAL_SUFFIXES or len(token) < 3:
        return None
    if token in _MONTHS:
        return _MONTHS[token]
    guesses = {m for w, m in _MONTHS.items() if len(w) >= 5 and w.startswith(token)}
    if not guesses and len(token) >= 4:
        guesses = {m for w, m in _MONTHS.items() if len(w) >= 5 and close(token, w) is not None}
    return guesses.pop() if len(guesses) == 1 else None


def _named(padded: str, today: date) -> DateReading:
    found = {md for name, md in _NAMED.items() if f" {name} " in padded}
    if len(found) != 1:
        return None
    month, day = found.pop()
    this_year = date(today.year, month, day)
    return this_year if this_year <= today else date(today.year - 1, month, day)


def _by_weekday(tokens: list[str], weekday: int | None, today: date) -> DateReading:
    """ "tuesday", "last wed", "next friday", "friday 13th", "a week last tuesday"."""
    if weekday is None or weekday == -1:
        return None
    monday = today - timedelta(days=today.weekday())
    numbers = [t for t in tokens if t.isdecimal()]
    words = set(tokens)
    if numbers:
        return _weekday_and_day(numbers, weekday, today)
    if words & NEXT:
        return monday + timedelta(days=7 + weekday)  # the one in next week
    if "coming" in words:
        return today + timedelta(days=(weekday - today.weekday()) % 7 or 7)  # "thursday coming"
    if "week" in words and words & LAST and not _a_week_before(tokens):
        return monday + timedelta(days=weekday - 7)  # "wednesday last week"
    if words & THIS and not words & LAST:
        return monday + timedelta(days=weekday)
    offset = (today.weekday() - weekday) % 7
    if offset == 0 and words & LAST:
        offset = 7  # "last Friday", said on a Friday, is a week ago
    if _a_week_before(tokens) or ("before" in words and "last" in words):
        offset += 7  # "a week last tuesday", "tuesday before last"
    elif words & _PERIODS:
        return None
    return today - timedelta(days=offset)


def _weekday_and_day(numbers: list[str], weekday: int, today: date) -> DateReading:
    """ "friday 13th": the latest 13th, or the next one, that was or is a Friday."""
    if len(numbers) != 1 or len(numbers[0]) > 2:
        return None
    day = int(numbers[0])
    fits = set()
    for back in range(-1, 2):  # next month, this month, last month
        year, month = divmod(today.year * 12 + today.month - 1 - back, 12)
        if 1 <= day <= monthrange(year, month + 1)[1]:
            found = date(year, month + 1, day)
            if found.weekday() == weekday and abs((found - today).days) <= 31:
                fits.add(found)
    return fits.pop() if len(fits) == 1 else None


def _a_week_before(tokens: list[str]) -> bool:
    """ "a week last tuesday", "a week yesterday", "wythnos i ddoe": seven days before that."""
    return tokens[:2] in (["a", "week"], ["wythnos", "i"], ["wythnos", "ers"]) and tokens[2:3] != [
        "today"
    ]


def _relative(tokens: list[str], today: date) -> DateReading:
    padded = f" {' '.join(tokens)} "
    back = {d for w, d in _RELATIVE.items() if f" {w} " in padded}
    if not back:
        back = {
            d
            for w, d in _RELATIVE.items()
            for t in tokens
            if len(t) >= 5 and close(t, w) is not None
        }
    if {1, 2} <= back:
        back.discard(1)  # "the day before yesterday" also says "yesterday"
    if {-1, -2} <= back:
        back.discard(-1)
    if len(back) != 1:
        return None
    days = back.pop()
    if set(tokens) & _PERIODS:
        if not (_a_week_before(tokens) and days > 0):
            return None  # "a week today" may be next week
        days += 7
    return _back(today, days, 0)

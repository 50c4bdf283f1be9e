"""What a number question counts in (weeks, years of age, ...) and what a reply's number counts in.

"How many weeks did you wait?" "6 months" is not 6: the reply names another unit, so it is asked
again. "How old is your child?" "11 yrs old" is 11, "year 6" is a school year, not an age.
"""

from __future__ import annotations

import re
from functools import cache

from flows.reading.spelling import key
from flows.schema import Step

AGE = "age"
# Unit words in replies and questions, by what they measure. An age is counted in years.
_UNITS: dict[str, tuple[str, ...]] = {
    "days": ("day", "days", "diwrnod", "diwrnodau", "niwrnod"),
    "weeks": ("week", "weeks", "wk", "wks", "wythnos", "wythnosau", "fortnight", "fortnights"),
    "months": ("month", "months", "mth", "mths", "mnths", "mis", "fis", "misoedd"),
    "years": (
        "year", "years", "yr", "yrs", "yo", "oed", "mlwydd", "mlynedd", "blynedd", "blwyddyn",
        "flwyddyn", "year old", "years old", "yrs old",
    ),
    "hours": ("hour", "hours", "hr", "hrs", "awr", "oriau"),
    "minutes": ("minute", "minutes", "min", "mins", "munud", "munudau"),
}  # fmt: skip
# A stretch of time that a count is "per": "each week", "bob wythnos"; "this term" is when.
_PERIODS = {
    "day": "day", "days": "day", "diwrnod": "day", "week": "week", "wythnos": "week",
    "fortnight": "fortnight", "month": "month", "mis": "month", "year": "year",
    "blwyddyn": "year", "flwyddyn": "year", "term": "term", "tymor": "term",
}  # fmt: skip
_EVERY = r"(?:a|an|per|each|every|bob|the)"
_RATE = re.compile(
    rf"\b{_EVERY}\s+({'|'.join(_PERIODS)})\b|\b(daily|weekly|monthly|yearly|termly)\b"
)
_WHEN = re.compile(rf"\b(?:{_EVERY}|this|last|yr|y)\s+(?:{'|'.join(_PERIODS)})\b")
_LY = {"daily": "day", "weekly": "week", "monthly": "month", "yearly": "year", "termly": "term"}
_AGE_QUESTION = ("how old", "age", "aged", "oed", "faint yw oed", "pa oed")
# "year 6", "yr 9", "blwyddyn 6": a school year, not a number of anything.
SCHOOL_YEAR = re.compile(r"\b(?:year|yr|blwyddyn|bl)\s?\d+\b")
# "14 next month", "6 in january", "turning 5": the age they are about to be.
ABOUT_TO_BE = re.compile(
    r"^(\d{1,2})\s+(?:next\s+(?:month|week|year)|soon|in\s+[a-z]+|on\s+[a-z]+|fis\s+nesaf)$"
)
HALF = re.compile(r"(\d)\s*(?:and a half|a hanner|½|1/2|\.5)\b")


def asked_in(step: Step) -> str | None:
    """What the question counts: AGE, "weeks", "years", ... or None."""
    padded = " " + " ".join(_WHEN.sub(" ", key(t)) for t in step.text.values()) + " "
    if any(f" {key(q)} " in padded for q in _AGE_QUESTION):
        return AGE
    found = {unit for unit, words in _UNITS.items() if any(f" {w} " in padded for w in words)}
    return found.pop() if len(found) == 1 else None


def rate_asked(step: Step) -> str | None:
    """The period a question counts per: "each week" -> "week"; None if it asks for a total."""
    found = {rate for t in step.text.values() if (rate := _rate(key(t))) is not None}
    return found.pop() if len(found) == 1 else None


def rate_given(typed: str) -> str | None:
    """The period a reply's number is per: "2 hours a day" -> "day"; "a week" alone is 1 week."""
    found = _RATE.search(typed)
    if not found or not any(ch.isdecimal() for ch in typed[: found.start()]):
        return None
    return _rate(typed)


def _rate(typed: str) -> str | None:
    found = _RATE.search(typed)
    if not found:
        return None
    return _PERIODS[found.group(1)] if found.group(1) else _LY[found.group(2)]


def units_after_numbers(typed: str) -> set[str]:
    """The units a reply's numbers are given in: "6 months" -> {"months"}."""
    return {unit for m in _after_number().finditer(typed) for unit in [_unit_of(m.group(1))]}


def fits(asked: str, given: set[str]) -> bool:
    wanted = "years" if asked == AGE else asked
    return given <= {wanted}


def one_of(typed: str, asked: str) -> str:
    """ "a week" is "1 week" and "a fortnight" "2 weeks", when the question counts weeks."""
    if asked == "weeks":
        typed = re.sub(r"\b(?:a|one) fortnight\b", "2 weeks", typed)
    for word in _UNITS.get("years" if asked == AGE else asked, ()):
        typed = re.sub(rf"^(?:just )?(?:a|an|one) {word}$", f"1 {word}", typed)
    return typed


@cache
def _after_number() -> re.Pattern[str]:
    words = sorted((w for ws in _UNITS.values() for w in ws), key=len, reverse=True)
    return re.compile(r"\d\s*(" + "|".join(map(re.escape, words)) + r")\b")


def _unit_of(word: str) -> str:
    return next(unit for unit, words in _UNITS.items() if word in words)

"""Options given by number in a choice reply: "2 please", "the second one", "1 3", "1-3", "13"."""

from __future__ import annotations

import re
from functools import cache

from flows.reading.interpretation import OUT_OF_RANGE
from flows.reading.numbers import MAX_DIGITS, words_to_digits
from flows.reading.vocabulary import FILLER, ORDINAL_SUFFIXES, ORDINALS

_TOKEN = re.compile(r"\d+|[^\W\d_]+")
_ORDINALS = {w: n for table in ORDINALS.values() for w, n in table.items()}
_FILLER = frozenset().union(*FILLER.values())
CONNECTORS = frozenset({"and", "ac", "a", "plus", "options", "numbers", "+"})


def numbered(typed: str, count: int, language: str) -> int | str | None:
    """ "2 please", "the first one", "number two", "2nd": one number, other words filler."""
    text = words_to_digits(_ordinal_one().sub(_keep_ordinal, typed), language)
    numbers: set[int] = set()
    for token in _TOKEN.findall(text):
        if token.isdecimal():
            if len(token) > MAX_DIGITS:
                return OUT_OF_RANGE
            numbers.add(int(token))
        elif token in _ORDINALS:
            numbers.add(count if _ORDINALS[token] == -1 else _ORDINALS[token])
        elif token not in _FILLER and token not in ORDINAL_SUFFIXES:
            return None
    if len(numbers) != 1:
        return None
    return position(str(numbers.pop()), count)


def spell_out(match: re.Match[str]) -> str:
    """ "1-3" and "2 to 4" are every option between; anything odd is left for digits to refuse."""
    low, high = match.group(1), match.group(2)
    if len(low) > 2 or len(high) > 2 or int(low) >= int(high):
        return match.group(0)
    return " ".join(str(n) for n in range(int(low), int(high) + 1))


def digits(text: str, count: int) -> list[int] | str | None:
    """ "1 3", "1 and 3", "13" with fewer than ten options (each digit is a choice)."""
    tokens = text.split()
    if not any(t.isdecimal() for t in tokens) or not all(
        t.isdecimal() or t in CONNECTORS or t in _FILLER for t in tokens
    ):
        return None
    picks: list[int] = []
    for token in (t for t in tokens if t.isdecimal()):
        whole = position(token, count)
        if isinstance(whole, int):
            picks.append(whole)
        elif count < 10 and all(0 < int(d) <= count for d in token):
            picks.extend(int(d) - 1 for d in token)
        else:
            return OUT_OF_RANGE
    return picks


def position(number: str, count: int) -> int | str:
    if len(number) > MAX_DIGITS or not 0 < int(number) <= count:
        return OUT_OF_RANGE
    return int(number) - 1


@cache
def _ordinal_one() -> re.Pattern[str]:
    """ "one" beside a position word is a pronoun: "the first one", "yr un olaf", "2nd one"."""
    words = "|".join(sorted(_ORDINALS, key=len, reverse=True))
    ordinal = rf"(?:{words}|\d+ ?(?:st|nd|rd|th))"
    return re.compile(rf"\b(?:(?P<before>{ordinal}) (?:one|un)|(?:one|un) (?P<after>{ordinal}))\b")


def _keep_ordinal(match: re.Match[str]) -> str:
    return match.group("before") or match.group("after")

"""Choice and multi-choice replies: "2", "the second one", "very usefull", "1 and 3", "all"."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

from flows.reading import labels
from flows.reading.commands import starts_like_special
from flows.reading.interpretation import (
    NOT_UNDERSTOOD,
    OUT_OF_RANGE,
    TOO_FEW,
    TOO_MANY,
    Interpretation,
    refused,
    understood,
)
from flows.reading.labels import Candidate
from flows.reading.numbers import MAX_DIGITS, words_to_digits
from flows.reading.spelling import key
from flows.reading.vocabulary import ALL, FILLER, NONE, ORDINAL_SUFFIXES, ORDINALS
from flows.reading.yesno import by_polarity
from flows.schema import Step

_INDEX = re.compile(r"(?:(?:option|number|no|choice|opsiwn|rhif|dewis) ?)?(\d+)")
_TOKEN = re.compile(r"\d+|[^\W\d_]+")
_RANGE = re.compile(r"(?<![\d.])(\d+)\s*(?:-|–|to|i)\s*(\d+)(?![\d.])")
_SEPARATOR = re.compile(r"\s*(?:[,;&+/|]|\b(?:and|ac|a|plus)\b)\s*")
_ORDINALS = {w: n for table in ORDINALS.values() for w, n in table.items()}
_FILLER = frozenset().union(*FILLER.values())
_CONNECTORS = frozenset({"and", "ac", "a", "plus", "options", "numbers", "+"})
_ALL = frozenset(key(p) for phrases in ALL.values() for p in phrases)
_NONE = frozenset(key(p) for phrases in NONE.values() for p in phrases)
# More pieces than this is not a list of choices, and reading it would be slow.
MAX_PIECES = 40
MAX_JOINED = 6  # a label spans at most this many pieces ("speech and language therapy")


def read_choice(step: Step, norm: str, language: str) -> Interpretation:
    candidates = labels.from_options(step.options)
    found = _one(candidates, norm, language)
    if isinstance(found, int):
        return understood(step.options[found].value)
    if found == NOT_UNDERSTOOD:
        several = _many(candidates, norm, language)
        if isinstance(several, list) and len(set(several)) > 1:
            return refused(TOO_MANY)
    return refused(found)


def read_multi(step: Step, norm: str, language: str) -> Interpretation:
    candidates = labels.from_options(step.options)
    typed = key(norm)
    one = labels.exact(candidates, typed)
    if one is not None:
        found: list[int] | str = [one]
    elif typed in _ALL:
        found = list(range(len(candidates)))
    elif typed in _NONE:
        found = []
    else:
        found = _many(candidates, norm, language)
    if isinstance(found, str):
        return refused(found)
    chosen = sorted(set(found))
    if len(chosen) < step.min_choices:
        return refused(TOO_FEW)
    if step.max_choices is not None and len(chosen) > step.max_choices:
        return refused(TOO_MANY)
    return understood([step.options[i].value for i in chosen])


def _one(candidates: Sequence[Candidate], norm: str, language: str) -> int | str:
    """Which option one reply names (its index), or why none."""
    typed = key(norm)
    index = _INDEX.fullmatch(typed)
    if index:
        return _position(index.group(1), len(candidates))
    found = labels.exact(candidates, typed)
    if found is not None:
        return found
    numbered = _numbered(typed, len(candidates), language)
    if numbered is not None:
        return numbered
    if starts_like_special(typed):
        return NOT_UNDERSTOOD
    found = labels.find(candidates, typed, norm)
    if found is None:
        found = by_polarity(candidates, typed)
    return NOT_UNDERSTOOD if found is None else found


def _numbered(typed: str, count: int, language: str) -> int | str | None:
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
    return _position(str(numbers.pop()), count)


def _many(candidates: Sequence[Candidate], norm: str, language: str) -> list[int] | str:
    numbered = _RANGE.sub(_spell_out, words_to_digits(norm, language)).replace("+", " ")
    digits = _digits(key(numbered), len(candidates))
    if digits is not None:
        return digits
    spans = _pieces(norm)
    if len(spans) > MAX_PIECES:
        return NOT_UNDERSTOOD
    return _join(candidates, norm, spans, language)


def _spell_out(match: re.Match[str]) -> str:
    """ "1-3" and "2 to 4" are every option between; anything odd is left for _digits to refuse."""
    low, high = match.group(1), match.group(2)
    if len(low) > 2 or len(high) > 2 or int(low) >= int(high):
        return match.group(0)
    return " ".join(str(n) for n in range(int(low), int(high) + 1))


def _digits(text: str, count: int) -> list[int] | str | None:
    """ "1 3", "1 and 3", "13" with fewer than ten options (each digit is a choice)."""
    tokens = text.split()
    if not any(t.isdecimal() for t in tokens) or not all(
        t.isdecimal() or t in _CONNECTORS or t in _FILLER for t in tokens
    ):
        return None
    picks: list[int] = []
    for token in (t for t in tokens if t.isdecimal()):
        whole = _position(token, count)
        if isinstance(whole, int):
            picks.append(whole)
        elif count < 10 and all(0 < int(d) <= count for d in token):
            picks.extend(int(d) - 1 for d in token)
        else:
            return OUT_OF_RANGE
    return picks


def _pieces(norm: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for sep in _SEPARATOR.finditer(norm):
        spans.append((start, sep.start()))
        start = sep.end()
    spans.append((start, len(norm)))
    return [s for s in spans if key(norm[s[0] : s[1]])]


def _join(
    candidates: Sequence[Candidate], norm: str, spans: list[tuple[int, int]], language: str
) -> list[int] | str:
    """Fewest options that cover every piece; pieces rejoin when a label holds a separator."""
    best: list[list[int] | None] = [None] * len(spans) + [[]]
    out_of_range = False
    for i in reversed(range(len(spans))):
        for j in range(i, min(len(spans), i + MAX_JOINED)):
            rest = best[j + 1]
            if rest is None or (best[i] is not None and len(best[i] or []) <= len(rest) + 1):
                continue
            text = norm[spans[i][0] : spans[j][1]]
            # A rejoined stretch must be a label itself, or "speech and transport" would be one.
            found = _one(candidates, text, language) if i == j else _strictly(candidates, text)
            out_of_range = out_of_range or found == OUT_OF_RANGE
            if isinstance(found, int):
                best[i] = [found, *rest]
    result = best[0]
    if result is None:
        return OUT_OF_RANGE if out_of_range else NOT_UNDERSTOOD
    return result


def _strictly(candidates: Sequence[Candidate], text: str) -> int | str:
    found = labels.exact(candidates, key(text))
    return NOT_UNDERSTOOD if found is None else found


def _position(number: str, count: int) -> int | str:
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

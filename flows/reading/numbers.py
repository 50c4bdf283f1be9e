"""Numbers in replies: digits, "1,000", "-3", "2.5", and number words in English and Welsh."""

from __future__ import annotations

import re
from fractions import Fraction
from functools import cache

from flows.reading.spelling import distance, squeeze
from flows.reading.vocabulary import COUNT_WORDS, MULTIPLIERS, NUMBER_WORDS

# Longer than this is not a number a person means, and Python refuses to print huge ints.
MAX_DIGITS = 15

_NUMBER = re.compile(
    r"(?<![\w.])(?P<sign>[-−]?)(?P<whole>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<part>\d+))?(?!\d)"
)
_CAP = 10**MAX_DIGITS


def with_sign(raw: str, norm: str) -> str:
    """normalise() strips a leading minus along with other edge punctuation; a number needs it."""
    if raw.lstrip()[:1] in ("-", "−") and norm[:1].isdecimal():
        return f"-{norm}"
    return norm


def languages(language: str) -> tuple[str, ...]:
    return ("en",) if language == "en" else ("en", language)


def words_to_digits(text: str, language: str, counts: bool = False) -> str:
    """ "about four" -> "about 4", "twenty-one" -> "21", "un ar ddeg" -> "11"."""
    for pattern, table in _phrase_patterns(languages(language), counts):

        def digits(match: re.Match[str], table: dict[str, int] = table) -> str:
            return str(table[" ".join(match.group(0).split())])

        text = pattern.sub(digits, text)
    return _english_runs().sub(_english_value, re.sub(r"\ba (?=hundred|thousand)", "one ", text))


def numbers_in(text: str) -> list[Fraction] | None:
    """Every number written in digits, in order; None when one is too long to be meant."""
    found = []
    for m in _NUMBER.finditer(text):
        whole = m.group("whole").replace(",", "")
        part = m.group("part") or ""
        if len(whole) > MAX_DIGITS or len(part) > MAX_DIGITS:
            return None
        value = int(whole) + (Fraction(int(part), 10 ** len(part)) if part else Fraction(0))
        found.append(-value if m.group("sign") else value)
    return found


def as_plain(value: Fraction) -> int | float:
    return int(value) if value.denominator == 1 else float(value)


def round_half_up(value: Fraction) -> int:
    return int((value + Fraction(1, 2)) // 1)


@cache
def _phrase_patterns(
    langs: tuple[str, ...], counts: bool
) -> tuple[tuple[re.Pattern[str], dict[str, int]], ...]:
    # English words are left to the compound reader, which knows "twenty one" is one number.
    table = {w: v for lang in langs if lang != "en" for w, v in NUMBER_WORDS.get(lang, {}).items()}
    if counts:
        table |= {w: v for lang in langs for w, v in COUNT_WORDS.get(lang, {}).items()}
    if not table:
        return ()
    # Longest first, so "un ar ddeg" wins over "un".
    words = sorted(table, key=len, reverse=True)
    alternatives = "|".join(r"\s+".join(map(re.escape, w.split())) for w in words)
    return ((re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)"), table),)


@cache
def _english_runs() -> re.Pattern[str]:
    word = "|".join(sorted([*NUMBER_WORDS["en"], *MULTIPLIERS], key=len, reverse=True))
    return re.compile(rf"\b(?:{word})(?:(?:[\s-]+and)?[\s-]+(?:{word}))*\b")


def _english_value(match: re.Match[str]) -> str:
    """One run of English number words, which may hold several numbers ("one two" is 1 then 2)."""
    numbers: list[str] = []
    total = current = 0
    last = ""
    started = False

    def flush(joiner: str) -> None:
        nonlocal total, current, last, started
        if started:
            numbers.append(str(min(total + current, _CAP)) + joiner)
        total = current = 0
        last, started = "", False

    pending_and = False
    for word in match.group(0).replace("-", " ").split():
        if word == "and":
            pending_and = True
            continue
        if word in MULTIPLIERS:
            if MULTIPLIERS[word] == 100:
                current = min((current or 1) * 100, _CAP)
            else:
                total, current = min(total + (current or 1) * MULTIPLIERS[word], _CAP), 0
            last, started, pending_and = "big", True, False
            continue
        value = NUMBER_WORDS["en"][word]
        kind = "unit" if value < 10 else "teen" if value < 20 else "ten"
        # "and" only joins after hundred or thousand; "one and three" is two numbers.
        if (
            (pending_and and last != "big")
            or last == "unit"
            or last == "teen"
            or (last == "ten" and kind != "unit")
        ):
            flush(" and " if pending_and else " ")
        current += value
        last, started, pending_and = kind, True, False
    flush("")
    return "".join(numbers)


def misspelt_number(typed: str, language: str) -> int | None:
    """One number word with one typo: "fourr", "thre", "pedwr" (typed is a key, one word)."""
    if " " in typed or len(typed) < 4 or typed.isdecimal():
        return None
    words = {w: v for lang in languages(language) for w, v in NUMBER_WORDS[lang].items()}
    near = {
        v
        for w, v in words.items()
        if len(w) >= 4 and " " not in w and distance(squeeze(typed), w, 1) <= 1
    }
    return near.pop() if len(near) == 1 else None

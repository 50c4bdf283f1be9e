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

from flows.reading import labels, units
from flows.reading.choices import read_choice, read_multi
from flows.reading.commands import parse_special, starts_like_special
from flows.reading.dates import asks_about_the_past, read_date
from flows.reading.interpretation import (
    BAD_DATE,
    EMPTY,
    NOT_UNDERSTOOD,
    OUT_OF_RANGE,
    SPECIAL_NOT_ALLOWED,
    WHY_EMOJI,
    Interpretation,
    refused,
    understood,
)
from flows.reading.numbers import (
    as_plain,
    misspelt_number,
    numbers_in,
    round_half_up,
    with_sign,
    words_to_digits,
)
from flows.reading.spelling import key, normalise, squeeze
from flows.reading.vocabulary import (
    AGE_AFTER,
    AGE_ALWAYS,
    AGE_BEFORE,
    COUNTED,
    INTENSIFIERS,
    LABEL_WORDINGS,
    NOT_A_COUNT,
    PART_OF,
    PEOPLE,
    SCALE_SYNONYMS,
    SOFTENERS,
    STARS,
    SUBSET_AFTER,
)
from flows.reading.wrapping import asks_back, unwrapped
from flows.reading.yesno import by_polarity, read_yes_no
from flows.schema import Special, Step, StepType

__all__ = ["Interpretation", "interpret", "normalise"]

Reader = Callable[[Step, str, str, str, date], Interpretation]

# "4 out of 5", "4/5", "8 allan o 10": a score on some other scale.
_OUT_OF = re.compile(r"(?<![\w.])(\d+)\s*(?:/|out of|outta|of|allan o|o)\s*(\d+)(?!\d)")
# The word after a number, and whether a number follows that ("2 of the speakers", "4 of 5").
_AFTER_NUMBER = re.compile(r"\d\s+([^\W\d_]+)(\s+\d)?")
_ONLY = re.compile(r"\bdim ond\b")
_STRONG = ("very", "strongly")
_NUMBER_MARK = re.compile(r"\b(?:no|nr|num)\.\s*(?=\d)")  # "No.5"
_AND = re.compile(r"\s*(?:[,&+]|\band\b|\ba\b|\bac\b)\s*")
_DETERMINERS = frozenset({"my", "fy", "the", "y", "yr", "just", "only", "our", "ein", "mine", "i"})
_SUBSET = re.compile(
    r"(\d+)\s+(?:" + "|".join(sorted(SUBSET_AFTER, key=len, reverse=True)) + r")\b"
)
_PART_OF = re.compile(r"(\d+)\s+(?:" + "|".join(sorted(PART_OF)) + r")\b")
# The count first, then what its children are like: "2 (9 and 11)", "one, he's 6", "1 in year 3".
_FIRST_THEN_AGES = re.compile(
    r"^\D*?(\d+)\s*(?:\(|(?:[,\-–]|\bin\b).*(?:\baged?\b|\boed\b|\byears?\b|\bhe'?s\b|"
    r"\bshe'?s\b|\bmae\b))"
)
_AGE_AFTER = re.compile(r"\d+\s*(?:" + "|".join(AGE_AFTER) + r")\b")
_AGE_BEFORE = re.compile(r"\b(" + "|".join(sorted(AGE_BEFORE | {"he's", "she's"})) + r")\s+\d")
_WELSH_INTENSIFIERS = frozenset({"hynod", "wirioneddol", "gwirioneddol", "ofnadwy"})
_SCALE_SYNONYMS = sorted(
    ((key(p), key(i)) for table in SCALE_SYNONYMS.values() for p, i in table.items()),
    key=lambda pair: len(pair[0]),
    reverse=True,
)
_WORDED = frozenset({StepType.CHOICE, StepType.MULTI_CHOICE, StepType.SCALE, StepType.YES_NO})
# Longer than this is a story, not a choice, number or date; reading it word by word would be slow.
MAX_READ = 1000


def interpret(step: Step, text: str, language: str, today: date) -> Interpretation:
    if step.type is StepType.MESSAGE:
        return refused(NOT_UNDERSTOOD)
    if step.type is not StepType.TEXT:
        text = unwrapped(text)
    norm = normalise(text)
    if not norm:
        return refused(EMPTY)
    if len(norm) > MAX_READ and step.type is not StepType.TEXT:
        return refused(NOT_UNDERSTOOD)
    special = parse_special(text, language)
    if special is None:
        if step.type is not StepType.TEXT and asks_back(key(norm)):
            return refused(NOT_UNDERSTOOD)
        return _READERS[step.type](step, text, norm, language, today)
    # An option called "Not sure" is an answer, even though "not sure" is also "don't know".
    if special in step.allow and not _names_an_answer(step, key(norm)):
        return Interpretation(ok=True, special=special)
    # A special the question does not allow is an answer only where it is an option's own words:
    # "none of your business" is not "None of these", "dim syniad" is not "dim" (none).
    if step.type in _WORDED:
        answer = _READERS[step.type](step, text, norm, language, today)
        if answer.ok and (
            _names_an_answer(step, key(norm)) or _says_the_same(step, answer, special, language)
        ):
            return answer
    return refused(SPECIAL_NOT_ALLOWED)


def _says_the_same(step: Step, answer: Interpretation, special: Special, language: str) -> bool:
    """An option whose own words are that special: "not shure" picks the option "Not sure"."""
    chosen = answer.value if isinstance(answer.value, list) else [answer.value]
    texts = [t for o in step.options if o.value in chosen for t in o.label.values()]
    texts += [t for p in step.points if p.value in chosen for t in p.label.values()]
    return any(parse_special(t, language) is special for t in texts)


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
    text = _NUMBER_MARK.sub("number ", words_to_digits(with_sign(raw, norm), language))
    numbers = numbers_in(text)
    out_of = _OUT_OF.search(text)
    if numbers is None:
        return refused(NOT_UNDERSTOOD)
    if out_of and len(numbers) == 2:
        value = _rescale(int(out_of.group(1)), int(out_of.group(2)), step.scale_max)
    elif numbers:
        # "my son is 4": how old, not the score.
        plain = not _counts_something(text) and not _an_age(text)
        value = numbers[0] if len(set(numbers)) == 1 and plain else None
    elif starts_like_special(typed):
        value = None
    else:
        found = _scale_words(candidates, typed, norm)
        if found is None:
            found = by_polarity(candidates, typed)
        if found is not None:
            value = Fraction(step.points[found].value)
        elif (count := _stars(norm) or misspelt_number(typed, language)) is not None:
            value = Fraction(count)
        elif _only_pictures(norm):
            # A lone 👍 might mean 5, or just "got it": ask, rather than store the top point.
            return refused(NOT_UNDERSTOOD, why=WHY_EMOJI)
        else:
            value = None
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


def _scale_words(candidates: list[labels.Candidate], typed: str, norm: str) -> int | None:
    """A point by its words, read also as "very" for "really" and "not useful" for "useless"."""
    worded = _in_label_words(candidates, typed)
    if worded is not None:
        return worded
    words = typed.split()
    strong = next(
        (w for c in candidates for k in c.keys for w in k.split() if w in _STRONG), "very"
    )
    variants = [labels.find(candidates, v, v) for v in _reworded(typed, strong) if v != typed]
    reworded = next((v for v in variants if v is not None), None)
    if set(words) & INTENSIFIERS or any(f" {p} " in f" {typed} " for p, _ in _SCALE_SYNONYMS):
        # Reworded first: "really useful" holds the label "Useful", but means "Very useful".
        return reworded if reworded is not None else labels.find(candidates, typed, norm)
    found = labels.find(candidates, typed, norm)
    if (
        found is not None
        and len(words) > 1
        and words[-1] == "iawn"
        and "iawn" in candidates[found].keys
    ):
        found = None  # "da iawn" is "very good", not the point called "Iawn" (OK)
    return found if found is not None else reworded


def _in_label_words(candidates: list[labels.Candidate], typed: str) -> int | None:
    """ "quite sure" is "Fairly sure" where a label says "fairly", and nowhere else."""
    padded = f" {typed} "
    keys = [f" {k} " for c in candidates for k in c.keys]
    for phrase, instead in LABEL_WORDINGS.items():
        if f" {phrase} " in padded and any(f" {instead} " in k for k in keys):
            text = padded.replace(f" {phrase} ", f" {instead} ").strip()
            found = labels.exact(candidates, text)
            return found if found is not None else _alone(candidates, text, instead)
    return None


def _alone(candidates: list[labels.Candidate], text: str, word: str) -> int | None:
    """ "a little" alone, where one label starts with it: "A little sure"."""
    if text != word:
        return None
    starting = {i for i, c in enumerate(candidates) for k in c.keys if k.startswith(f"{word} ")}
    return starting.pop() if len(starting) == 1 else None


def _reworded(typed: str, strong: str = "very") -> list[str]:
    """typed in the labels' words; strong is the word the labels say "very" with ("strongly")."""
    return [v.replace("very", strong) if strong != "very" else v for v in _very(typed)]


def _very(typed: str) -> list[str]:
    # Welsh puts "yn" before an adjective: "yn ddefnyddiol" is "defnyddiol".
    pair = typed.split()
    if len(pair) == 2 and pair[1] in INTENSIFIERS:
        typed = f"{pair[1]} {pair[0]}"  # "agree strongly" is "strongly agree"
    text = f" {typed.removeprefix('yn ')} "
    for phrase, instead in _SCALE_SYNONYMS:
        text = text.replace(f" {phrase} ", f" {instead} ")
    words: list[str] = []
    for word in text.split():
        after_not = bool(words) and words[-1] in ("not", "ddim")
        if (word in INTENSIFIERS or (after_not and word in SOFTENERS)) and word != "very":
            word = "very"
        if not (word == "very" and words and words[-1] == "very"):
            words.append(word)
    while "very" in words[:-1] and words[words.index("very") + 1] in ("not", "ddim"):
        words.remove("very")  # "totally useless" is "not useful", not "very not useful"
    english = " ".join(words)
    # Welsh puts "iawn" (very) after the word: "useful iawn", "defnyddiol iawn".
    if len(words) >= 2 and words[-1] == "iawn":
        english = " ".join(["very", *words[:-1]])
        return [" ".join(words), english]
    if not set(typed.split()) & _WELSH_INTENSIFIERS:
        return [english]
    # Said in Welsh, so read first as Welsh: "hynod ddefnyddiol" is "defnyddiol iawn".
    return [" ".join([*(w for w in words if w not in ("very", "o")), "iawn"]), english]


def _stars(norm: str) -> int | None:
    """ "⭐⭐⭐" is three; anything else beside the stars and it is not a count."""
    compact = norm.replace(" ", "")
    return len(compact) if compact and set(compact) <= STARS else None


def _only_pictures(norm: str) -> bool:
    return bool(norm) and not any(ch.isalnum() for ch in norm)


def _counts_something(text: str) -> bool:
    """ "met 3 other parents", "only stayed 1 hour": the number is not the score."""
    return any(
        m.group(1) in COUNTED or (m.group(1) == "of" and not m.group(2))
        for m in _AFTER_NUMBER.finditer(text)
    )


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
    norm = _ONLY.sub("only", norm)  # "dim ond un" is "only one", not "none, one"
    typed = key(norm)
    asked = units.asked_in(step)
    if asked is not None:
        if units.SCHOOL_YEAR.search(typed):
            norm = units.SCHOOL_YEAR.sub(" ", key(norm))  # "9 (year 4)" is 9
            if not any(ch.isdecimal() for ch in norm):
                return refused(NOT_UNDERSTOOD)  # "year 6": a school year, not a number
        norm = units.one_of(norm, asked)  # "a fortnight" to "How many weeks?"
        if not units.fits(asked, units.units_after_numbers(key(norm))):
            return refused(NOT_UNDERSTOOD)  # "6 months" to "How many weeks?"
    if asked == units.AGE:
        return _age(step, raw, norm, language)
    text = words_to_digits(with_sign(raw, norm), language, counts=True)
    numbers = numbers_in(text)
    if numbers is None or {squeeze(w) for w in typed.split()} & NOT_A_COUNT:
        return refused(NOT_UNDERSTOOD)  # "at least 2", "0 but my nephew lives with us"
    per = units.rate_given(key(text))
    if per is not None and per != units.rate_asked(step):
        return refused(NOT_UNDERSTOOD)  # "2 hours a day" to "How many hours a week?"
    count = _people(text)
    if count is not None:
        numbers = [Fraction(count)]  # "my son", "dwy ferch a mab"
    elif not numbers:
        count = misspelt_number(typed, language)
        numbers = [Fraction(count)] if count is not None else []
    elif len(set(numbers)) > 1:
        numbers = _the_count(text)
    elif _an_age(text):
        return refused(NOT_UNDERSTOOD)  # "my son is 7": how old, not how many
    if len(set(numbers)) != 1:
        return refused(NOT_UNDERSTOOD)
    value = numbers[0]
    if step.integer and value.denominator != 1:
        return refused(NOT_UNDERSTOOD)
    low, high = step.minimum, step.maximum
    if (low is not None and value < low) or (high is not None and value > high):
        return refused(OUT_OF_RANGE)
    return understood(as_plain(value))


def _age(step: Step, raw: str, norm: str, language: str) -> Interpretation:
    """ "11 yrs old", "he's 7", "7 and a half", "14 next month" (13) to "How old is your child?"."""
    typed = key(norm)
    if {squeeze(w) for w in typed.split()} & NOT_A_COUNT:
        return refused(NOT_UNDERSTOOD)  # "nearly 5", "bron yn 5"
    text = units.HALF.sub(r"\1", words_to_digits(with_sign(raw, norm), language))
    if any(w in PEOPLE for w in text.split()[1:2]) or _names_people_counted(text):
        return refused(NOT_UNDERSTOOD)  # "3 kids": how many, not how old
    numbers = numbers_in(text) or []
    if len(set(numbers)) != 1:
        return refused(NOT_UNDERSTOOD)
    value = numbers[0]
    if units.ABOUT_TO_BE.match(key(text)):
        value -= 1  # "14 next month" is 13 today
    return _in_range(step, value)


def _names_people_counted(text: str) -> bool:
    return bool(re.search(r"\d+\s+(?:" + "|".join(sorted(PEOPLE)) + r")\b", text))


def _in_range(step: Step, value: Fraction) -> Interpretation:
    if step.integer and value.denominator != 1:
        return refused(NOT_UNDERSTOOD)
    low, high = step.minimum, step.maximum
    if (low is not None and value < low) or (high is not None and value > high):
        return refused(OUT_OF_RANGE)
    return understood(as_plain(value))


def _people(typed: str) -> int | None:
    """ "my son", "mab a merch", "my eldest and youngest": one for each person named."""
    pieces = [key(p).split() for p in _AND.split(typed) if key(p)]
    total = 0
    for piece in pieces:
        many = int(piece[0]) if piece[0].isdecimal() and len(piece[0]) <= 2 else 1
        words = set(piece[1:] if piece[0].isdecimal() else piece)
        if not words & PEOPLE or not words <= PEOPLE | _DETERMINERS:
            return None
        total += many
    return total if pieces else None


def _the_count(text: str) -> list[Fraction]:
    """Which of several numbers answers "how many": "3 kids, 2 with SEND" is 2; "2 (9 and 11)"
    and "2, aged 7 and 12" are 2; "1 or 2" is no one number."""
    for pattern in (_SUBSET, _PART_OF):
        subset = {n for m in pattern.finditer(text) for n in numbers_in(m.group(1)) or []}
        if len(subset) == 1:
            return list(subset)
    first = _FIRST_THEN_AGES.match(text)
    return (numbers_in(first.group(1)) or []) if first else []


def _an_age(text: str) -> bool:
    after = _AGE_AFTER.search(text)
    before = _AGE_BEFORE.search(text)
    if after or (before and key(before.group(1)) in AGE_ALWAYS):
        return True
    return bool(before and set(key(text[: before.start()]).split()) & PEOPLE)


def _date(step: Step, raw: str, norm: str, language: str, today: date) -> Interpretation:
    reading = read_date(norm, today, past=asks_about_the_past(step.text.values()))
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

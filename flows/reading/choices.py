"""Choice and multi-choice replies: "2", "the second one", "very usefull", "1 and 3", "all"."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from flows.reading import labels
from flows.reading.choice_numbers import digits, numbered, position, spell_out
from flows.reading.commands import starts_like_special
from flows.reading.interpretation import (
    NOT_UNDERSTOOD,
    OUT_OF_RANGE,
    TOO_FEW,
    TOO_MANY,
    WHY_EXCLUSIVE,
    Interpretation,
    refused,
    understood,
)
from flows.reading.labels import Candidate
from flows.reading.meanings import meant, reworded
from flows.reading.numbers import words_to_digits
from flows.reading.phrases import MORE_NONE, REASON_WORDS
from flows.reading.spelling import key
from flows.reading.vocabulary import (
    ALL,
    BOTH,
    EXCEPT,
    FILLER,
    LATER,
    NONE,
    NOTHING_ELSE,
    NOW,
    ONLY,
    ORDINALS,
    SCHOOLS,
    TEXT_SPEAK,
)
from flows.reading.yesno import by_polarity
from flows.schema import Option, Step

_INDEX = re.compile(r"(?:(?:option|number|no|choice|opsiwn|rhif|dewis) ?)?(\d+)")
_RANGE = re.compile(r"(?<![\d.])(\d+)\s*(?:-|–|to|i)\s*(\d+)(?![\d.])")
_SEPARATOR = re.compile(r"\s*(?:[,;&+/|]|\b(?:and|ac|a|plus)\b|\ba'r\b)\s*")
_DOTTED = re.compile(r"\b(?:[^\W\d_]\.){2,}(?:[^\W\d_]\b)?")
_OR = re.compile(r"\b(?:or|neu)\b")
_LEADING_NUMBER = re.compile(r"^(\d+)\s*[,;:\-–]?\s+[^\W\d_]")
_DIGIT = re.compile(r"\d")
# Words that start a sentence of their own after an option's number: "2 she started in september".
_CLAUSE_STARTS = frozenset(
    {
        "i",
        "im",
        "ive",
        "id",
        "he",
        "hes",
        "she",
        "shes",
        "we",
        "were",
        "they",
        "theyre",
        "it",
        "its",
    }
    | {"my", "his", "her", "our", "their", "mae", "maen", "dwi", "rwy", "mi", "fe"}
)
_FROM_TO = re.compile(r"\bfrom\b.+?\bto\b\s+(.+)$")
# Separators that surely list things ("a" is also the English article).
_LISTED = re.compile(r"[,;&+/|]|\b(?:and|ac|plus)\b|\ba'r\b")
_HEDGES = frozenset({"maybe", "perhaps", "possibly", "falle", "efallai", "hwyrach"})
_ORDINALS = {w: n for table in ORDINALS.values() for w, n in table.items()}
_FILLER = frozenset().union(*FILLER.values())
_ALL = frozenset(key(p) for phrases in ALL.values() for p in phrases)
_NONE = frozenset(key(p) for phrases in (*NONE.values(), MORE_NONE) for p in phrases)
_EXCEPT = frozenset(key(p) for phrases in EXCEPT.values() for p in phrases)
_BOTH = frozenset(BOTH)
_ONLY = tuple(sorted(ONLY, key=len, reverse=True))
_THANKS = ("thank you", "thanks", "diolch", "please", "plis", "pls", "cheers")
_NOTHING_ELSE = re.compile(
    r"\s*(?:but\s+)?\b(?:" + "|".join(map(re.escape, map(key, NOTHING_ELSE))) + r")\b.*$"
)
# An answer, then a dash, colon or bracket, then why: "1 - he talks more now", "4 (tutor)".
_REASON = re.compile(r"^(?P<head>[^-–:(]+?)\s*(?:\s[-–:]|\()\s*\S")
# "1:1 support", "2:1": two numbers that are one word of a label, never two option numbers.
_RATIO_IN_LABEL = re.compile(r"(?<![\d:])(\d{1,2}):(\d{1,2})(?![\d:])")
_RATIO_WORDS = {"one": "1", "two": "2", "three": "3", "un": "1", "dau": "2", "tri": "3"}
_RATIO = re.compile(r"(?<![\d:])(\w{1,5})\s*(?::|-to-|\bto\b|\bi\b)\s*(\w{1,5})(?![\d:])")
_NUMBERS_ONLY = re.compile(r"\d{1,2}(?:\s*(?:,|&|\+|and|a|ac)?\s*\d{1,2})*")
# The option that means the other two together: "Both", "Y ddwy".
_BOTH_LABELS = frozenset({"both", "y ddwy", "y ddau", "both of them", "the two"})
# More pieces than this is not a list of choices, and reading it would be slow.
MAX_PIECES = 40
MAX_JOINED = 6  # a label spans at most this many pieces ("speech and language therapy")


def _ratios(options: Sequence[Option], norm: str) -> tuple[list[Candidate], str]:
    """Options, and the reply, with a label's "1:1" written as one word ("ratio1to1"), so "1:1"
    or "one to one" names that option and is not read as options 1 and 1."""
    found = {
        m.group(0) for o in options for t in o.label.values() for m in _RATIO_IN_LABEL.finditer(t)
    }
    if not found:
        return labels.from_options(options), norm

    def word(match: re.Match[str]) -> str:
        low, high = (_RATIO_WORDS.get(g, g) for g in match.groups())
        return f"ratio{low}to{high}" if f"{low}:{high}" in found else match.group(0)

    options = [
        replace(o, label={lang: _RATIO_IN_LABEL.sub(word, t) for lang, t in o.label.items()})
        for o in options
    ]
    return labels.from_options(options), _RATIO.sub(word, norm)


def _both_option(step: Step, several: list[int], norm: str) -> int | None:
    """ "english and welsh" to "1 English 2 Welsh 3 Both": the option that says both."""
    if len(step.options) != 3 or len(set(several)) != 2 or _OR.search(norm):
        return None
    rest = {0, 1, 2} - set(several)
    (other,) = rest
    said = {key(t) for t in step.options[other].label.values()}
    return other if said & _BOTH_LABELS else None


def read_choice(step: Step, norm: str, language: str) -> Interpretation:
    candidates, norm = _ratios(step.options, norm)
    norm = " ".join(TEXT_SPEAK.get(w, w) for w in norm.split())
    norm = _schools(candidates, norm)
    if any(f" {later} " in f" {key(norm)} " for later in LATER):
        return refused(NOT_UNDERSTOOD)  # "probably college next year": not the answer today
    found = _one(candidates, norm, language)
    plain = _now(norm) is None and _without_negated(norm) == norm
    if isinstance(found, int) and plain:
        several = _many(candidates, _OR.sub(", ", norm), language)  # "school or college"
        if isinstance(several, list) and len(set(several)) > 1:
            both = _both_option(step, several, norm)
            return refused(TOO_MANY) if both is None else understood(step.options[both].value)
    leading = _LEADING_NUMBER.match(norm)
    if isinstance(found, int) and leading:
        said = position(leading.group(1), len(candidates))
        if isinstance(said, int) and said != found:
            return refused(NOT_UNDERSTOOD)  # "4 tutored at home": option 4, or home?
    for later in (_reason, _without_pictures, _now, _without_negated):
        if isinstance(found, int):
            break
        text = later(norm)
        if text and text != norm:
            again = _one(candidates, text, language)
            found = again if isinstance(again, int) else found
    if not isinstance(found, int):
        found = _by_meaning(candidates, norm, language, found)
    if isinstance(found, int):
        return understood(step.options[found].value)
    if found == NOT_UNDERSTOOD:
        several = _many(candidates, _OR.sub(", ", norm), language)
        if isinstance(several, list) and len(set(several)) > 1:
            both = _both_option(step, several, norm)
            return refused(TOO_MANY) if both is None else understood(step.options[both].value)
    return refused(found)


def _by_meaning(
    candidates: Sequence[Candidate], norm: str, language: str, found: int | str
) -> int | str:
    """Read again as a time, "don't mind", everyday words, or an option's number and why."""
    meaning = meant(candidates, norm)
    if meaning is not None:
        return meaning
    text = reworded(candidates, norm)
    if text != norm:
        again = _one(candidates, text, language)
        if isinstance(again, int):
            return again
        meaning = meant(candidates, text)
        if meaning is not None:
            return meaning
    leading = _LEADING_NUMBER.match(norm)
    if leading and not _DIGIT.search(norm[leading.end(1) :]):
        said = position(leading.group(1), len(candidates))
        rest = norm[leading.end(1) :].strip(" ,;:-–")
        by_words = _one(candidates, reworded(candidates, rest), language)
        named = by_words if isinstance(by_words, int) else meant(candidates, rest)
        separated = norm[leading.end(1) :].lstrip()[:1] in (",", ";", ":", "-", "–")
        why = separated or _reason_word(rest) or key(rest).split()[0] in _CLAUSE_STARTS
        # "2 she started in september", "2 as i work mornings", "3 after work" (evening either
        # way); but "2 weeks ago" or "3 kids" is not option 2 or 3.
        if isinstance(said, int) and (
            named == said or (why and named is None) or _reason_word(rest)
        ):
            return said
    return found


def _reason_word(rest: str) -> bool:
    padded = f"{key(rest)} "
    return any(padded.startswith(f"{key(w)} ") for w in REASON_WORDS)


def _before_reason(norm: str) -> str | None:
    """ "2 because he can hold a pen now", "1 and 3 as they listened": the answer before why."""
    words = norm.split()
    for i, word in enumerate(words[1:], start=1):
        if _reason_word(word) and _DIGIT.search(" ".join(words[:i])):
            return " ".join(words[:i]).strip(" ,;:-–")
    return None


def read_multi(step: Step, norm: str, language: str) -> Interpretation:
    candidates, norm = _ratios(step.options, norm)
    alone = {i for i, o in enumerate(step.options) if o.exclusive}
    head = _REASON.match(norm)
    if head and _NUMBERS_ONLY.fullmatch(head.group("head")):
        # "2 - he has none at school": options by number, then why; the why is not a choice.
        found = _numbers_then_why(candidates, alone, norm, head, language)
        if isinstance(found, str):
            return refused(found)
    else:
        found = _multi(candidates, alone, norm, language)
    if isinstance(found, str) and head:  # "1 - he talks in sentences now", "4 (senco)"
        found = _multi(candidates, alone, head.group("head"), language)
    because = _before_reason(norm)
    if isinstance(found, str) and because:
        found = _multi(candidates, alone, because, language)
    if isinstance(found, str):
        text = reworded(candidates, norm)
        found = _multi(candidates, alone, text, language) if text != norm else found
    if isinstance(found, str) and not _LISTED.search(norm):
        one = _one(candidates, norm, language)  # "TA was a lifesaver"
        found = [one] if isinstance(one, int) else found
    if isinstance(found, str):
        return refused(found)
    chosen = sorted(set(found))
    if len(chosen) > 1 and alone & set(chosen):
        return refused(NOT_UNDERSTOOD, why=WHY_EXCLUSIVE)
    if len(chosen) < step.min_choices:
        return refused(TOO_FEW)
    if step.max_choices is not None and len(chosen) > step.max_choices:
        return refused(TOO_MANY)
    return understood([step.options[i].value for i in chosen])


def _numbers_then_why(
    candidates: Sequence[Candidate],
    alone: set[int],
    norm: str,
    head: re.Match[str],
    language: str,
) -> list[int] | str:
    said = _multi(candidates, alone, head.group("head"), language)
    rest = norm[head.end("head") :].strip(" -–:()")
    named = _multi(candidates, alone, rest, language)
    if not isinstance(said, list) or not isinstance(named, list) or set(named) <= set(said):
        return said
    words = key(rest).split()
    sentence = len(words) > 2 and labels.exact(candidates, key(rest)) is None
    if set(named) <= alone and (sentence or (words or [""])[0] in _CLAUSE_STARTS):
        return said  # "none" inside a sentence of why, not the option "None"
    return NOT_UNDERSTOOD  # "2 - speech" where 2 is not speech: which?


def _schools(candidates: Sequence[Candidate], norm: str) -> str:
    """ "Oakwood Primary" is a school, where one option's label says "school"."""
    words = {w for c in candidates for k in c.keys for w in k.split()}
    out = [w for w in norm.split()]
    for i, word in enumerate(out):
        plain = word.strip(",.;:!?")
        instead = SCHOOLS.get(plain)
        if instead in words and instead not in out:
            out[i] = word.replace(plain, instead)
    return " ".join(out)


def _reason(norm: str) -> str | None:
    """ "4 (tutor)", "home - school couldn't meet her needs": the answer before the why."""
    head = _REASON.match(norm)
    return head.group("head") if head else None


def _without_pictures(norm: str) -> str:
    return " ".join("".join(ch for ch in norm if ch.isalnum() or ch in " '-").split())


def _now(norm: str) -> str | None:
    """ "was home ed, now at school", "moved from school to college": the answer today."""
    padded = f" {norm} "
    for word in NOW:
        if f" {word} " in padded:
            return padded.rsplit(f" {word} ", 1)[1].strip(" ,")
    moved = _FROM_TO.search(norm)
    return moved.group(1) if moved else None


def _without_negated(norm: str) -> str:
    """ "not school anymore, college": drop the part that says what it is not."""
    parts = [p.strip() for p in re.split(r"[,;]", norm)]
    return ", ".join(p for p in parts if p and not re.match(r"(?:not|ddim|dim)\b", p))


def _multi(
    candidates: Sequence[Candidate], alone: set[int], norm: str, language: str
) -> list[int] | str:
    norm = _letters_joined(" ".join(TEXT_SPEAK.get(w, w) for w in _without_only(norm).split()))
    typed = key(norm)
    everything = [i for i in range(len(candidates)) if i not in alone]
    one = labels.exact(candidates, typed)
    if one is not None:
        return [one]
    if typed in _ALL or _all_n(typed, len(everything)):
        return everything
    said = _after_phrase(typed, _ALL)
    if said is not None:
        left_out = _except(candidates, said, language)
        if left_out is None:
            return NOT_UNDERSTOOD
        return [i for i in everything if i not in left_out]
    said = _after_phrase(typed, _NONE)
    if typed in _NONE or said is not None:
        only = _except(candidates, said, language) if said else None
        if only is not None:
            return sorted(only)  # "none apart from the TA"
        if said and _starts_with(said, _EXCEPT):
            return NOT_UNDERSTOOD
        return sorted(alone)  # "none", "nothing, still waiting": the none option, if there is one
    both = _both(candidates, typed)
    if both is not None:
        return both
    found = _many(candidates, _NOTHING_ELSE.sub("", norm) or norm, language)
    if isinstance(found, list) and len(found) > 1 and set(typed.split()) & _HEDGES:
        return NOT_UNDERSTOOD  # "1, 3 and maybe 4": which are in?
    if isinstance(found, str):
        words = typed.split()  # "salt ot ta": a list without commas
        each = [labels.exact(candidates, w) for w in words]
        if len(words) > 1 and all(i is not None for i in each):
            return [i for i in each if i is not None]
    return found


def _letters_joined(norm: str) -> str:
    """ "T.A." and "S.E.N.C.O" are "ta" and "senco"."""
    return _DOTTED.sub(lambda m: m.group(0).replace(".", ""), norm)


def _without_only(typed: str) -> str:
    for word in _ONLY:
        if typed.startswith(word + " "):
            typed = typed[len(word) + 1 :]
        if typed.endswith(" " + word):
            typed = typed[: -len(word) - 1]
    for word in _THANKS:
        if typed.endswith(" " + word):
            typed = typed[: -len(word) - 1].rstrip(" ,;")
    return typed


def _all_n(typed: str, count: int) -> bool:
    """ "all 4", "all four of them": every option, when the number is how many there are."""
    words = words_to_digits(typed, "cy").split()
    # "all 4", "all four of them", "y 4"; not "all but 4".
    return len(words) >= 2 and words[0] in ("all", "pob", "y") and words[1] == str(count)


def _after_phrase(typed: str, phrases: frozenset[str]) -> str | None:
    """What follows a leading "all" or "none" phrase (the longest that fits), if anything."""
    for phrase in sorted(phrases, key=len, reverse=True):
        if typed.startswith(phrase + " "):
            return typed[len(phrase) + 1 :]
    return None


def _starts_with(text: str, phrases: frozenset[str]) -> bool:
    return any(text == p or text.startswith(p + " ") for p in phrases)


def _except(candidates: Sequence[Candidate], said: str, language: str) -> set[int] | None:
    """The options after "but", "except", "apart from", "heblaw": "all but 2" -> {1}."""
    for phrase in sorted(_EXCEPT, key=len, reverse=True):
        if said.startswith(phrase + " "):
            rest = said[len(phrase) + 1 :]
            found = _many(candidates, rest, language)
            if isinstance(found, str):
                one = _one(candidates, rest, language)
                found = [one] if isinstance(one, int) else found
            if isinstance(found, str):
                found = sorted(labels.sharing_a_word(candidates, rest))  # "except the therapies"
            return set(found) if isinstance(found, list) and found else None
    return None


def _both(candidates: Sequence[Candidate], typed: str) -> list[int] | None:
    """ "both therapies": the two options with a word that starts the same way."""
    said = _after_phrase(typed, _BOTH)
    if said is None or len(said.split()) != 1 or len(said) < 5:
        return None
    stem = said[:6]
    fits = [
        i
        for i, c in enumerate(candidates)
        if any(w.startswith(stem) for k in c.keys for w in k.split())
    ]
    return fits if len(fits) == 2 else None


def _one(candidates: Sequence[Candidate], norm: str, language: str) -> int | str:
    """Which option one reply names (its index), or why none."""
    typed = key(norm)
    index = _INDEX.fullmatch(typed)
    if index:
        return position(index.group(1), len(candidates))
    found = labels.exact(candidates, typed)
    if found is not None:
        return found
    by_number = numbered(typed, len(candidates), language)
    if by_number is not None:
        return by_number
    if starts_like_special(typed):
        return NOT_UNDERSTOOD
    found = labels.find(candidates, typed, norm)
    if found is None:
        found = by_polarity(candidates, typed)
    if found is None:
        found = labels.by_words(candidates, typed)
    return NOT_UNDERSTOOD if found is None else found


def _many(candidates: Sequence[Candidate], norm: str, language: str) -> list[int] | str:
    spelt = _RANGE.sub(spell_out, words_to_digits(norm, language)).replace("+", " ")
    picks = digits(key(spelt), len(candidates))
    if picks is not None:
        return picks
    spans = _pieces(norm)
    if len(spans) > MAX_PIECES:
        return NOT_UNDERSTOOD
    return _join(candidates, norm, spans, language)


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

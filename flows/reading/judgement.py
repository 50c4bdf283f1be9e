"""Yes or no to a question about a quality, said as a judgement: "really helpful", "not great".

"Was the meeting helpful?" "brilliant" is yes and "waste of time" is no, while "it was ok" or
"not bad" is neither, so it is asked again. A question is about a quality when its own words
hold one; "Did you go?" "great" is left to the other rules.
"""

from __future__ import annotations

from functools import cache
from typing import Literal

from flows.reading.phrases import BAD, GOOD, JUDGEMENT_FILLER, JUDGEMENT_NEGATIONS, LUKEWARM
from flows.reading.spelling import close, key, squeeze
from flows.schema import Step

Judgement = bool | Literal["neither"] | None
_YES = frozenset({"yes", "yeah", "yep", "yup", "ie", "ydy", "oedd", "do"})
_NO = frozenset({"no", "nope", "nah", "na", "naddo"})
_ANSWERS = _YES | _NO
# A question that starts so asks whether something has the quality its last word names.
_COPULAS = frozenset({"was", "is", "were", "are", "oedd", "ydy", "ydi", "yw", "oes"})


def leading_answer(typed: str) -> bool | None:
    """ "no, it's out of date" starts with a no; "was useless" starts with no answer."""
    first = squeeze(typed.split()[0]) if typed else ""
    return True if first in _YES else False if first in _NO else None


def quality_asked(step: Step) -> bool | None:
    """True if the question asks about a good quality ("helpful?"), False about a bad one
    ("hard?"), None if about no quality (or both)."""
    found = _qualities_in(tuple(step.text.values()))
    kinds = {_table()[q] for q in found}
    if not kinds and own_quality(step):
        return True  # "Was the room quiet?": "quiet" is yes, "not quiet" no
    return kinds.pop() == "good" if len(kinds) == 1 else None


def own_quality(step: Step) -> frozenset[str]:
    """The word a "Was it X?" question ends on, which a reply may give back: "quiet", "not quiet"."""
    return _own_quality(tuple(step.text.values()))


@cache
def _own_quality(texts: tuple[str, ...]) -> frozenset[str]:
    found = set()
    for text in texts:
        question = key(text.split("?", 1)[0]).split() if "?" in text else []
        if len(question) >= 3 and question[0] in _COPULAS:
            word = question[-1]
            if len(word) >= 3 and word not in _ANSWERS and word not in JUDGEMENT_FILLER:
                found.add(word)
    return frozenset(found)


def judged(typed: str, own: frozenset[str] = frozenset()) -> Judgement:
    """True or False for a clear judgement, "neither" for a lukewarm one, None for no judgement;
    own are the question's own quality words, read as good."""
    words = typed.split()
    if words and squeeze(words[0]) in _ANSWERS:
        words = words[1:]  # "no, it's out of date": the caller weighs the "no"
    found: list[str] = []  # "good", "bad" or "meh", one per judgement named
    negated = False
    i = 0
    while i < len(words):
        kind, size = ("good", 1) if squeeze(words[i]) in own else _judgement_at(words, i)
        if kind is not None:
            found.append(kind)
            i += size
            continue
        word = squeeze(words[i])
        if word in JUDGEMENT_NEGATIONS or words[i] in JUDGEMENT_NEGATIONS:
            negated = True
        elif words[i] not in JUDGEMENT_FILLER and word not in JUDGEMENT_FILLER:
            return None  # other words: not only a judgement
        i += 1
    if not found or len(set(found)) > 1:
        return "neither" if found and "meh" in found else None
    kind = found[0]
    if kind == "meh" or (negated and kind == "bad"):
        return "neither"  # "not bad", "not useless": lukewarm at best
    return (kind == "good") != negated


def _judgement_at(words: list[str], i: int) -> tuple[str | None, int]:
    table = _table()
    for size in (4, 3, 2, 1):
        phrase = " ".join(words[i : i + size])
        if len(phrase.split()) == size and phrase in table:
            return table[phrase], size
    word = words[i]
    if len(word) >= 5:
        near = {
            (phrase, d)
            for phrase in table
            if " " not in phrase and len(phrase) >= 5 and (d := close(word, phrase)) is not None
        }
        best = min((d for _, d in near), default=None)
        kinds = {table[phrase] for phrase, d in near if d == best}
        if len(kinds) == 1:
            return kinds.pop(), 1
    return None, 1


@cache
def _table() -> dict[str, str]:
    table = {key(p): "good" for p in GOOD}
    table |= {key(p): "bad" for p in BAD}
    table |= {key(p): "meh" for p in LUKEWARM}
    return table


@cache
def _qualities_in(texts: tuple[str, ...]) -> frozenset[str]:
    qualities = {key(p) for p in (*GOOD, *BAD)} - {key(p) for p in LUKEWARM}
    found = set()
    for text in texts:
        padded = f" {key(text)} "
        found |= {q for q in qualities if f" {q} " in padded}
    return frozenset(found)

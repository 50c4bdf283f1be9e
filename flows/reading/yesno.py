"""Yes or no, however it is said: "yess", "nope", "yes please", "ydw", "nac oes", "👍"."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from flows.reading import labels
from flows.reading.commands import starts_like_special
from flows.reading.interpretation import NOT_UNDERSTOOD, Interpretation, refused, understood
from flows.reading.labels import Candidate
from flows.reading.spelling import distance, key, squeeze
from flows.reading.vocabulary import NO, NO_EMOJI, NO_WORDS, YES, YES_EMOJI, YES_WORDS
from flows.schema import Step

# The keys the SMS prompt shows: "1 Yes / 2 No".
YES_KEY, NO_KEY = "1", "2"


def read_yes_no(step: Step, norm: str) -> Interpretation:
    typed = key(norm)
    if typed in labels.labels_in(step.yes_label):
        return understood(True)
    if typed in labels.labels_in(step.no_label):
        return understood(False)
    compact = set(norm.replace(" ", ""))
    if typed == YES_KEY or (compact and compact <= YES_EMOJI):
        return understood(True)
    if typed == NO_KEY or (compact and compact <= NO_EMOJI):
        return understood(False)
    answer = polarity(typed)
    return refused(NOT_UNDERSTOOD) if answer is None else understood(answer)


def polarity(typed: str) -> bool | None:
    """True for yes, False for no, None when it isn't clearly either (typed is a key)."""
    yes, no = yes_words(), no_words()
    words = typed.split()
    if starts_like_special(typed):
        return None
    # Longest first: "no problem" is yes, "of course not" is no.
    for size in range(min(len(words), 5), 0, -1):
        head = squeeze(" ".join(words[:size]))
        if head in yes or head in no:
            answer = head in yes
            rest = {squeeze(w) for w in words[size:]}
            strong_yes, strong_no = _strong_words()
            contradicted = rest & (strong_no if answer else strong_yes)
            return None if contradicted or (head in yes and head in no) else answer
    if len(words) != 1 or not 3 <= len(typed) <= 12:
        return None
    # One typo in a yes or no word of three letters or more: "yse", "nop", "ydq".
    single_words = (p for p in yes | no if len(p) >= 3 and " " not in p)
    near = {p in yes for p in single_words if distance(typed, p, 1) <= 1}
    return near.pop() if len(near) == 1 else None


def by_polarity(candidates: Sequence[Candidate], typed: str) -> int | None:
    """ "nope" picks the option or point called "No", "yeah" the one called "Yes"."""
    answer = polarity(typed)
    if answer is None:
        return None
    words = yes_words() if answer else no_words()
    fits = {i for i, c in enumerate(candidates) if any(squeeze(k) in words for k in c.keys)}
    return fits.pop() if len(fits) == 1 else None


@cache
def yes_words() -> frozenset[str]:
    return frozenset(squeeze(key(p)) for phrases in YES.values() for p in phrases)


@cache
def no_words() -> frozenset[str]:
    return frozenset(squeeze(key(p)) for phrases in NO.values() for p in phrases)


@cache
def _strong_words() -> tuple[frozenset[str], frozenset[str]]:
    return frozenset(map(squeeze, YES_WORDS)), frozenset(map(squeeze, NO_WORDS))

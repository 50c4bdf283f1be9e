"""Yes or no, however it is said: "yess", "nope", "yes please", "ydw", "nac oes", "👍"."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

from flows.reading import labels
from flows.reading.commands import starts_like_special
from flows.reading.interpretation import (
    NOT_UNDERSTOOD,
    WHY_ACKNOWLEDGED,
    WHY_NUMBER,
    Interpretation,
    refused,
    understood,
)
from flows.reading.judgement import judged, leading_answer, own_quality, quality_asked
from flows.reading.labels import Candidate
from flows.reading.phrases import MORE_NO, MORE_YES
from flows.reading.spelling import distance, key, squeeze
from flows.reading.vocabulary import (
    ACKNOWLEDGEMENTS,
    NEVER_YES,
    NO,
    NO_EMOJI,
    NO_WORDS,
    OFFERS,
    REASONS_NOT,
    UNSURE,
    YES,
    YES_EMOJI,
    YES_WORDS,
)
from flows.schema import Step

# The keys the SMS prompt shows: "1 Yes / 2 No".
YES_KEY, NO_KEY = "1", "2"
# Labels the SMS question reads as plain YES or NO, so it lists no numbers.
PLAIN_YES = frozenset({"yes", "ie", "do", "oes", "ydw", "ydy", "ydyn", "ydi", "oedd", "bydd"})
PLAIN_NO = frozenset(
    {"no", "na", "naddo", "nac oes", "nac ydw", "nac ydy", "nac ydyn", "nac ydi", "nac oedd"}
    | {"nag oes", "nag ydw", "nag ydy", "nag oedd", "na fydd"}
)


def read_yes_no(step: Step, norm: str) -> Interpretation:
    typed = key(norm)
    if typed in labels.labels_in(step.yes_label):
        return understood(True)
    if typed in labels.labels_in(step.no_label):
        return understood(False)
    if typed in (YES_KEY, NO_KEY):
        # Only a numbered list ("1 Yes, call me / 2 No, thanks") makes a number an answer; a
        # plain yes/no question is asked as "Reply YES or NO", so "1" might mean anything.
        if shows_numbers(step):
            return understood(typed == YES_KEY)
        return refused(NOT_UNDERSTOOD, why=WHY_NUMBER)
    if _both_ways(typed):
        return refused(NOT_UNDERSTOOD)  # "y n", "yes no": both, so neither
    compact = set(norm.replace(" ", ""))
    acknowledged = squeeze(typed) in _acknowledgements() or (compact and compact <= {"👌", "🆗"})
    if typed in NEVER_YES or (acknowledged and not is_offer(step)):
        return refused(NOT_UNDERSTOOD, why=WHY_ACKNOWLEDGED)
    if compact and compact <= YES_EMOJI:
        return understood(True)
    if compact and compact <= NO_EMOJI:
        return understood(False)
    # An offer ("Are you happy for us to call?") is accepted with "fine": not a judgement.
    asked = None if is_offer(step) else quality_asked(step)
    if asked is not None:
        judgement = judged(typed, own_quality(step))
        if judgement == "neither":
            return refused(NOT_UNDERSTOOD)  # "it was ok" to "Was it helpful?"
        said = leading_answer(typed)
        if isinstance(judgement, bool):
            meant_yes = judgement == asked
            # "yes, useless" contradicts itself: ask.
            if said not in (None, meant_yes):
                return refused(NOT_UNDERSTOOD)
            return understood(meant_yes)
    answer = polarity(typed)
    if answer is None and not is_offer(step) and set(typed.split()) & REASONS_NOT:
        answer = False  # "my son was ill": why they didn't go
    return refused(NOT_UNDERSTOOD) if answer is None else understood(answer)


def _both_ways(typed: str) -> bool:
    """Only yes and no words, some of each, and not a phrase such as "nac oedd"."""
    words = {squeeze(w) for w in typed.split()}
    yes, no = yes_words(), no_words()
    if len(words) < 2 or squeeze(typed) in yes | no or not words <= yes | no:
        return False
    return bool(words & (yes - no)) and bool(words & (no - yes))


def shows_numbers(step: Step) -> bool:
    """Whether the SMS question lists numbered answers, as it does unless they are plain yes/no."""
    yes = {_plain(t) for t in (step.yes_label or {}).values()} or {"yes"}
    no = {_plain(t) for t in (step.no_label or {}).values()} or {"no"}
    return not (yes <= PLAIN_YES and no <= PLAIN_NO)


def _plain(label: str) -> str:
    return re.sub(r"[^\w' ]", "", label).strip().casefold()


def is_offer(step: Step) -> bool:
    """ "Would you like a call back?": an offer, which "ok" or "sure" accepts."""
    return any(
        f" {key(phrase)} " in f" {key(text)} "
        for text in step.text.values()
        for phrases in OFFERS.values()
        for phrase in phrases
    )


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
    last = squeeze(words[-1]) if len(words) > 1 else ""
    strong_yes, strong_no = _strong_words()
    if last in strong_yes | strong_no:
        # "I was poorly so no", "managed to get there in the end yes": the answer comes last.
        others = {squeeze(w) for w in words[:-1]}
        if not others & (strong_no if last in strong_yes else strong_yes):
            return last in strong_yes
    if len(words) != 1 or not 3 <= len(typed) <= 12 or typed in UNSURE:
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
    # "OK" is a yes word, but a point called "OK" is not what "yes" picks on a scale.
    words = (yes_words() if answer else no_words()) - _acknowledgements()
    fits = {i for i, c in enumerate(candidates) if any(squeeze(k) in words for k in c.keys)}
    return fits.pop() if len(fits) == 1 else None


@cache
def yes_words() -> frozenset[str]:
    return frozenset(squeeze(key(p)) for phrases in (*YES.values(), MORE_YES) for p in phrases)


@cache
def no_words() -> frozenset[str]:
    return frozenset(squeeze(key(p)) for phrases in (*NO.values(), MORE_NO) for p in phrases)


@cache
def _acknowledgements() -> frozenset[str]:
    return frozenset(squeeze(key(p)) for p in ACKNOWLEDGEMENTS)


@cache
def _strong_words() -> tuple[frozenset[str], frozenset[str]]:
    return frozenset(map(squeeze, YES_WORDS)), frozenset(map(squeeze, NO_WORDS))

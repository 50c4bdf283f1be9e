"""What surrounds an answer without changing it: "Hi, 4 thanks x" is "4"; "what is a senco" asks back."""

from __future__ import annotations

import re
from functools import cache

from flows.reading.phrases import GREETINGS, NOT_QUESTIONS, QUESTIONS_BACK, SIGN_OFFS
from flows.reading.spelling import key

_EDGE = r"[\s,!.:;\-–]"


def unwrapped(text: str) -> str:
    """The reply without a greeting before it or sign-offs after it, if anything is left."""
    inner = _greeting().sub("", text, count=1)
    while True:
        shorter = _sign_off().sub("", inner, count=1)
        if shorter == inner or not key(shorter):
            break
        inner = shorter
    return inner if key(inner) else text


def asks_back(typed: str) -> bool:
    """ "what is a senco", "who is this", "beth yw hwn": a question, not an answer (typed is a key)."""
    padded = f"{typed} "
    if any(padded.startswith(f"{key(q)} ") for q in NOT_QUESTIONS):
        return False
    return len(typed.split()) > 1 and any(padded.startswith(f"{key(q)} ") for q in QUESTIONS_BACK)


@cache
def _greeting() -> re.Pattern[str]:
    words = "|".join(re.escape(g) for g in sorted(GREETINGS, key=len, reverse=True))
    return re.compile(rf"^\s*(?:{words}){_EDGE}+(?=\S)", re.IGNORECASE)


@cache
def _sign_off() -> re.Pattern[str]:
    words = "|".join(re.escape(s) for s in sorted(SIGN_OFFS, key=len, reverse=True))
    return re.compile(rf"(?<=\S){_EDGE}+(?:{words})[\s!.]*$", re.IGNORECASE)

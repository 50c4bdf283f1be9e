"""Plain-English checks for young people's flows: aim for a reading age of about 9."""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_SENTENCE_WORDS = 15
MAX_WORD_LETTERS = 12
MAX_SYLLABLES = 3
TARGET_READING_AGE = 9

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def syllables(word: str) -> int:
    word = word.lower().strip("'’-")
    if len(word) <= 3:
        return 1
    word = re.sub(r"(?:[^laeiouy]es|ed|[^laeiouy]e)$", "", word)
    word = re.sub(r"^y", "", word)
    return max(1, len(re.findall(r"[aeiouy]{1,2}", word)))


@dataclass(frozen=True)
class Readability:
    long_sentences: list[str]
    hard_words: list[str]
    reading_age: float | None  # Flesch-Kincaid grade + 5; None for texts too short to judge


def assess(text: str) -> Readability:
    text = _PLACEHOLDER.sub("", text)
    sentences = [s for s in _SENTENCE_END.split(text) if _WORD.search(s)]
    words = _WORD.findall(text)
    long_sentences = [s.strip() for s in sentences if len(_WORD.findall(s)) > MAX_SENTENCE_WORDS]
    hard = sorted(
        {w for w in words if len(w) > MAX_WORD_LETTERS or syllables(w) > MAX_SYLLABLES},
        key=str.lower,
    )
    reading_age = None
    if len(words) >= 10 and sentences:
        grade = (
            0.39 * len(words) / len(sentences)
            + 11.8 * sum(syllables(w) for w in words) / len(words)
            - 15.59
        )
        reading_age = round(max(grade, 0.0) + 5, 1)
    return Readability(long_sentences, hard, reading_age)

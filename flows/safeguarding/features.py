"""The features the statistical detector reads: words, word pairs and letter runs, hashed.

Written here rather than taken from a library so that training and checking read a message the same
way, and checking needs nothing but the standard library. Letter runs (3 to 5 letters inside a word)
carry misspellings, text-speak and Welsh mutations ("curo", "nghuro", "guro") to what was learnt.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
import zlib
from collections.abc import Iterator

DIMENSIONS = 1 << 18
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_REPEATS = re.compile(r"(.)\1{2,}")
_MAX_CHARS = 2000  # a disclosure is in the first lines; a pasted essay need not cost more


def _is_symbol(char: str) -> bool:
    return unicodedata.category(char) in {"So", "Sk"} and ord(char) > 0x2000


def tidy(text: str) -> str:
    """Case, accents and stretched letters ("sooooo") folded; apostrophes joined ("dont")."""
    folded = unicodedata.normalize("NFKD", text[:_MAX_CHARS].casefold())
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    folded = folded.replace("'", "").replace("\u2019", "")
    return _REPEATS.sub(r"\1\1", folded)


def tokens(text: str) -> list[str]:
    """Words, and each emoji or symbol as a word of its own."""
    tidied = tidy(text)
    found: list[str] = []
    position = 0
    for match in _WORD.finditer(tidied):
        found.extend(c for c in tidied[position : match.start()] if _is_symbol(c))
        found.append(match.group(0))
        position = match.end()
    found.extend(c for c in tidied[position:] if _is_symbol(c))
    return found


def features(words: list[str]) -> Iterator[str]:
    for word in words:
        yield "w:" + word
        if len(word) > 2 and word.isalpha():
            padded = f" {word} "
            for size in (3, 4, 5):
                for start in range(len(padded) - size + 1):
                    yield "c:" + padded[start : start + size]
    for first, second in itertools.pairwise(words):
        yield f"b:{first} {second}"


def hashed(text: str, dimensions: int = DIMENSIONS) -> dict[int, float]:
    """Feature index -> count, each index a stable hash (the same on every machine and run)."""
    return hashed_words(tokens(text), dimensions)


def hashed_words(words: list[str], dimensions: int = DIMENSIONS) -> dict[int, float]:
    """`hashed` for words already tokenised, so that a caller counting them tokenises once."""
    counts: dict[int, float] = {}
    for feature in features(words):
        index = zlib.crc32(feature.encode("utf-8")) % dimensions
        counts[index] = counts.get(index, 0.0) + 1.0
    if counts:
        # Long messages should not score higher for being long: scale to unit length.
        norm = sum(v * v for v in counts.values()) ** 0.5
        counts = {k: v / norm for k, v in counts.items()}
    return counts

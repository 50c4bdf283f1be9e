"""One canonical form for what people type, and how far apart two spellings are."""

from __future__ import annotations

import re
import unicodedata

_QUOTES = str.maketrans(
    {
        "‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'", "`": "'", "´": "'",
        "“": '"', "”": '"', "„": '"', "‟": '"', "″": '"', "«": '"', "»": '"',
    }
)  # fmt: skip

# Invisible marks that change how text looks but not what it says: variation selectors, skin tones
# (a brown thumbs-up is still a thumbs-up) and the keycap mark ("1️⃣" is "1").
_INVISIBLE = frozenset(
    [chr(c) for c in range(0xFE00, 0xFE10)] + [chr(c) for c in range(0x1F3FB, 0x1F400)] + ["\u20e3"]
)
_DROPPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs"})
_REPEATS = re.compile(r"(.)\1+")


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text.translate(_QUOTES))
    text = unicodedata.normalize("NFKC", text.casefold()).translate(_QUOTES)
    kept = []
    for ch in text:
        if ch in _INVISIBLE or unicodedata.category(ch) in _DROPPED_CATEGORIES:
            kept.append(" " if ch.isspace() else "")
        else:
            kept.append(ch)
    return _strip_punctuation(" ".join("".join(kept).split()))


def key(text: str) -> str:
    """The form phrases are compared in: accents, apostrophes and punctuation don't count."""
    decomposed = unicodedata.normalize("NFD", normalise(text))
    out = []
    for ch in decomposed:
        category = unicodedata.category(ch)
        if category == "Mn" or ch == "'":
            continue
        out.append(" " if category.startswith("P") else ch)
    return " ".join(unicodedata.normalize("NFC", "".join(out)).split())


def squeeze(text: str) -> str:
    """Repeated letters once: "yesss" -> "yes", "noooo" -> "no"."""
    return _REPEATS.sub(r"\1", text)


def allowance(length: int) -> int:
    """Typos forgiven in a phrase this long: none in "ok", one in "yes" or "often", two beyond."""
    if length <= 2:
        return 0
    return 1 if length <= 7 else 2


def distance(a: str, b: str, limit: int) -> int:
    """Edits (insert, delete, change, swap neighbours) from a to b; limit + 1 once beyond limit."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    before: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, start=1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], before[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        before, previous = previous, current
    return min(previous[-1], limit + 1)


def close(typed: str, phrase: str) -> int | None:
    """How many typos separate typed from phrase, if few enough for a phrase that long."""
    limit = allowance(len(phrase))
    best = min(distance(typed, phrase, limit), distance(squeeze(typed), squeeze(phrase), limit))
    return best if best <= limit else None


def _strip_punctuation(text: str) -> str:
    start, end = 0, len(text)
    while start < end and _is_edge(text[start]):
        start += 1
    while end > start and _is_edge(text[end - 1]):
        end -= 1
    return text[start:end]


def _is_edge(ch: str) -> bool:
    return ch.isspace() or unicodedata.category(ch).startswith("P")

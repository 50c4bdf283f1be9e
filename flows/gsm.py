"""GSM 03.38: which text fits the cheap 7-bit alphabet, and how many SMS segments a text costs."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

GSM7_BASIC: frozenset[str] = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅå"
    "Δ_ΦΓΛΩΠΨΣΘΞÆæßÉ"
    " !\"#¤%&'()*+,-./"
    "0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# Sent as ESC + character, so each costs two septets.
GSM7_EXTENSION: frozenset[str] = frozenset("^{}\\[~]|€\f")
_GSM7_ALL = GSM7_BASIC | GSM7_EXTENSION

_GSM7_SINGLE = 160
_GSM7_PART = 153  # 7 septets of each part go to the concatenation header
_UCS2_SINGLE = 70
_UCS2_PART = 67

# Substitutions that change how a character looks, never what it means.
_TYPOGRAPHIC = str.maketrans(
    {
        **dict.fromkeys("‘’‚‛′", "'"),
        **dict.fromkeys("“”„‟″", '"'),
        **dict.fromkeys("‐‑‒–—―−•", "-"),
        "…": "...",
        **dict.fromkeys("\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009", " "),
        **dict.fromkeys("\u200a\u202f\u205f", " "),
        **dict.fromkeys("\u200b\u200c\u2060\ufeff\u00ad", None),
    }
)
_ZWJ_RUN = re.compile("\u200d+")


@dataclass(frozen=True)
class SegmentInfo:
    encoding: Literal["GSM-7", "UCS-2"]
    units: int  # septets (GSM-7) or UTF-16 code units (UCS-2)
    segments: int  # 0 for empty text
    characters: int


def _is_gsm7_char(char: str) -> bool:
    return char in _GSM7_ALL


def is_gsm7(text: str) -> bool:
    # Set operations run in C: every outgoing message is checked, often more than once.
    return _GSM7_ALL.issuperset(text)


def non_gsm7_characters(text: str) -> list[str]:
    return list(dict.fromkeys(c for c in text if not _is_gsm7_char(c)))


def _segments(costs: list[int], single: int, part: int) -> int:
    total = sum(costs)
    if total <= single:
        return 1 if costs else 0
    # A character that would straddle two parts moves whole to the next one.
    segments, used = 1, 0
    for cost in costs:
        if used + cost > part:
            segments, used = segments + 1, 0
        used += cost
    return segments


def count_segments(text: str) -> SegmentInfo:
    if is_gsm7(text):
        doubled = 0 if GSM7_EXTENSION.isdisjoint(text) else sum(c in GSM7_EXTENSION for c in text)
        units = len(text) + doubled
        if units <= _GSM7_SINGLE:
            return SegmentInfo("GSM-7", units, 1 if text else 0, len(text))
        if not doubled:  # every character costs one, so none can straddle two parts
            return SegmentInfo("GSM-7", units, -(-units // _GSM7_PART), len(text))
        costs = [2 if c in GSM7_EXTENSION else 1 for c in text]
        segments = _segments(costs, _GSM7_SINGLE, _GSM7_PART)
        return SegmentInfo("GSM-7", sum(costs), segments, len(text))
    costs = [2 if ord(c) > 0xFFFF else 1 for c in text]
    segments = _segments(costs, _UCS2_SINGLE, _UCS2_PART)
    return SegmentInfo("UCS-2", sum(costs), segments, len(text))


def _keep_joiner(match: re.Match[str]) -> str:
    text, start, end = match.string, match.start(), match.end()
    before = text[start - 1] if start > 0 else "a"
    after = text[end] if end < len(text) else "a"
    # Between two non-GSM characters a joiner is part of an emoji or a script's shaping.
    return match[0] if not (_is_gsm7_char(before) or _is_gsm7_char(after)) else ""


def to_gsm7(text: str) -> str:
    return _ZWJ_RUN.sub(_keep_joiner, text.translate(_TYPOGRAPHIC))

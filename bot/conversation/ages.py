"""Age bands for channels whose own terms set a minimum age (Telegram: 16 in the UK)."""

from __future__ import annotations

import re
from collections.abc import Collection

AGE_CHECKED_CHANNELS = frozenset({"telegram"})
AGE_BANDS = {"under_16": (0, 15), "16_17": (16, 17), "18_25": (18, 25), "over_25": (26, 200)}


def band_for_age(age: int) -> str:
    return next(band for band, (lo, hi) in AGE_BANDS.items() if lo <= age <= hi)


def band_from_text(text: str) -> str | None:
    lowered = text.lower()
    if "under" in lowered and "16" in lowered:
        return "under_16"
    numbers = [int(n) for n in re.findall(r"\d{1,3}", lowered)]
    if len(numbers) == 1 and 5 <= numbers[0] <= 120:
        return band_for_age(numbers[0])
    return None


def under_age(band: str, min_age: int) -> bool:
    return AGE_BANDS[band][1] < min_age


def gate_applies(
    channel: str, min_age: int, checked: Collection[str] = AGE_CHECKED_CHANNELS
) -> bool:
    return channel in checked and min_age > 0

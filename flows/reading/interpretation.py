"""What a reply meant for one question: a typed value, a special answer, or why it didn't fit."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from flows.schema import Special

# Why a reply didn't fit, so the engine can say what would.
EMPTY: Final = "empty"
NOT_UNDERSTOOD: Final = "not_understood"
OUT_OF_RANGE: Final = "out_of_range"
TOO_MANY: Final = "too_many"
TOO_FEW: Final = "too_few"
SPECIAL_NOT_ALLOWED: Final = "special_not_allowed"
BAD_DATE: Final = "bad_date"

# Why a reply that looked like an answer was not taken, so the re-ask can say so.
WHY_NUMBER: Final = "why_number"  # "1" on a question asked as YES or NO
WHY_ACKNOWLEDGED: Final = "why_acknowledged"  # "ok" to a question of fact
WHY_EMOJI: Final = "why_emoji"  # a lone 👍 on a scale
WHY_EXCLUSIVE: Final = "why_exclusive"  # "none of these" with another option


@dataclass(frozen=True)
class Interpretation:
    ok: bool
    value: Any = None  # str, int, float, bool, list[str] or ISO date; None for a special
    special: Special | None = None
    problem: str | None = None
    truncated: bool = False
    why: str | None = None  # one of the WHY_ reasons, when the re-ask should say more than sorry


def understood(value: Any, truncated: bool = False) -> Interpretation:
    return Interpretation(ok=True, value=value, truncated=truncated)


def refused(problem: str, why: str | None = None) -> Interpretation:
    return Interpretation(ok=False, problem=problem, why=why)

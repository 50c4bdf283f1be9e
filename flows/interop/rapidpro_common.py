"""What the RapidPro importer and exporter share: language codes, router tests and id rules.

RapidPro and TextIt export flows to the goflow specification (spec_version 13.x and 14.x): a flow is a
list of nodes; a node sends messages (actions) and may wait for a reply and route it (a switch router
whose cases test the reply and name a category, each category leaving by an exit to another node).
"""

from __future__ import annotations

import re
import unicodedata

from flows.errors import FlowError

SPEC_MAJORS = (13, 14)
EXPORT_SPEC = "13.1.0"

# ISO 639-3 (RapidPro) to the codes flows use.
TO_OURS = {"eng": "en", "cym": "cy", "wel": "cy"}
TO_THEIRS = {"en": "eng", "cy": "cym"}

WORD_TESTS = frozenset({"has_any_word", "has_all_words", "has_phrase", "has_only_phrase"})
WORD_TESTS_LOOSE = WORD_TESTS | {"has_beginning", "has_only_text"}
NUMBER_TESTS = frozenset(
    {
        "has_number",
        "has_number_between",
        "has_number_lt",
        "has_number_lte",
        "has_number_eq",
        "has_number_gte",
        "has_number_gt",
    }
)
DATE_TESTS = frozenset({"has_date", "has_date_lt", "has_date_eq", "has_date_gt"})
TEXT_TESTS = frozenset({"has_text", "has_value"})
# Categories the editor adds beside the ones an author writes.
OTHER = "other"
NO_RESPONSE = "no response"

_ID_RE = re.compile(r"[^a-z0-9]+")


class RapidProError(FlowError):
    """The export cannot be read as a RapidPro/TextIt flow export; says where and why."""


def slug(text: str, *, fallback: str, limit: int = 40) -> str:
    """A flow, step or option id from a name: lower case ASCII words joined by underscores."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = _ID_RE.sub("_", ascii_text.lower()).strip("_")[:limit].strip("_")
    if not words:
        return fallback
    return words if words[0].isalpha() else f"{fallback}_{words}"


def spec_major(version: object) -> int | None:
    match = re.match(r"^(\d+)(\.\d+)*$", str(version or "").strip())
    return int(match.group(1)) if match else None


def duration(minutes: int) -> str:
    """expire_after_minutes as a flow's expires_after ("3d", "12h", "90m")."""
    for unit, size in (("w", 10080), ("d", 1440), ("h", 60)):
        if minutes % size == 0:
            return f"{minutes // size}{unit}"
    return f"{minutes}m"


def items(value: object) -> list[object]:
    """A list from the export, or nothing: a field of the wrong shape is read as absent."""
    return value if isinstance(value, list) else []


def obj(value: object) -> dict[str, object]:
    return value if isinstance(value, dict) else {}

"""Welsh around inserted names: a name after "i", "am" or "gan" would have to mutate ("i Weithdy"),
and "y" after a vowel becomes "'r" ("i'r digwyddiad"). Neither can happen to a value filled in
later, so a Welsh text puts a name where nothing changes it: first, after a colon, or after a
verb such as "oedd"."""

from __future__ import annotations

import re

from flows.messages import VARIABLE_DEFAULTS

# Words after which the next word mutates (soft, nasal or aspirate).
MUTATING = frozenset(
    {
        "i", "am", "ar", "at", "gan", "heb", "o", "dan", "tan", "drwy", "trwy", "wrth", "hyd",
        "yn", "a", "ac", "â", "ag", "gyda", "efo", "na", "neu", "dy", "ei", "fy", "ein", "eich",
        "eu", "pan", "mor", "rhy", "dau", "dwy", "tri", "chwe", "dyma", "dyna", "dacw", "y", "yr",
    }
)  # fmt: skip
_BEFORE = re.compile(r"([\w'’âêîôûŵŷ]+)\s+\{(\w+)\}", re.IGNORECASE)
_VOWELS = "aeiouwyâêîôûŵŷ"


def problems(text: str) -> list[str]:
    """What would read wrong in this Welsh text once a name is filled in."""
    found: list[str] = []
    for match in _BEFORE.finditer(text):
        word, name = match[1].lower(), match[2]
        if word in MUTATING:
            found.append(
                f"{{{name}}} after '{match[1]}' would need a mutation Welsh cannot give a filled-in "
                "name: put it first, after a colon, or after a verb such as 'oedd'"
            )
        elif word[-1] in _VOWELS and VARIABLE_DEFAULTS["cy"].get(name, "").startswith("y "):
            found.append(
                f"{{{name}}} after '{match[1]}' reads '{match[1]} {VARIABLE_DEFAULTS['cy'][name]}' "
                'where Welsh says "\'r": put it first, after a colon, or after a consonant'
            )
    return found

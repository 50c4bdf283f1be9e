"""An emoji alone is never enough: a screen reader reads it out as a name ("grinning face"), an
SMS phone may show a box, and people read the same picture differently. Every text, option and
label needs words (a number counts: "1" is something to type)."""

from __future__ import annotations

import unicodedata

# Letters and digits in any script: the words a text needs beside its pictures.
_WORDY = ("L", "N")


def emoji_alone(text: str) -> bool:
    """True for a text with pictures or symbols and no words at all ("👍", "🙂 🙁")."""
    shown = [c for c in text if not c.isspace()]
    if not shown:
        return False
    if any(unicodedata.category(c).startswith(_WORDY) for c in shown):
        return False
    return any(unicodedata.category(c) == "So" for c in shown)

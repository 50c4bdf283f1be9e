"""Whole-message keywords a channel honours before any flow sees the text (carrier conventions)."""

from __future__ import annotations

import enum
import unicodedata


class Keyword(enum.StrEnum):
    STOP = "stop"
    START = "start"
    HELP = "help"
    PRIVACY = "privacy"  # the full privacy notice


# Twilio and UK carriers treat these words as opt-out / opt-in / help; we honour the same words on
# every channel so a person never has to learn two vocabularies.
_WORDS = {
    Keyword.STOP: {"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "STOPIO"},
    Keyword.START: {"START", "UNSTOP", "YES_START"},
    Keyword.HELP: {"HELP", "INFO", "CYMORTH"},
    Keyword.PRIVACY: {"PRIVACY", "PREIFATRWYDD"},
}


def normalise_word(text: str) -> str:
    """One word, upper case, without surrounding punctuation, a leading '/' or control characters."""
    cleaned = "".join(
        c for c in unicodedata.normalize("NFKC", text) if unicodedata.category(c)[0] != "C"
    )
    word = cleaned.strip().strip(".!?,;:'\"()[]{}").lstrip("/").upper()
    return word.split("@", 1)[0] if word.count(" ") == 0 else word  # /stop@mybot in group chats


def keyword(text: str) -> Keyword | None:
    word = normalise_word(text)
    if " " in word:
        return None
    for kind, words in _WORDS.items():
        if word in words:
            return kind
    return None

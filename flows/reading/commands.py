"""Whole messages that steer the conversation or decline a question instead of answering it."""

from __future__ import annotations

import enum
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from flows.reading.spelling import distance, key, normalise, squeeze
from flows.reading.vocabulary import COMMANDS, NUMBER_WORDS, SPECIAL_FILLER, SPECIALS
from flows.schema import Special


class Command(enum.StrEnum):
    HELP = "help"
    REPEAT = "repeat"
    BACK = "back"
    STOP = "stop"
    RESTART = "restart"


# Misspellings are forgiven only where a wrong guess is harmless: asking for help, the question
# again or the one before. Stopping and restarting must be said as written (repeated letters aside).
_FORGIVING = frozenset({Command.HELP, Command.REPEAT, Command.BACK})
_FORGIVING_SPECIALS = frozenset(Special)
_BOT_NAME = re.compile(r"@\S*")
_SPECIAL_FILLER = frozenset().union(*SPECIAL_FILLER.values())


# `language` is accepted for callers, but every language's words count in every conversation:
# bilingual people mix, and "stop" must always stop.
def parse_command(text: str, language: str) -> Command | None:
    plain = " ".join(unicodedata.normalize("NFKC", text).split())
    if plain and set(plain) <= {"?"}:
        return Command.HELP
    norm = normalise(text)
    if plain.startswith("/"):
        norm = _BOT_NAME.sub("", norm)  # Telegram: "/stop@sendvoice_bot"
    typed = key(norm)
    if typed in _number_words():
        return None  # "ugain" (twenty) is one letter from "again", but it is an answer
    found = _lookup(_commands(), typed, _FORGIVING, min_length=5)
    return Command(found) if found else None


def parse_special(text: str, language: str) -> Special | None:
    typed = key(text)
    found = _lookup(_specials(), typed, _FORGIVING_SPECIALS, min_length=6)
    if not found:
        words = typed.split()
        while words and words[0] in _SPECIAL_FILLER:
            words.pop(0)
        while words and words[-1] in _SPECIAL_FILLER:
            words.pop()
        trimmed = " ".join(words)
        if trimmed and trimmed != typed:
            found = _lookup(_specials(), trimmed, _FORGIVING_SPECIALS, min_length=6)
    return Special(found) if found else None


def starts_like_special(typed: str) -> bool:
    """ "no idea what this means" starts with "no idea": its "no" is not an answer (typed is a key)."""
    specials = _specials().exact
    return any(typed[:at] in specials for at, c in enumerate(typed) if c == " ")


def _lookup(table: _Table, typed: str, forgiving: frozenset[str], min_length: int) -> str | None:
    if not typed or len(typed) > 60:
        return None
    if typed in table.exact:
        return table.exact[typed]
    found = set(table.squeezed.get(squeeze(typed), ()))
    if not found:
        found = {
            name
            for length in (len(typed) - 1, len(typed), len(typed) + 1)  # one edit, one letter
            for phrase, name in table.by_length.get(length, ())
            if name in forgiving and length >= min_length and distance(typed, phrase, 1) <= 1
        }
    return found.pop() if len(found) == 1 else None


@dataclass(frozen=True)
class _Table:
    """A vocabulary indexed once, so a message is looked up without a pass over every phrase."""

    exact: Mapping[str, str]
    squeezed: Mapping[str, frozenset[str]]
    by_length: Mapping[int, tuple[tuple[str, str], ...]]

    @classmethod
    def of(cls, exact: Mapping[str, str]) -> _Table:
        squeezed: dict[str, set[str]] = {}
        by_length: dict[int, list[tuple[str, str]]] = {}
        for phrase, name in exact.items():
            squeezed.setdefault(squeeze(phrase), set()).add(name)
            by_length.setdefault(len(phrase), []).append((phrase, name))
        return cls(
            dict(exact),
            {k: frozenset(v) for k, v in squeezed.items()},
            {k: tuple(v) for k, v in by_length.items()},
        )


def _flatten(vocabulary: Mapping[str, Mapping[str, tuple[str, ...]]]) -> dict[str, str]:
    return {
        key(phrase): name
        for by_name in vocabulary.values()
        for name, phrases in by_name.items()
        for phrase in phrases
    }


@cache
def _number_words() -> frozenset[str]:
    return frozenset(key(w) for table in NUMBER_WORDS.values() for w in table)


@cache
def _commands() -> _Table:
    return _Table.of(_flatten(COMMANDS))


@cache
def _specials() -> _Table:
    return _Table.of(_flatten(SPECIALS))

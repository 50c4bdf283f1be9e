"""Typed fields out of a flow file: each reader records a problem with its line and field, never raises."""

from __future__ import annotations

import difflib
from typing import Any

from flows.errors import Problem
from flows.loader.yamlnodes import LocDict, LocList, line_of
from flows.schema import STANDARD_VARIABLES, Text
from flows.texts import PlaceholderError, placeholders


def type_name(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"{str(value).lower()} (yes/no/true/false/on/off need quotes to be words)"
    if isinstance(value, LocDict):
        return "a mapping"
    if isinstance(value, LocList):
        return "a list"
    return f"{type(value).__name__} {value!r}"


class FieldReader:
    """Reads typed fields out of located YAML, recording a Problem (file, line, field) for each bad one."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[Problem] = []
        self.languages: tuple[str, ...] = ("en",)
        self.variables: frozenset[str] = STANDARD_VARIABLES

    def err(self, line: int, field: str, message: str) -> None:
        self.problems.append(Problem(self.source, line, field, message))

    # -- small typed getters: each reports a problem and returns None when the value is unusable

    def _unknown_fields(self, data: LocDict, allowed: set[str], path: str) -> None:
        for key in data:
            if key not in allowed:
                hint = difflib.get_close_matches(str(key), sorted(allowed), n=1)
                tip = f"; did you mean '{hint[0]}'?" if hint else ""
                self.err(line_of(data, key), f"{path}{key}", f"unknown field{tip}")
        for key, dup_line in data.duplicates:
            self.err(dup_line, f"{path}{key}", "appears twice; each field may appear once")

    def req(self, data: LocDict, key: str, path: str) -> Any:
        if key not in data or data[key] is None:
            self.err(data.line, f"{path}{key}", "is required")
            return None
        return data[key]

    def get_str(self, data: LocDict, key: str, path: str, *, required: bool) -> str | None:
        value = self.req(data, key, path) if required else data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.err(line_of(data, key), f"{path}{key}", f"expected text, got {type_name(value)}")
            return None
        return str(value)

    def get_int(
        self, data: LocDict, key: str, path: str, *, lo: int | None = None, hi: int | None = None
    ) -> int | None:
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.err(
                line_of(data, key),
                f"{path}{key}",
                f"expected a whole number, got {type_name(value)}",
            )
            return None
        if (lo is not None and value < lo) or (hi is not None and value > hi):
            self.err(line_of(data, key), f"{path}{key}", f"expected a number from {lo} to {hi}")
            return None
        return value

    def get_text(
        self, data: LocDict, key: str | int, path: str, *, required: bool = True
    ) -> Text | None:
        """A translated text: a mapping of language -> text, or a plain string in a one-language flow."""
        value = data.get(key)
        field = f"{path}{key}"
        line = line_of(data, key)
        if value is None:
            if required:
                self.err(data.line, field, "is required")
            return None
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            if len(self.languages) == 1:
                if not self._check_text(str(value), field, line):
                    return None
                return {self.languages[0]: str(value)}
            langs = ", ".join(self.languages)
            self.err(
                line, field, f"expected a text for each language ({langs}), got one plain text"
            )
            return None
        if not isinstance(value, LocDict):
            self.err(line, field, f"expected a text per language, got {type_name(value)}")
            return None
        out: Text = {}
        for lang in self.languages:
            if lang not in value or value[lang] in (None, ""):
                self.err(value.line, f"{field}.{lang}", f"missing the '{lang}' translation")
                continue
            text = value[lang]
            if not isinstance(text, str | int | float) or isinstance(text, bool):
                self.err(
                    line_of(value, lang),
                    f"{field}.{lang}",
                    f"expected text, got {type_name(text)}",
                )
                continue
            if self._check_text(str(text), f"{field}.{lang}", line_of(value, lang)):
                out[lang] = str(text)
        for lang in value:
            if lang not in self.languages:
                self.err(
                    line_of(value, lang), f"{field}.{lang}", "language not listed in 'languages'"
                )
        return out if len(out) == len(self.languages) else None

    def _check_text(self, text: str, field: str, line: int) -> bool:
        try:
            used = placeholders(text)
        except PlaceholderError as exc:
            self.err(line, field, str(exc))
            return False
        unknown = sorted(used - self.variables)
        if unknown:
            known = ", ".join(sorted(self.variables))
            names = ", ".join("{" + u + "}" for u in unknown)
            self.err(line, field, f"unknown variable {names}; known variables: {known}")
            return False
        return True
